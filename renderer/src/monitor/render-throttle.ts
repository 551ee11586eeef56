// At most one flush per `intervalMs`, drawn on an animation frame. The Monitor's streams can deliver many batches a
// second under load; redrawing five recharts charts for each (or on every frame, ~60/s) kept the main thread busy
// enough to time out a browser test. Charts of one-second samples lose nothing at ~4 redraws a second. The first
// request after a quiet spell flushes on the next frame, so a lone update still shows at once.

export interface ThrottleScheduler {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  requestFrame(run: () => void): unknown;
  cancelFrame(handle: unknown): void;
}

export const browserScheduler: ThrottleScheduler = {
  now: () => performance.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  requestFrame: (run) => requestAnimationFrame(run),
  cancelFrame: (handle) => cancelAnimationFrame(handle as number),
};

export class RenderThrottle {
  private lastFlush = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;
  private frame: unknown = null;
  private disposed = false;

  constructor(
    private readonly intervalMs: number,
    private readonly flush: () => void,
    private readonly scheduler: ThrottleScheduler = browserScheduler,
  ) {}

  /** Asks for a flush; requests before it happens are coalesced into it. */
  request(): void {
    if (this.disposed || this.timer !== null || this.frame !== null) return;
    const wait = this.lastFlush + this.intervalMs - this.scheduler.now();
    if (wait <= 0) this.onFrame();
    else
      this.timer = this.scheduler.setTimeout(() => {
        this.timer = null;
        this.onFrame();
      }, wait);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.scheduler.clearTimeout(this.timer);
    if (this.frame !== null) this.scheduler.cancelFrame(this.frame);
    this.timer = this.frame = null;
  }

  private onFrame(): void {
    this.frame = this.scheduler.requestFrame(() => {
      this.frame = null;
      this.lastFlush = this.scheduler.now();
      this.flush();
    });
  }
}
