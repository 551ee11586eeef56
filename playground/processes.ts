// Detached child processes: started so they outlive the CLI, recorded by pid, stopped by pid.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { isPidAlive, type PartInfo } from './info';
import { MissingToolError, PartFailedError, PortTakenError } from './errors';
import type { Progress } from './progress';

export interface DetachedProcess {
  pid: number;
  log: string;
}

/**
 * Processes started for a playground whose part is not in its state file yet, one file each in `<dir>/starting/`. A
 * part is recorded only once it is ready (the API server's first start may take minutes), so whatever a stopped `up`
 * had started and not yet recorded would be found by no later `down`, and would hold the dir's data (Kafka's log
 * dir lock, etcd's) against the next `up`: a Ctrl-C during the first `up` left the second one failing. The files
 * outlive the process that wrote them; `up` and `down` stop what they list (stopOrphans).
 */
interface StartingRecord {
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat): a recycled pid has another. */
  startTicks: string;
  log: string;
}

const startingDir = (dir: string) => join(dir, 'starting');
const startingFile = (dir: string, pid: number) => join(startingDir(dir), `${pid}.json`);

/** The playground dir of a part's log, `<dir>/logs/<part>.log`. */
export function playgroundDirOfLog(log: string): string {
  return dirname(dirname(log));
}

const isPartLog = (log: string) => basename(dirname(log)) === 'logs';

