// The one interface every playground part implements. A part is a long-running process: the orchestrator
// (playground/up.ts) starts parts in dependency order, records them in the state file, and stops them by pid.
import type { PartInfo } from '../info';
import type { Progress } from '../progress';
import type { Versions } from '../versions';

export interface PartContext {
  /** The playground dir (state, logs, data). */
  dir: string;
  /** Cache of binaries and jars shared by every playground dir. */
  cache: string;
  versions: Versions;
  progress: Progress;
  /** Parts already healthy in this `up`, by name (a part only reads those it depends on). */
  parts: Readonly<Record<string, PartInfo>>;
  /** Path of `<dir>/state.json`, as far as written so far (the parts it depends on are in it). */
  stateFile: string;
}

export interface Part {
  name: string;
  /** Parts that must be healthy before this one starts. Independent parts start concurrently. */
  dependsOn: readonly string[];
  /**
   * One-time preparation that may take minutes the first time (builds, downloads); cached afterwards. Runs before
   * `start`, only when the part is not already running.
   */
  prepare?(ctx: PartContext): Promise<void>;
  /**
   * Starts the process and resolves once it serves. `previous` is what the last run recorded (to ask for the same
   * ports again). Throws PartFailedError (with the log path) when it dies.
   */
  start(ctx: PartContext, previous: PartInfo | undefined): Promise<PartInfo>;
  /** True when the recorded process is ours, alive and answers its health check. */
  isHealthy(info: PartInfo, ctx: PartContext): Promise<boolean>;
  /** Idempotent setup after the part is healthy, whether just started or reused (e.g. CRDs, RBAC, kubeconfig). */
  afterReady?(info: PartInfo, ctx: PartContext): Promise<void>;
  /** Stops the process (by pid). */
  stop(info: PartInfo): Promise<void>;
  /**
   * Removes what the part makes outside its process and names after the dir (network namespaces, links), whether or
   * not its process was recorded: a full `down` runs it for every part once their processes are stopped, so what an
   * `up` stopped mid-start left goes too. Idempotent.
   */
  release?(dir: string): void;
}
