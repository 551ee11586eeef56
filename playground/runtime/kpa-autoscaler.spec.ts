import { describe, expect, it } from 'vitest';
import { AutoscalingAnnotationError, autoscalingSpecFrom, parseGoDuration } from './autoscaling-spec';
import { ConcurrencyWindow } from './concurrency-window';
import { KpaAutoscaler } from './kpa-autoscaler';

const processingAnnotations = {
  'autoscaling.knative.dev/minScale': '0',
  'autoscaling.knative.dev/maxScale': '100',
};

/** Feeds one sample per second and decides every 2 s, like the runtime's loop. */
function run(
  kpa: KpaAutoscaler,
  fromMs: number,
  seconds: number,
  concurrency: (second: number) => number,
  readyPods: (desired: number) => number,
) {
  let desired = 0;
  const decisions: number[] = [];
  for (let second = 0; second < seconds; second++) {
    const now = fromMs + second * 1000;
    kpa.recordConcurrency(now, concurrency(second));
    if (second % 2 === 1) {
      desired = kpa.decide(now, readyPods(desired)).desiredScale;
      decisions.push(desired);
    }
  }
  return decisions;
}

describe('autoscalingSpecFrom', () => {
  it('uses Knative defaults: target 70 % of containerConcurrency, 60 s stable and 6 s panic windows', () => {
    const spec = autoscalingSpecFrom({}, 0);
    expect(spec.totalValue).toBe(100);
    expect(spec.targetValue).toBeCloseTo(70);
    expect(spec.stableWindowMs).toBe(60_000);
    expect(spec.panicWindowMs).toBe(6_000);
    expect(spec.panicThreshold).toBe(2);
    expect(spec.initialScale).toBe(1);
    expect(spec.maxScale).toBe(0);
  });

  it('caps an explicit target at containerConcurrency and reads both annotation spellings', () => {
    const spec = autoscalingSpecFrom(
      {
        'autoscaling.knative.dev/target': '10',
        'autoscaling.knative.dev/max-scale': '7',
        ...processingAnnotations,
      },
      2,
    );
    expect(spec.totalValue).toBe(2);
    expect(spec.targetValue).toBeCloseTo(1.4);
    expect(spec.maxScale).toBe(7); // max-scale wins over maxScale, as it is the newer spelling checked first
    expect(autoscalingSpecFrom({}, 1).targetValue).toBe(1);
  });

  it('parses window, scale-down-delay and initial-scale, and rejects malformed values clearly', () => {
    const spec = autoscalingSpecFrom(
      {
        'autoscaling.knative.dev/window': '1m30s',
        'autoscaling.knative.dev/scale-down-delay': '10s',
        'autoscaling.knative.dev/initial-scale': '3',
      },
      0,
    );
    expect(spec.stableWindowMs).toBe(90_000);
    expect(spec.panicWindowMs).toBe(9_000);
    expect(spec.scaleDownDelayMs).toBe(10_000);
    expect(spec.initialScale).toBe(3);
    expect(parseGoDuration('500ms')).toBe(500);
    expect(() => autoscalingSpecFrom({ 'autoscaling.knative.dev/window': '2s' }, 0)).toThrow(/between 6s/);
    expect(() => autoscalingSpecFrom({ 'autoscaling.knative.dev/maxScale': 'many' }, 0)).toThrow(
      AutoscalingAnnotationError,
    );
    expect(() =>
      autoscalingSpecFrom(
        { 'autoscaling.knative.dev/minScale': '5', 'autoscaling.knative.dev/maxScale': '2' },
        0,
      ),
    ).toThrow(/above max-scale/);
  });
});

describe('ConcurrencyWindow', () => {
  it('averages over the seconds that hold data and drops to 0 after a whole window without data', () => {
    const window = new ConcurrencyWindow(10_000);
    window.record(100_000, 4);
    window.record(101_000, 2);
    expect(window.average(101_000)).toBe(3);
    // Upstream divides by the seconds from the first to the last write: a pause shorter than the window keeps the
    // last average (the queue-proxy reports zeros every second, so a real pause is written as zeros).
    expect(window.average(105_000)).toBe(3);
    window.record(106_000, 0);
    expect(window.average(106_000)).toBeCloseTo(6 / 7);
    expect(window.average(111_000)).toBe(0);
  });
});

