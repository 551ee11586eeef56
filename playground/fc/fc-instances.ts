// The instances of the playground's FC functions: how Function Compute runs a custom-container function, played by
// local processes. Stands in for FC's instance scheduler (no real FC can exist here). As FC does, a function has no
// instance until it is invoked; an invocation goes to an instance with a free slot (`instanceConcurrency`), a new
// one starts (cold start) when every instance is full, up to a cap, and an instance idle for a while is reclaimed.
// A new function configuration (a new Knative Revision) replaces the instances of the old one.
//
// An instance runs the image's entry from the virtual node's image map (`<dir>/virtual-node/images.json`: the same
// esbuild bundle the Dockerfile builds, run with `node`), in the host's network namespace on a port of its own
// (PORT), with the container's env resolved as a kubelet would. Its output goes to a log file per instance.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageEntry } from '../parts/virtual-node';
import { randomFreePort } from '../ports';
import { containerReady } from './container-ready';

export interface FunctionConfig {
  /** Changes whenever the function's code or configuration changes (the Revision's name). */
  readonly version: string;
  readonly image: ImageEntry;
  /** Resolved when an instance starts (Secrets may appear after the Service). */
  readonly env: () => Promise<Record<string, string>>;
  readonly instanceConcurrency: number;
  /** The container's readinessProbe.httpGet path: ready once it answers 2xx/3xx (else once PORT accepts). */
  readonly readinessPath?: string;
}

export interface InstanceInfo {
  readonly instanceId: string;
  readonly version: string;
  readonly ready: boolean;
  readonly inFlight: number;
}

export class FunctionStartError extends Error {
  override readonly name = 'FunctionStartError';
}

interface Instance {
  readonly id: string;
  readonly version: string;
  readonly port: number;
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  isReady: boolean;
  inFlight: number;
  lastUsed: number;
}

export interface FunctionInstancesOptions {
  readonly logDir: string;
  /** Most instances of one function at once. */
  readonly maxInstances: number;
  /** An instance with nothing in flight for this long is stopped. */
  readonly idleMs: number;
  readonly startTimeoutMs: number;
  readonly log: (message: string) => void;
}

