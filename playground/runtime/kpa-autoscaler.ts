// The Knative Pod Autoscaler's decision for one revision, following knative/serving
// pkg/autoscaler/scaling/autoscaler.go (Scale) and pkg/reconciler/autoscaling/kpa/scaler.go (bounds, initial scale,
// scale to zero). Pure: time comes in as an argument, so the unit tests drive it tick by tick.

import type { AutoscalingSpec } from './autoscaling-spec';
import { ConcurrencyWindow } from './concurrency-window';

export interface ScaleDecision {
  /** Pods the revision should have now. */
  readonly desiredScale: number;
  /** What the KPA alone wanted before the runtime-wide cap (equal to desiredScale unless capped). */
  readonly uncappedScale: number;
  readonly stableConcurrency: number;
  readonly panicConcurrency: number;
  readonly panicking: boolean;
  /** Set when the playground's runtime-wide pod cap lowered the decision. */
  readonly cappedByRuntime: boolean;
}

export interface KpaAutoscalerOptions {
  /** Runtime-wide ceiling on pods per revision (what 2 shared cores can carry); Infinity for none. */
  readonly runtimeMaxScale: number;
}

/** Keeps the largest decision of the last scale-down-delay (upstream max.TimeWindow). */
class MaxOverWindow {
  private readonly entries: { atMs: number; value: number }[] = [];
  constructor(private readonly windowMs: number) {}
  record(atMs: number, value: number): number {
    this.entries.push({ atMs, value });
    while (this.entries.length > 0 && (this.entries[0]?.atMs ?? atMs) <= atMs - this.windowMs)
      this.entries.shift();
    return Math.max(...this.entries.map((entry) => entry.value));
  }
}

export class KpaAutoscaler {
  private spec: AutoscalingSpec;
  private stable: ConcurrencyWindow;
  private panic: ConcurrencyWindow;
  private delay: MaxOverWindow | undefined;
  /** Zero when not panicking, else the last time the panic threshold was crossed. */
  private panicSinceMs = 0;
  private maxPanicPods = 0;
  /** When the revision last went from no ready pod to some (upstream: the PA became Active). */
  private activeSinceMs: number | undefined;
  /** Initial scale is honoured until it has been reached once (upstream IsScaleTargetInitialized). */
  private initialScaleReached = false;

  constructor(
    spec: AutoscalingSpec,
    private readonly options: KpaAutoscalerOptions,
  ) {
    this.spec = spec;
    this.stable = new ConcurrencyWindow(spec.stableWindowMs);
    this.panic = new ConcurrencyWindow(spec.panicWindowMs);
    this.delay = spec.scaleDownDelayMs > 0 ? new MaxOverWindow(spec.scaleDownDelayMs) : undefined;
  }

  get currentSpec(): AutoscalingSpec {
    return this.spec;
  }

  /** A changed spec keeps the metric history when the windows are unchanged, as upstream's Update does. */
  updateSpec(spec: AutoscalingSpec): void {
    if (spec.stableWindowMs !== this.spec.stableWindowMs)
      this.stable = new ConcurrencyWindow(spec.stableWindowMs);
    if (spec.panicWindowMs !== this.spec.panicWindowMs)
      this.panic = new ConcurrencyWindow(spec.panicWindowMs);
    if (spec.scaleDownDelayMs !== this.spec.scaleDownDelayMs) {
      this.delay = spec.scaleDownDelayMs > 0 ? new MaxOverWindow(spec.scaleDownDelayMs) : undefined;
    }
    this.spec = spec;
  }

  /** One per-second sample of the revision's total concurrency (in flight + queued, all pods). */
  recordConcurrency(nowMs: number, totalConcurrency: number): void {
    this.stable.record(nowMs, totalConcurrency);
    this.panic.record(nowMs, totalConcurrency);
  }

  /** The activator's report for a revision at zero: at least this much concurrency right now. */
  recordActivatorDemand(nowMs: number, bufferedRequests: number): void {
    this.stable.recordAtLeast(nowMs, bufferedRequests);
    this.panic.recordAtLeast(nowMs, bufferedRequests);
  }

  decide(nowMs: number, readyPods: number): ScaleDecision {
    const spec = this.spec;
    if (readyPods > 0 && this.activeSinceMs === undefined) this.activeSinceMs = nowMs;
    if (readyPods === 0) this.activeSinceMs = undefined;
    if (readyPods >= spec.initialScale) this.initialScaleReached = true;

    const ready = Math.max(1, readyPods);
    const stableConcurrency = this.stable.average(nowMs);
    const panicConcurrency = this.panic.average(nowMs);
    const maxScaleUp = Math.ceil(spec.maxScaleUpRate * ready);
    const maxScaleDown = Math.floor(ready / spec.maxScaleDownRate);
    const dspc = Math.ceil(stableConcurrency / spec.targetValue);
    const dppc = Math.ceil(panicConcurrency / spec.targetValue);
    let desiredStable = Math.min(Math.max(dspc, maxScaleDown), maxScaleUp);
    let desiredPanic = Math.min(Math.max(dppc, maxScaleDown), maxScaleUp);
    if (spec.activationScale > 1) {
      if (dspc > 0 && spec.activationScale > desiredStable) desiredStable = spec.activationScale;
      if (dppc > 0 && spec.activationScale > desiredPanic) desiredPanic = spec.activationScale;
    }

    const overPanicThreshold = dppc / ready >= spec.panicThreshold;
    if (overPanicThreshold) {
      this.panicSinceMs = nowMs;
    } else if (this.panicSinceMs !== 0 && this.panicSinceMs + spec.stableWindowMs < nowMs) {
      // Leave panic only once the surge has been under the threshold for a whole stable window.
      this.panicSinceMs = 0;
      this.maxPanicPods = 0;
    }

    let desired = desiredStable;
    if (this.panicSinceMs !== 0) {
      desired = Math.max(desired, desiredPanic);
      // In panic the count only goes up.
      if (desired > this.maxPanicPods) this.maxPanicPods = desired;
      desired = this.maxPanicPods;
    }
    if (this.delay) desired = this.delay.record(nowMs, desired);

    // Bounds (scaler.go): min/max scale, initial scale until first reached.
    let min = spec.minScale;
    if (!this.initialScaleReached && spec.initialScale > min) min = spec.initialScale;
    const userMax = spec.maxScale > 0 ? spec.maxScale : Infinity;
    desired = Math.max(min, Math.min(desired, userMax));

    // Scale to zero only after the revision has been active for a whole stable window (upstream marks the PA
    // inactive first; the ingress is always in the request path, so the activator grace period is already met).
    if (
      desired === 0 &&
      this.activeSinceMs !== undefined &&
      nowMs - this.activeSinceMs < spec.stableWindowMs
    ) {
      desired = 1;
    }

    const uncappedScale = desired;
    const desiredScale = Math.min(desired, this.options.runtimeMaxScale);
    return {
      desiredScale,
      uncappedScale,
      stableConcurrency,
      panicConcurrency,
      panicking: this.panicSinceMs !== 0,
      cappedByRuntime: desiredScale < uncappedScale,
    };
  }
}