function processStartTicks(pid: number): string | undefined {
  try {
    // Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces, so count after its closing ')'.
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Drops the process's record: its part is in the state file now (`down` finds it there), or the process is gone
 * (its pid may be reused by a process that is not ours).
 */
export function markRecorded(proc: DetachedProcess): void {
  if (isPartLog(proc.log)) rmSync(startingFile(playgroundDirOfLog(proc.log), proc.pid), { force: true });
}

/**
 * Stops every process started for the playground in `dir` whose part was never recorded — by an `up` in this process
 * still starting parts, or by one that was stopped — except the pids in `recorded` (an `up` stopped between writing
 * the state file and clearing the record). A record whose pid now runs another process is dropped.
 */
export async function stopOrphans(
  dir: string,
  recorded: ReadonlySet<number>,
  graceMs = 5_000,
): Promise<StartingRecord[]> {
  let names: string[];
  try {
    names = readdirSync(startingDir(dir)).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  const orphans: StartingRecord[] = [];
  for (const name of names) {
    const file = join(startingDir(dir), name);
    let record: StartingRecord | undefined;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as StartingRecord;
    } catch {
      record = undefined; // half written when its writer was stopped: it names no process to stop
    }
    if (
      record &&
      !recorded.has(record.pid) &&
      isPidAlive(record.pid) &&
      processStartTicks(record.pid) === record.startTicks
    )
      orphans.push(record);
    else rmSync(file, { force: true });
  }
  await Promise.all(
    orphans.map(async (orphan) => {
      await stopPid(orphan.pid, graceMs);
      rmSync(startingFile(dir, orphan.pid), { force: true });
    }),
  );
  return orphans;
}

/**
 * Starts `command` in its own session with stdout+stderr appended to `log`, and lets it outlive us. A header line
 * separates runs in the log, so the tail of a failure is this run's.
 */
export function startDetached(
  command: string,
  args: readonly string[],
  options: { log: string; cwd?: string; env?: NodeJS.ProcessEnv },
): DetachedProcess {
  mkdirSync(dirname(options.log), { recursive: true });
  const fd = openSync(options.log, 'a');
  try {
    writeSync(fd, `\n=== ${new Date().toISOString()} start: ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    child.unref();
    const startTicks = processStartTicks(child.pid);
    if (isPartLog(options.log) && startTicks) {
      const dir = playgroundDirOfLog(options.log);
      mkdirSync(startingDir(dir), { recursive: true });
      const record: StartingRecord = { pid: child.pid, startTicks, log: options.log };
      writeFileSync(startingFile(dir, child.pid), `${JSON.stringify(record)}\n`);
    }
    return { pid: child.pid, log: options.log };
  } finally {
    closeSync(fd);
  }
}

/** The last `lines` lines of a log (of this run only, after the last header). */
export function logTail(log: string, lines = 15): string {
  if (!existsSync(log)) return '';
  const text = readFileSync(log, 'utf8');
  const run = text.slice(text.lastIndexOf('\n=== ') + 1);
  return run.trimEnd().split('\n').slice(-lines).join('\n');
}

/** True when the pid is alive and its command line mentions `needle` (guards against pid reuse). */
export function isOurProcess(pid: number, needle: string): boolean {
  if (!isPidAlive(pid)) return false;
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (cmdline.length === 0) return false; // a zombie: exited, not yet reaped
    return cmdline.includes(needle);
  } catch {
    return true; // no /proc (not Linux): trust the pid
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops a process by pid: SIGTERM, then SIGKILL after `graceMs`. Only the given pid is signalled (never a name or a
 * group). Resolves once it is gone.
 */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
  if (!isPidAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isPidAlive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isPidAlive(pid)) await sleep(50);
}

const PORT_TAKEN = /address already in use|BindException|bind: address/i;

/**
 * Polls `probe` until it answers true. Fails fast, with the log path and its tail, when the process exits
 * (a `PortTakenError` when the log says its port was taken), or when `timeoutMs` passes. A probe that throws says
 * why it is not healthy yet: the last such reason goes into the timeout's message, since a log's tail then holds
 * only the shutdown we asked for.
 */
export async function waitUntilHealthy(
  part: string,
  proc: DetachedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem: string | undefined;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (!isPidAlive(proc.pid)) {
      markRecorded(proc);
      const tail = logTail(proc.log);
      if (PORT_TAKEN.test(tail)) throw new PortTakenError(part, proc.log, tail);
      throw new PartFailedError(part, proc.log, 'exited during start', tail);
    }
    const healthy = await probe().catch((error: unknown) => {
      lastProblem = error instanceof Error ? error.message : String(error);
      return false;
    });
    if (healthy) return;
    if (Date.now() > deadline) {
      await stopPid(proc.pid, 2_000);
      markRecorded(proc);
      throw new PartFailedError(
        part,
        proc.log,
        `did not become healthy within ${timeoutMs / 1000} s` +
          (lastProblem ? ` (its last check: ${lastProblem})` : ''),
        logTail(proc.log),
      );
    }
    await sleep(delay);
  }
}

/** Throws a MissingToolError naming what to install when `tool` is not on PATH. */
export function requireTool(tool: string, install: string): void {
  // An absolute shell: PATH may be exactly what is broken.
  const found = spawnSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0;
  if (!found) throw new MissingToolError(tool, install);
}

export function isExecutableFile(path: string): boolean {
  try {
    return statSync(path).isFile() && (statSync(path).mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** What a part records once its process serves; `port` is the one its health check asks. */
export function runningInfo(proc: DetachedProcess, port: number, ports: Record<string, number>): PartInfo {
  return { running: true, pid: proc.pid, port, ports, log: proc.log, startedAt: new Date().toISOString() };
}

/**
 * Runs a one-time build or fetch (`go`, `mvn`) in the foreground, passing each output line on as progress
 * (`  <label>: <line>`); fails with the last 20 lines when it exits non-zero. `clean` may rewrite a line or drop it.
 */
export async function runWithProgress(
  progress: Progress,
  what: string,
  command: string,
  args: readonly string[],
  options: { label: string; cwd?: string; clean?: (line: string) => string | undefined },
): Promise<void> {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (raw) => {
      const line = options.clean ? options.clean(raw) : raw;
      if (line === undefined) return;
      lines.push(line);
      progress(`  ${options.label}: ${line}`);
    });
  }
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`${what} failed (exit ${code}):\n${lines.slice(-20).join('\n')}`);
}

/** GET over TLS: the status and the body (its first 16 KiB); rejects when it cannot ask (refused, TLS, timeout). */
export function httpsGet(
  options: { host: string; port: number; path: string; timeoutMs: number } & Pick<
    RequestOptions,
    'ca' | 'headers'
  >,
): Promise<{ status: number; body: string }> {
  const { host, port, path, timeoutMs, ca, headers } = options;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        path,
        timeout: timeoutMs,
        ...(ca ? { ca, headers } : { rejectUnauthorized: false, headers }),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < 16_384) body += chunk;
        });
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 500, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path} did not answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * True when an HTTPS GET of `path` answers within `timeoutMs` with a status `accept` takes (200 by default); false
 * on any error or timeout. The health check of the parts that serve TLS.
 */
export function httpsAnswers(
  options: Parameters<typeof httpsGet>[0],
  accept: (status: number) => boolean = (status) => status === 200,
): Promise<boolean> {
  return httpsGet(options).then(
    ({ status }) => accept(status),
    () => false,
  );
}

/** Stops a part's recorded process, but only while its pid is still ours (`needle` in its command line): a
 * recycled pid belongs to someone else. */
export async function stopIfOurs(pid: number, needle: string, graceMs?: number): Promise<void> {
  if (isOurProcess(pid, needle)) await stopPid(pid, graceMs);
}
