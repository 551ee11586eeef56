// One replica = one local Node process running a workload entry (a bundled `.mjs` as is, TypeScript through tsx),
// with the resolved env and PORT.
// Readiness is the container's readinessProbe.httpGet when it has one, else a TCP probe on PORT (Knative's
// default readiness probe for a container port). Logs go to a file per
// pod so they outlive the process (`kubectl logs` has no kubelet to ask here; the runtime serves them instead).

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { containerReady } from '../fc/container-ready';
import { randomFreePort } from '../ports';

const tsxLoader = createRequire(import.meta.url).resolve('tsx');

export interface ReplicaOptions {
  readonly podName: string;
  /** Absolute path of the entry: an esbuild bundle (`.mjs`) or a TypeScript source (run through tsx). */
  readonly entry: string;
  readonly cwd: string;
  readonly logFile: string;
  /** Heap cap per replica, so dozens of copies fit in the shared machine. */
  readonly maxOldSpaceMb: number;
}

export type ExitListener = (code: number | null, signal: NodeJS.Signals | null, expected: boolean) => void;

export class ReplicaProcess {
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();
  port = 0;

  constructor(
    private readonly options: ReplicaOptions,
    private readonly onExit: ExitListener,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Spawns the process on a fresh port; resolves once it is ready — PORT accepts connections, or, with
   * `readinessPath` (the container's readinessProbe.httpGet.path), that path answers 2xx/3xx — and rejects if
   * the process exits first or the timeout passes.
   */
  async start(readyTimeoutMs: number, env: Record<string, string>, readinessPath?: string): Promise<void> {
    this.stopping = false;
    this.port = await randomFreePort();
    mkdirSync(dirname(this.options.logFile), { recursive: true });
    this.log ??= createWriteStream(this.options.logFile, { flags: 'a' });
    this.log.write(`--- ${new Date().toISOString()} starting ${this.options.entry} on port ${this.port}\n`);
    // A bundle starts with a fifth of the CPU of tsx compiling the sources (0.15 s against 0.8 s for processing,
    // measured by the e2e bench's per-process CPU), which counts when the KPA starts pods under load.
    const loader = this.options.entry.endsWith('.mjs') ? [] : ['--import', tsxLoader];
    const child = spawn(
      process.execPath,
      [`--max-old-space-size=${this.options.maxOldSpaceMb}`, ...loader, this.options.entry],
      {
        cwd: this.options.cwd,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          ...env,
          PORT: String(this.port),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    let exitedEarly = false;
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        exitedEarly = true;
        this.log?.write(`--- ${new Date().toISOString()} exited code=${code} signal=${signal}\n`);
        this.onExit(code, signal, this.stopping);
        resolve();
      });
    });
    child.once('error', (error) => this.log?.write(`--- spawn error: ${error.message}\n`));
    const deadline = Date.now() + readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exitedEarly)
        throw new Error(`the process exited before listening on PORT ${this.port} (see its log)`);
      if (await containerReady(this.port, readinessPath)) return;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(`the process did not listen on PORT ${this.port} within ${readyTimeoutMs / 1000} s`);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || !this.running) {
      this.closeLog();
      return;
    }
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.closeLog();
  }

  private closeLog(): void {
    this.log?.end();
    this.log = undefined;
  }
}
