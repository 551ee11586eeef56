// The playground's three verbs as functions (the CLI and the test setup share them): `up` starts what is not
// running (in dependency order, independent parts concurrently) and reuses what is; `down` stops what runs, by pid;
// `status` says what runs and answers.
import { mkdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import {
  ADMIN_CONTEXT,
  VIEWER_CONTEXT,
  VIEWER_NAMESPACE,
  defaultCacheDir,
  defaultPlaygroundDir,
  isPidAlive,
  readPlaygroundInfo,
  stateFilePath,
  type PartInfo,
  type PlaygroundInfo,
} from './info';
import { kubeconfigPath } from './kubeconfig';
import { withDirLock } from './lock';
import { markRecorded, stopOrphans } from './processes';
import { parts as allParts } from './parts/index';
import type { Part, PartContext } from './parts/part';
import { PortTakenError } from './errors';
import { stderrProgress, type Progress } from './progress';
import { readRawState, writeState } from './state';
import { loadVersions } from './versions';

export interface PlaygroundOptions {
  dir?: string;
  cache?: string;
  /** Leave Kafka (and the parts that depend on it) out; same as `without: ['kafka']`. */
  kafka?: boolean;
  /** Parts to leave out (and, transitively, the parts that depend on them). */
  without?: readonly string[];
  progress?: Progress;
  /** The parts to manage; defaults to playground/parts/index.ts. */
  parts?: readonly Part[];
}

export interface UpResult {
  info: PlaygroundInfo;
  /** Parts this call started (the ones a caller that brought the playground up should stop again). */
  started: string[];
  /** Parts that were already running and healthy. */
  reused: string[];
}

const PORT_ATTEMPTS = 3;

function resolveOptions(options: PlaygroundOptions) {
  const dir = resolve(options.dir ?? defaultPlaygroundDir());
  const cache = resolve(options.cache ?? defaultCacheDir());
  const progress = options.progress ?? stderrProgress;
  const without = [...(options.without ?? []), ...(options.kafka === false ? ['kafka'] : [])];
  return { dir, cache, progress, parts: partsWithout(options.parts ?? allParts, without, progress) };
}

/**
 * `parts` without the named ones and, transitively, the parts that depend on them. A name may already have gone
 * with an earlier one (`--without kafka,kafka-source`); only a name that is no part at all is refused.
 */
export function partsWithout(
  all: readonly Part[],
  names: readonly string[],
  progress: Progress = () => {},
): readonly Part[] {
  let parts = all;
  for (const name of new Set(names)) {
    if (!all.some((part) => part.name === name)) {
      throw new Error(
        `no playground part is called ${name} (parts: ${all.map((part) => part.name).join(', ')})`,
      );
    }
    if (parts.some((part) => part.name === name)) parts = withoutPart(parts, name, progress);
  }
  return parts;
}

/** Drops a part and, transitively, every part that depends on it. */
function withoutPart(parts: readonly Part[], name: string, progress: Progress): Part[] {
  const dropped = new Set([name]);
  for (let changed = true; changed;) {
    changed = false;
    for (const part of parts) {
      if (!dropped.has(part.name) && part.dependsOn.some((dep) => dropped.has(dep))) {
        dropped.add(part.name);
        progress(`leaving out ${part.name} (it needs ${name})`);
        changed = true;
      }
    }
  }
  return parts.filter((part) => !dropped.has(part.name));
}

function composeInfo(dir: string, recorded: Record<string, PartInfo>, versions: Record<string, string>) {
  for (const part of Object.values(recorded)) part.running = isPidAlive(part.pid);
  const apiserver = recorded['kube-apiserver'];
  const kafka = recorded.kafka;
  const info: PlaygroundInfo = {
    dir,
    kubeconfig: kubeconfigPath(dir),
    contexts: { admin: ADMIN_CONTEXT, viewer: VIEWER_CONTEXT },
    apiServer: apiserver?.port ? `https://127.0.0.1:${apiserver.port}` : '',
    kafkaBrokers: kafka?.running && kafka.port ? [`127.0.0.1:${kafka.port}`] : [],
    viewerNamespace: VIEWER_NAMESPACE,
    parts: recorded,
    versions,
  };
  return info;
}

export async function upPlayground(options: PlaygroundOptions = {}): Promise<UpResult> {
  const { dir, cache, progress, parts } = resolveOptions(options);
  mkdirSync(dir, { recursive: true });
  const versions = loadVersions();
  return withDirLock(dir, progress, async () => {
    const previous = readRawState(dir, progress);
    const recorded: Record<string, PartInfo> = { ...(previous?.parts ?? {}) };
    await stopLeftStarting(dir, recorded, progress);
    const healthy: Record<string, PartInfo> = {};
    const started: string[] = [];
    const reused: string[] = [];
    const save = () => writeState(composeInfo(dir, recorded, versions));
    const ctx: PartContext = {
      dir,
      cache,
      versions,
      progress,
      parts: healthy,
      stateFile: stateFilePath(dir),
    };

    const byName = new Map(parts.map((part) => [part.name, part]));
    const running = new Map<string, Promise<void>>();
    const bringUp = (part: Part): Promise<void> => {
      let pending = running.get(part.name);
      if (!pending) {
        pending = (async () => {
          for (const dep of part.dependsOn) {
            const needed = byName.get(dep);
            if (!needed) throw new Error(`${part.name} depends on ${dep}, which is not a playground part`);
            await bringUp(needed).catch(() => {
              throw new Error(`${part.name} was not started because ${dep} failed`);
            });
          }
          await ensurePart(part, ctx, recorded[part.name], { started, reused, healthy, recorded, save });
        })();
        running.set(part.name, pending);
      }
      return pending;
    };

    const results = await Promise.allSettled(parts.map(bringUp));
    save();
    const failures = results.flatMap((result) =>
      result.status === 'rejected' ? [result.reason as Error] : [],
    );
    // Root causes only: "not started because X failed" adds nothing when X's own error is shown.
    const roots = failures.filter((error) => !/was not started because/.test(error.message));
    if (roots.length === 1) throw roots[0];
    if (roots.length > 1)
      throw new Error(roots.map((error) => error.message).join('\n'), { cause: roots[0] });
    if (failures[0]) throw failures[0];
    const info = readPlaygroundInfo(dir);
    if (!info) throw new Error(`${stateFilePath(dir)} vanished during up`);
    return { info, started, reused };
  });
}

async function ensurePart(
  part: Part,
  ctx: PartContext,
  previous: PartInfo | undefined,
  book: {
    started: string[];
    reused: string[];
    healthy: Record<string, PartInfo>;
    recorded: Record<string, PartInfo>;
    save: () => void;
  },
): Promise<void> {
  let info: PartInfo;
  if (previous && (await part.isHealthy(previous, ctx).catch(() => false))) {
    info = { ...previous, running: true };
    book.reused.push(part.name);
    ctx.progress(`${part.name}: running (pid ${info.pid}), reused`);
  } else {
    if (previous) {
      // Alive but not answering (hung, or its dependency moved): replace it rather than leave two behind.
      await part.stop(previous);
      if (previous.running) ctx.progress(`${part.name}: was recorded but is not healthy; restarting`);
    }
    if (part.prepare) await part.prepare(ctx);
    ctx.progress(`${part.name}: starting`);
    const began = Date.now();
    info = await startWithPortRetry(part, ctx, previous);
    book.started.push(part.name);
    ctx.progress(`${part.name}: ready in ${((Date.now() - began) / 1000).toFixed(1)} s (pid ${info.pid})`);
  }
  book.recorded[part.name] = info;
  book.save();
  markRecorded(info);
  if (part.afterReady) await part.afterReady(info, ctx);
  book.healthy[part.name] = info;
  book.save();
}

async function startWithPortRetry(
  part: Part,
  ctx: PartContext,
  previous: PartInfo | undefined,
): Promise<PartInfo> {
  let wish = previous;
  for (let attempt = 1; ; attempt++) {
    try {
      return await part.start(ctx, wish);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw error;
      ctx.progress(`${part.name}: a port was taken meanwhile; retrying on other ports`);
      wish = undefined; // do not ask for the same ports again
    }
  }
}

/** Stops the processes an `up` started in `dir` and never recorded (stopOrphans), saying which. */
async function stopLeftStarting(
  dir: string,
  recorded: Readonly<Record<string, PartInfo>>,
  progress: Progress,
): Promise<void> {
  const keep = new Set(Object.values(recorded).map((part) => part.pid));
  for (const orphan of await stopOrphans(dir, keep)) {
    progress(
      `stopped pid ${orphan.pid} (${basename(orphan.log, '.log')}), started by an up that did not finish`,
    );
  }
}

export interface DownResult {
  stopped: string[];
  info: PlaygroundInfo | undefined;
}

/** Stops the named parts (default: all recorded), dependents first, by pid. Data dirs are kept. */
export async function downPlayground(options: PlaygroundOptions & { only?: readonly string[] } = {}) {
  const { dir, progress } = resolveOptions(options);
  const parts = options.parts ?? allParts;
  return withDirLock(dir, progress, async (): Promise<DownResult> => {
    const info = readPlaygroundInfo(dir);
    if (!options.only) await stopLeftStarting(dir, info?.parts ?? {}, progress);
    if (!info) {
      if (!options.only) for (const part of parts) part.release?.(dir);
      return { stopped: [], info };
    }
    const stopped: string[] = [];
    const order = [...parts].reverse();
    for (const part of order) {
      const recorded = info.parts[part.name];
      if (!recorded || (options.only && !options.only.includes(part.name))) continue;
      if (recorded.running) {
        progress(`${part.name}: stopping pid ${recorded.pid}`);
        await part.stop(recorded);
        stopped.push(part.name);
      }
      recorded.running = false;
    }
    for (const [name, recorded] of Object.entries(info.parts)) {
      if (recorded.running && !parts.some((part) => part.name === name)) {
        progress(`${name}: recorded but no longer a playground part; left alone (pid ${recorded.pid})`);
      }
    }
    // What the parts made outside their processes (network namespaces, links) goes too, whether or not an `up`
    // recorded them: one stopped mid-start leaves them unrecorded. A part stopped above has removed its own.
    if (!options.only) for (const part of order) if (!stopped.includes(part.name)) part.release?.(dir);
    const { parts: recordedParts, versions } = info;
    writeState(composeInfo(dir, recordedParts, versions));
    return { stopped, info: readPlaygroundInfo(dir) };
  });
}

export interface PartStatus extends PartInfo {
  healthy: boolean;
}

export interface StatusResult {
  dir: string;
  /** True when every part is running and answers. */
  healthy: boolean;
  info: PlaygroundInfo | undefined;
  parts: Record<string, PartStatus>;
}

export async function playgroundStatus(options: PlaygroundOptions = {}): Promise<StatusResult> {
  const { dir, cache, progress, parts } = resolveOptions(options);
  const info = readPlaygroundInfo(dir);
  const statuses: Record<string, PartStatus> = {};
  if (!info) return { dir, healthy: false, info, parts: statuses };
  const ctx: PartContext = {
    dir,
    cache,
    versions: loadVersions(),
    progress,
    parts: info.parts,
    stateFile: stateFilePath(dir),
  };
  await Promise.all(
    parts.map(async (part) => {
      const recorded = info.parts[part.name];
      if (!recorded) return;
      const healthy = recorded.running && (await part.isHealthy(recorded, ctx).catch(() => false));
      statuses[part.name] = { ...recorded, healthy };
    }),
  );
  const healthy = parts.every((part) => statuses[part.name]?.healthy === true);
  return { dir, healthy, info, parts: statuses };
}