const SETPRIV = '/usr/bin/setpriv';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class FunctionPool {
  readonly instances: Instance[] = [];
  /** Wake-ups of invocations waiting for a slot (a starting instance, or one to free up at the cap). */
  private waiters: (() => void)[] = [];
  /** Invocations in acquire(): how many slots are wanted right now. */
  private pending = 0;
  private startFailure: { at: number; error: Error } | undefined;

  constructor(
    readonly key: string,
    public config: FunctionConfig,
    private readonly options: FunctionInstancesOptions,
  ) {}

  async acquire(): Promise<{ port: number; release: () => void }> {
    const began = Date.now();
    const deadline = began + this.options.startTimeoutMs;
    this.pending += 1;
    try {
      for (;;) {
        const current = this.instances.filter((instance) => instance.version === this.config.version);
        const free = current
          .filter((instance) => instance.isReady && instance.inFlight < this.config.instanceConcurrency)
          .sort((a, b) => a.inFlight - b.inFlight)[0];
        if (free) return this.take(free);
        // A start that failed after this invocation arrived fails it, as FC answers a function that cannot start.
        if (this.startFailure && this.startFailure.at >= began) throw this.startFailure.error;
        const startingSlots =
          current.filter((instance) => !instance.isReady).length * this.config.instanceConcurrency;
        if (startingSlots < this.pending && current.length < this.options.maxInstances) {
          this.start().catch((error: unknown) => {
            this.startFailure = { at: Date.now(), error: error as Error };
            this.options.log((error as Error).message);
            this.wake();
          });
        }
        if (Date.now() > deadline) {
          throw new FunctionStartError(
            `function ${this.key}: no instance had a free slot within ${this.options.startTimeoutMs / 1000} s`,
          );
        }
        await new Promise<void>((resolve) => {
          this.waiters.push(resolve);
          setTimeout(resolve, 250);
        });
      }
    } finally {
      this.pending -= 1;
    }
  }

  private take(instance: Instance): { port: number; release: () => void } {
    instance.inFlight += 1;
    instance.lastUsed = Date.now();
    let done = false;
    return {
      port: instance.port,
      release: () => {
        if (done) return;
        done = true;
        instance.inFlight -= 1;
        instance.lastUsed = Date.now();
        this.wake();
      },
    };
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }

  private async start(): Promise<Instance> {
    const { config } = this;
    const id = `c-${randomBytes(6).toString('hex')}`;
    const port = await randomFreePort();
    const env = await config.env().catch((error: unknown) => {
      throw new FunctionStartError(`function ${this.key}: ${(error as Error).message}`);
    });
    const dir = join(this.options.logDir, this.key.replace('/', '_'));
    mkdirSync(dir, { recursive: true });
    const log = createWriteStream(join(dir, `${id}.log`), { flags: 'a' });
    const argv = [...config.image.command, ...(config.image.args ?? [])];
    // Instances die with this process even when it is killed (no orphan holding a port): setpriv's parent-death
    // signal, where util-linux has it.
    const [file = process.execPath, ...args] = existsSync(SETPRIV)
      ? [SETPRIV, '--pdeathsig', 'KILL', '--', ...argv]
      : argv;
    const child = spawn(file, args, {
      cwd: config.image.dir,
      env: { PATH: process.env.PATH ?? '', ...config.image.env, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const instance: Instance = {
      id,
      version: config.version,
      port,
      child,
      isReady: false,
      inFlight: 0,
      lastUsed: Date.now(),
      ready: (async () => {
        const deadline = Date.now() + this.options.startTimeoutMs;
        const ready = () => containerReady(port, config.readinessPath);
        while (!(await ready())) {
          if (child.exitCode !== null || child.signalCode !== null)
            throw new FunctionStartError(`function ${this.key}: instance ${id} exited while starting`);
          if (Date.now() > deadline)
            throw new FunctionStartError(`function ${this.key}: instance ${id} did not turn ready`);
          await sleep(50);
        }
      })(),
    };
    this.instances.push(instance);
    this.options.log(`function ${this.key}: instance ${id} starting (${config.version}, port ${port})`);
    child.once('exit', (code, signal) => {
      log.end();
      const index = this.instances.indexOf(instance);
      if (index >= 0) this.instances.splice(index, 1);
      this.options.log(`function ${this.key}: instance ${id} exited (${signal ?? code})`);
      this.wake();
    });
    try {
      await instance.ready;
      instance.isReady = true;
      this.options.log(`function ${this.key}: instance ${id} ready`);
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    } finally {
      this.wake();
    }
    return instance;
  }

  /** Stops instances of an older version, and idle ones. */
  sweep(now: number): void {
    for (const instance of [...this.instances]) {
      const stale = instance.version !== this.config.version && instance.inFlight === 0;
      const idle =
        instance.isReady && instance.inFlight === 0 && now - instance.lastUsed > this.options.idleMs;
      if (stale || idle) stopInstance(instance);
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.instances.map((instance) => stopInstance(instance)));
  }
}

async function stopInstance(instance: Instance): Promise<void> {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export class FunctionInstances {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: FunctionInstancesOptions) {
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const pool of this.pools.values()) pool.sweep(now);
    }, 1_000);
    this.sweeper.unref();
  }

  /** Creates or reconfigures a function; instances of an older version stop once their invocations are over. */
  configure(key: string, config: FunctionConfig): void {
    const pool = this.pools.get(key);
    if (pool) pool.config = config;
    else this.pools.set(key, new FunctionPool(key, config, this.options));
  }

  async remove(key: string): Promise<void> {
    const pool = this.pools.get(key);
    this.pools.delete(key);
    await pool?.stopAll();
  }

  /** An instance slot for one invocation (starting an instance when none is free); call `release` when done. */
  acquire(key: string): Promise<{ port: number; release: () => void }> {
    const pool = this.pools.get(key);
    if (!pool) throw new FunctionStartError(`function ${key} is not configured`);
    return pool.acquire();
  }

  instancesOf(key: string): InstanceInfo[] {
    return (this.pools.get(key)?.instances ?? []).map((instance) => ({
      instanceId: instance.id,
      version: instance.version,
      ready: instance.isReady,
      inFlight: instance.inFlight,
    }));
  }

  async shutdown(): Promise<void> {
    clearInterval(this.sweeper);
    await Promise.all([...this.pools.values()].map((pool) => pool.stopAll()));
    this.pools.clear();
  }
}