describe('KpaAutoscaler', () => {
  const spec = autoscalingSpecFrom(processingAnnotations, 2);
  const start = 1_000_000;

  it('scales to ceil(total concurrency / target) in steady load', () => {
    const kpa = new KpaAutoscaler(spec, { runtimeMaxScale: Infinity });
    // 7 requests in flight all the time, target 1.4 per pod → 5 pods.
    const decisions = run(
      kpa,
      start,
      120,
      () => 7,
      (desired) => desired,
    );
    expect(decisions.at(-1)).toBe(5);
  });

  it('panics on a burst: jumps straight up and never scales down while panicking', () => {
    const kpa = new KpaAutoscaler(spec, { runtimeMaxScale: Infinity });
    run(
      kpa,
      start,
      61,
      () => 1.4,
      () => 1,
    );
    // Burst: 14 in flight for 6 s → panic wants 10 pods at once while the stable average lags behind.
    const burst = run(
      kpa,
      start + 61_000,
      6,
      () => 14,
      () => 1,
    );
    expect(Math.max(...burst)).toBe(10);
    const afterBurst = kpa.decide(start + 67_000, 10);
    expect(afterBurst.panicking).toBe(true);
    expect(afterBurst.desiredScale).toBe(10);
  });

  it('respects min-scale, max-scale and the runtime cap, and says when the cap applied', () => {
    const bounded = autoscalingSpecFrom(
      { 'autoscaling.knative.dev/minScale': '2', 'autoscaling.knative.dev/maxScale': '4' },
      2,
    );
    const idle = new KpaAutoscaler(bounded, { runtimeMaxScale: Infinity });
    expect(
      run(
        idle,
        start,
        130,
        () => 0,
        (d) => d,
      ).at(-1),
    ).toBe(2);
    const busy = new KpaAutoscaler(bounded, { runtimeMaxScale: 3 });
    let last = busy.decide(start, 1);
    for (let s = 0; s < 20; s++) {
      busy.recordConcurrency(start + s * 1000, 30);
      last = busy.decide(start + s * 1000, 3);
    }
    expect(last.uncappedScale).toBe(4);
    expect(last.desiredScale).toBe(3);
    expect(last.cappedByRuntime).toBe(true);
  });

  it('scales to zero only after a whole stable window without traffic', () => {
    const kpa = new KpaAutoscaler(spec, { runtimeMaxScale: Infinity });
    run(
      kpa,
      start,
      20,
      () => 2,
      (d) => d,
    );
    // Traffic stops at second 20. Until second 20 + 60 the stable average still sees it.
    const quiet = run(
      kpa,
      start + 20_000,
      80,
      () => 0,
      (d) => d,
    );
    const firstZero = quiet.indexOf(0);
    expect(firstZero).toBeGreaterThan(0);
    // Decisions come every 2 s: index i is second 2i+1 after traffic stopped.
    expect(firstZero * 2 + 1).toBeGreaterThanOrEqual(59);
    expect(quiet.slice(firstZero).every((d) => d === 0)).toBe(true);
  });

  it('starts a revision at initial-scale and wakes from zero on activator demand', () => {
    const kpa = new KpaAutoscaler(
      autoscalingSpecFrom({ ...processingAnnotations, 'autoscaling.knative.dev/initial-scale': '2' }, 2),
      { runtimeMaxScale: Infinity },
    );
    expect(kpa.decide(start, 0).desiredScale).toBe(2);
    // Initial scale reached; with no traffic the rate limit lets it fall by half a tick, not to zero (active < window).
    expect(kpa.decide(start + 2000, 2).desiredScale).toBe(1);
    const decisions = run(
      kpa,
      start + 4000,
      130,
      () => 0,
      (d) => d,
    );
    expect(decisions.at(-1)).toBe(0);
    const woken = start + 200_000;
    kpa.recordActivatorDemand(woken, 1);
    expect(kpa.decide(woken, 0).desiredScale).toBe(1);
  });

  it('holds the highest decision for scale-down-delay', () => {
    const kpa = new KpaAutoscaler(
      autoscalingSpecFrom(
        { 'autoscaling.knative.dev/scale-down-delay': '20s', 'autoscaling.knative.dev/window': '6s' },
        2,
      ),
      { runtimeMaxScale: Infinity },
    );
    run(
      kpa,
      start,
      30,
      () => 7,
      (d) => d,
    );
    const down = run(
      kpa,
      start + 30_000,
      80,
      () => 1.4,
      (d) => d,
    );
    // Without the delay the 6 s window would drop to 2 pods (half of 5) within ~8 s; the delay keeps 5 for 20 s
    // more, and each later halving is delayed the same way.
    expect(down.slice(0, 9).every((d) => d === 5)).toBe(true);
    expect(down.at(-1)).toBe(1);
  });
});
