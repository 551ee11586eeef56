// Keeps the engine running: when its process dies without being asked to (a crash, an out-of-memory kill), it is
// started again after a short backoff, and the shell reconnects every window to the new one (their preloads then
// re-subscribe open streams and the UI says "engine restarted"). A crash loop is not hidden: after `maxRestarts`
// exits within `windowMs` the supervisor gives up and says so. Electron-free (the child is injected), so the policy
// is unit-tested.

/** What the supervisor needs of a child process (Electron's UtilityProcess fits). */
export interface SupervisedChild {
  on(event: 'exit', listener: (code: number) => void): void;
  kill(): boolean | void;
}

export interface EngineSupervisorOptions<Child extends SupervisedChild> {
  /** Starts one engine process; `restarts` counts the restarts before this start (0 the first time). */
  spawn(restarts: number): Child;
  /** A child was started (first or restarted): wire its messages and connect windows to it. */
  onStart(child: Child, restarts: number): void;
  /** The supervisor stopped restarting (crash loop): tell the user. */
  onGiveUp(message: string): void;
  log?: (line: string) => void;
  /** Exits within `windowMs` beyond which it gives up. */
  maxRestarts?: number;
  windowMs?: number;
  /** Delay before restart number n (1-based). */
  backoffMs?: (n: number) => number;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
}

export class EngineSupervisor<Child extends SupervisedChild> {
  private child: Child | undefined;
  private restarts = 0;
  private readonly exits: number[] = [];
  private stopping = false;
  private gaveUp = false;

  constructor(private readonly options: EngineSupervisorOptions<Child>) {}

  get current(): Child | undefined {
    return this.child;
  }

  start(): void {
    this.stopping = false;
    this.launch();
  }

  /** Stops the engine for good (app quitting): its exit is expected, nothing restarts. */
  stop(): void {
    this.stopping = true;
    this.child?.kill();
  }

  private launch(): void {
    const child = this.options.spawn(this.restarts);
    this.child = child;
    child.on('exit', (code) => this.exited(child, code));
    this.options.onStart(child, this.restarts);
  }

  private exited(child: Child, code: number): void {
    if (child !== this.child) return;
    this.child = undefined;
    if (this.stopping || this.gaveUp) return;
    const now = (this.options.now ?? Date.now)();
    const windowMs = this.options.windowMs ?? 60_000;
    this.exits.push(now);
    while (this.exits.length > 0 && this.exits[0]! < now - windowMs) this.exits.shift();
    const maxRestarts = this.options.maxRestarts ?? 5;
    if (this.exits.length > maxRestarts) {
      this.gaveUp = true;
      this.options.onGiveUp(
        `The engine stopped ${this.exits.length} times within ${windowMs / 1000} s (last exit code ${code}); ` +
          'it is not restarted again. Restart the app.',
      );
      return;
    }
    const n = this.exits.length;
    const delay = (this.options.backoffMs ?? ((k: number) => Math.min(5000, 250 * 2 ** (k - 1))))(n);
    this.options.log?.(`the engine exited with code ${code}; restarting it in ${delay} ms`);
    const setTimer = this.options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
    setTimer(() => {
      if (this.stopping || this.child) return;
      this.restarts += 1;
      this.launch();
    }, delay);
  }
}
