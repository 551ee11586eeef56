import { describe, expect, it } from 'vitest';
import { RenderThrottle, type ThrottleScheduler } from './render-throttle';

/** A scheduler on a hand-moved clock: timers fire when `advance` passes them, frames when `frame()` is called. */
function manualScheduler() {
  let now = 0;
  let timers: { at: number; run: () => void; handle: number }[] = [];
  let frames: { run: () => void; handle: number }[] = [];
  let next = 1;
  const scheduler: ThrottleScheduler = {
    now: () => now,
    setTimeout: (run, ms) => {
      timers.push({ at: now + ms, run, handle: next });
      return next++;
    },
    clearTimeout: (handle) => (timers = timers.filter((t) => t.handle !== handle)),
    requestFrame: (run) => {
      frames.push({ run, handle: next });
      return next++;
    },
    cancelFrame: (handle) => (frames = frames.filter((f) => f.handle !== handle)),
  };
  return {
    scheduler,
    advance(ms: number) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      for (const timer of due) timer.run();
    },
    frame() {
      now += 16;
      const due = frames;
      frames = [];
      for (const frame of due) frame.run();
    },
  };
}

/** A throttle of 250 ms on a manual clock, counting its flushes. */
function throttled() {
  const clock = manualScheduler();
  const counted = { flushes: 0 };
  const throttle = new RenderThrottle(250, () => counted.flushes++, clock.scheduler);
  return { clock, counted, throttle };
}

describe('RenderThrottle', () => {
  it('flushes a lone request on the next frame', () => {
    const { clock, counted, throttle } = throttled();
    throttle.request();
    expect(counted.flushes).toBe(0);
    clock.frame();
    expect(counted.flushes).toBe(1);
  });

  it('turns a stream of requests (one per frame for 2 s) into about four flushes a second', () => {
    const { clock, counted, throttle } = throttled();
    for (let elapsed = 0; elapsed < 2000; elapsed += 16) {
      throttle.request();
      throttle.request();
      clock.advance(0);
      clock.frame();
    }
    expect(counted.flushes).toBeGreaterThanOrEqual(7);
    expect(counted.flushes).toBeLessThanOrEqual(9);
  });

  // Each script is a sequence of steps on a fresh throttle: r = request, f = frame, d = dispose, a number = advance ms.
  it.each([
    ['never drops the last request: it flushes once the interval has passed', 'r f r f', 1, '250 f', 2],
    ['flushes nothing after dispose', 'r d f r', 0, '1000 f', 0],
  ])('%s', (_case, before, flushedBefore, after, flushedAfter) => {
    const { clock, counted, throttle } = throttled();
    const run = (script: string) => {
      for (const step of script.split(' ')) {
        if (step === 'r') throttle.request();
        else if (step === 'f') clock.frame();
        else if (step === 'd') throttle.dispose();
        else clock.advance(Number(step));
      }
    };
    run(before);
    expect(counted.flushes).toBe(flushedBefore);
    run(after);
    expect(counted.flushes).toBe(flushedAfter);
  });
});
