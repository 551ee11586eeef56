// What a running playground looks like from outside: the shape `up --json` prints and `<dir>/state.json` holds,
// and a reader for it. Kept tiny on purpose (types + one reader, no CLI code) so the console engine and the tests
// can find a running playground without importing the machinery that starts one.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** One process of the playground, as recorded when it was started. */
export interface PartInfo {
  running: boolean;
  pid: number;
  /** The main port the part serves (client port for etcd, secure port for kube-apiserver, broker port for Kafka). */
  port?: number;
  /** Every port the part holds, by role (e.g. `{ client, peer }`), so a restart can ask for the same ones again. */
  ports?: Record<string, number>;
  /** Absolute path of the part's log (stdout + stderr). */
  log: string;
  /** ISO time the process was started. */
  startedAt: string;
}

export interface PlaygroundInfo {
  dir: string;
  /** Absolute path of the playground's own kubeconfig (never ~/.kube/config). */
  kubeconfig: string;
  contexts: { admin: 'knative-desk-playground'; viewer: 'knative-desk-playground-viewer' };
  /** `https://127.0.0.1:<port>` */
  apiServer: string;
  /** `['127.0.0.1:<port>']`; empty when the playground was brought up with `--no-kafka`. */
  kafkaBrokers: string[];
  /** The one namespace the viewer context may read (and nothing else). */
  viewerNamespace: 'knative-desk-demo';
  parts: Record<string, PartInfo>;
  /** Pinned versions the parts were started from (playground/versions.json). */
  versions: Record<string, string>;
  /** Fields other parts add: the KIngress's `<dir>/runtime.json` (`ingress`, …), the FC part's `fc`. */
  [extra: string]: unknown;
}

export const ADMIN_CONTEXT = 'knative-desk-playground';
export const VIEWER_CONTEXT = 'knative-desk-playground-viewer';
export const VIEWER_NAMESPACE = 'knative-desk-demo';

/** Cache of binaries and jars shared by every playground dir: `$KNATIVE_DESK_CACHE` or `~/.cache/knative-desk`. */
export function defaultCacheDir(): string {
  return process.env.KNATIVE_DESK_CACHE || join(homedir(), '.cache', 'knative-desk');
}

/** The playground dir: `$KNATIVE_DESK_PLAYGROUND_DIR` or `<cache>/playground`. */
export function defaultPlaygroundDir(): string {
  return process.env.KNATIVE_DESK_PLAYGROUND_DIR || join(defaultCacheDir(), 'playground');
}

export function stateFilePath(dir: string): string {
  return join(dir, 'state.json');
}

/** Written by the KIngress part (parts/upstream-parts.ts); its top-level fields are merged into the info (the playground's own fields win). */
export function runtimeFilePath(dir: string): string {
  return join(dir, 'runtime.json');
}

/**
 * True when a process with this pid exists and has not exited (signal 0 checks without touching it). A zombie —
 * exited, not yet reaped by the parent that started it (e.g. a test that started the part) — counts as dead.
 */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  try {
    // /proc/<pid>/stat is "pid (comm) state …"; comm may contain spaces and parentheses, so split at the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (not Linux), or it just went away
  }
}

/**
 * Reads `<dir>/state.json` (merged with `<dir>/runtime.json` when present) and refreshes each part's `running`
 * from its pid. Returns undefined when no playground was ever started there; throws with the path when the file
 * exists but is not a playground state (so a corrupt file is reported, not silently ignored).
 */
export function readPlaygroundInfo(dir: string = defaultPlaygroundDir()): PlaygroundInfo | undefined {
  const statePath = stateFilePath(dir);
  if (!existsSync(statePath)) return undefined;
  const state = parseJsonObject(statePath);
  if (typeof state.kubeconfig !== 'string' || typeof state.parts !== 'object' || state.parts === null) {
    throw new Error(
      `${statePath} is not a playground state file (no kubeconfig/parts); remove it or run \`up\``,
    );
  }
  const runtimePath = runtimeFilePath(dir);
  const runtime = existsSync(runtimePath) ? safeParseJsonObject(runtimePath) : {};
  // The FC part (parts/fc.ts) names the FC double in a file of its own.
  const fcPath = join(dir, 'fc.json');
  const fc = existsSync(fcPath) ? safeParseJsonObject(fcPath).fc : undefined;
  const info = { ...runtime, ...(fc === undefined ? {} : { fc }), ...state } as PlaygroundInfo;
  for (const part of Object.values(info.parts)) part.running = isPidAlive(part.pid);
  return info;
}

function parseJsonObject(path: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${path} does not hold a JSON object`);
  }
  return value as Record<string, unknown>;
}

// runtime.json belongs to another process that may be mid-write; a bad one must not hide the playground itself.
function safeParseJsonObject(path: string): Record<string, unknown> {
  try {
    return parseJsonObject(path);
  } catch {
    return {};
  }
}
