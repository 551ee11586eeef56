// The request path in front of one revision's replicas: what Knative's queue-proxy (per-pod concurrency limit)
// and activator (buffering at zero) do together. A request waits in a FIFO until some ready, non-draining pod has
// a free slot (containerConcurrency is a hard limit: excess requests queue, they are never rejected for it).
// With no ready pod at all the revision is "at zero": the waiting request is reported as demand so the autoscaler
// can wake the revision, and it gives up with a clear error after the activation timeout.

export interface PodEndpoint {
  readonly podName: string;
  readonly host: string;
  readonly port: number;
}

export interface PodSlot {
  readonly endpoint: PodEndpoint;
  /** Frees the slot; safe to call more than once. */
  release(): void;
}

export class ActivationTimeoutError extends Error {
  override readonly name = 'ActivationTimeoutError';
}
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}
export class RequestAbortedError extends Error {
  override readonly name = 'RequestAbortedError';
}

interface PodState {
  /** Where the pod listens now: a restarted container comes back on a new port under the same pod name. */
  endpoint: PodEndpoint;
  inFlight: number;
  maxInFlight: number;
  served: number;
  ready: boolean;
  draining: boolean;
}

interface Waiter {
  resolve(slot: PodSlot): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout | undefined;
  settled: boolean;
}

export interface RevisionBackendOptions {
  /** 0 = unlimited (Knative's default). */
  containerConcurrency: number;
  /** How long a request may wait while the revision has no ready pod. */
  activationTimeoutMs: number;
  /** Bound on waiting requests, so a runaway client cannot exhaust memory. */
  maxQueued: number;
  /** Called when a request starts waiting while no pod is ready (the activator's poke to the autoscaler). */
  onDemandAtZero(buffered: number): void;
}

export class RevisionBackend {
  private readonly pods = new Map<string, PodState>();
  private readonly queue: Waiter[] = [];
  private options: RevisionBackendOptions;
  // Time-weighted concurrency (in flight + waiting) since the last read: what the queue-proxy reports each second.
  private concurrencyIntegral = 0;
  private lastChangeMs = Date.now();
  private lastReadMs = Date.now();

  constructor(options: RevisionBackendOptions) {
    this.options = options;
  }

  setContainerConcurrency(containerConcurrency: number): void {
    this.options = { ...this.options, containerConcurrency };
    this.dispatch();
  }

  /**
   * Adds a pod or updates its readiness and address; a ready pod starts taking waiting requests. A pod whose
   * container crashed is upserted not ready, then ready again at the port its restarted container listens on, so
   * the address must follow (keeping the old one sends every request to a closed port).
   */
  upsertPod(endpoint: PodEndpoint, ready: boolean): void {
    const existing = this.pods.get(endpoint.podName);
    if (existing) {
      existing.ready = ready;
      existing.endpoint = endpoint;
      if (!ready) this.checkAtZero();
    } else {
      this.pods.set(endpoint.podName, {
        endpoint,
        inFlight: 0,
        maxInFlight: 0,
        served: 0,
        ready,
        draining: false,
      });
    }
    this.dispatch();
  }

  /** Stops sending new requests to a pod; resolves when its in-flight requests have finished. */
  async drainPod(podName: string, graceMs: number): Promise<void> {
    const pod = this.pods.get(podName);
    if (!pod) return;
    pod.draining = true;
    const deadline = Date.now() + graceMs;
    while (pod.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    this.pods.delete(podName);
    this.checkAtZero();
  }

  removePod(podName: string): void {
    this.pods.delete(podName);
    this.checkAtZero();
  }

  get readyPodCount(): number {
    let count = 0;
    for (const pod of this.pods.values()) if (pod.ready && !pod.draining) count++;
    return count;
  }

  get waiting(): number {
    return this.queue.length;
  }

  get inFlight(): number {
    let total = 0;
    for (const pod of this.pods.values()) total += pod.inFlight;
    return total;
  }

  /** Per-pod in-flight counts, and the highest count each pod ever had. */
  podLoad(): { podName: string; inFlight: number; maxInFlight: number; served: number }[] {
    return [...this.pods.values()].map((pod) => ({
      podName: pod.endpoint.podName,
      inFlight: pod.inFlight,
      maxInFlight: pod.maxInFlight,
      served: pod.served,
    }));
  }

  /** Average concurrency (in flight + waiting) since the previous call. */
  takeAverageConcurrency(nowMs = Date.now()): number {
    this.accumulate(nowMs);
    const elapsed = nowMs - this.lastReadMs;
    const average = elapsed > 0 ? this.concurrencyIntegral / elapsed : this.inFlight + this.waiting;
    this.concurrencyIntegral = 0;
    this.lastReadMs = nowMs;
    return average;
  }

  /** Waits for a slot on some ready pod. Rejects on activation timeout, a full queue, or `signal` aborting. */
  acquire(signal?: AbortSignal): Promise<PodSlot> {
    const immediate = this.tryTakeSlot();
    if (immediate) return Promise.resolve(immediate);
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(
        new QueueFullError(`more than ${this.options.maxQueued} requests are already waiting`),
      );
    }
    return new Promise<PodSlot>((resolve, reject) => {
      this.accumulate(Date.now());
      const waiter: Waiter = { resolve, reject, timer: undefined, settled: false };
      const settle = (error: Error) => {
        if (waiter.settled) return;
        waiter.settled = true;
        if (waiter.timer) clearTimeout(waiter.timer);
        this.accumulate(Date.now());
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(error);
      };
      this.queue.push(waiter);
      signal?.addEventListener(
        'abort',
        () => settle(new RequestAbortedError('the client went away while waiting')),
        {
          once: true,
        },
      );
      if (this.readyPodCount === 0) this.startActivationTimer(waiter, settle);
      if (this.readyPodCount === 0) this.options.onDemandAtZero(this.queue.length);
    });
  }

  /** Rejects everything waiting (revision deleted). */
  close(reason: string): void {
    for (const waiter of this.queue.splice(0)) {
      waiter.settled = true;
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.reject(new ActivationTimeoutError(reason));
    }
  }

  private startActivationTimer(waiter: Waiter, settle: (error: Error) => void): void {
    const seconds = Number((this.options.activationTimeoutMs / 1000).toFixed(1));
    waiter.timer = setTimeout(
      () => settle(new ActivationTimeoutError(`no replica became ready within ${seconds} s`)),
      this.options.activationTimeoutMs,
    );
    waiter.timer.unref?.();
  }

  /** When the last ready pod goes away, requests already waiting get the activation timeout too. */
  private checkAtZero(): void {
    if (this.readyPodCount > 0 || this.queue.length === 0) return;
    for (const waiter of this.queue) {
      if (!waiter.timer) {
        this.startActivationTimer(waiter, (error) => {
          if (waiter.settled) return;
          waiter.settled = true;
          this.accumulate(Date.now());
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          waiter.reject(error);
        });
      }
    }
    this.options.onDemandAtZero(this.queue.length);
  }

  private accumulate(nowMs: number): void {
    this.concurrencyIntegral += (this.inFlight + this.queue.length) * Math.max(0, nowMs - this.lastChangeMs);
    this.lastChangeMs = nowMs;
  }

  private tryTakeSlot(): PodSlot | undefined {
    const limit = this.options.containerConcurrency > 0 ? this.options.containerConcurrency : Infinity;
    let best: PodState | undefined;
    for (const pod of this.pods.values()) {
      if (!pod.ready || pod.draining || pod.inFlight >= limit) continue;
      if (!best || pod.inFlight < best.inFlight) best = pod;
    }
    if (!best) return undefined;
    const pod = best;
    this.accumulate(Date.now());
    pod.inFlight++;
    pod.served++;
    pod.maxInFlight = Math.max(pod.maxInFlight, pod.inFlight);
    let released = false;
    return {
      endpoint: pod.endpoint,
      release: () => {
        if (released) return;
        released = true;
        this.accumulate(Date.now());
        pod.inFlight--;
        this.dispatch();
      },
    };
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = this.tryTakeSlot();
      if (!slot) return;
      const waiter = this.queue.shift();
      if (!waiter) {
        slot.release();
        return;
      }
      waiter.settled = true;
      if (waiter.timer) clearTimeout(waiter.timer);
      waiter.resolve(slot);
    }
  }
}
