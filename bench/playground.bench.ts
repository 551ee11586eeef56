// Playground figures, each printed as `name: value unit (reference, ratio)`:
// - cold `up`: a fresh playground dir (state, tokens and keys, serving certificate, etcd data, Kafka format, CRDs,
//   Knative Serving, the virtual node) with every binary and the Kafka jars already cached; reference, same run:
//   bare etcd + kube-apiserver started cold in another fresh dir until /readyz answers (no CRDs, Kafka, Knative);
// - warm `up`: `up` again after `down` on the same dir; against the goal (30 s on 2 cores) and against bare
//   etcd + kube-apiserver restarted warm on their dir, same run;
// - resident memory of the running playground: VmRSS from /proc/<pid>/status summed over every part's pid and
//   its descendants (the pods the virtual node runs, tsx's esbuild service); against the goal 2 GiB, plus each
//   part's share of the total;
// - the one-time build of etcd + kube-apiserver, read from the `<binary>.build-seconds` files that
//   playground/scripts/build-binaries.sh writes (nothing is printed when the cache was built before those existed).
//   With KNATIVE_DESK_BENCH_BUILD=1 the build is also timed here, into a temporary cache with an empty Go build
//   cache (the Go module cache stays warm, so downloads are not timed): many minutes on 2 cores.
// Everything runs in a private playground under a temp dir (never the default one, which tests may be using), on
// free loopback ports; it is stopped and removed at the end, on failure and on SIGINT/SIGTERM too. Needs the cache
// (`npm run -s playground -- up` once); it refuses rather than start a build of its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultCacheDir, stateFilePath, type PartInfo, type PlaygroundInfo } from '../playground/info';
import { kafkaHome } from '../playground/kafka-jars';
import { apiserverBinary, etcdBinary } from '../playground/kube-binaries';
import { etcdPart } from '../playground/parts/etcd';
import { kubeApiserverPart } from '../playground/parts/kube-apiserver';
import type { PartContext } from '../playground/parts/part';
import { downPlayground, upPlayground } from '../playground/playground';
import { isExecutableFile, stopPid } from '../playground/processes';
import type { Progress } from '../playground/progress';
import { loadVersions } from '../playground/versions';
import { childrenByParent, rssMiB, withDescendants } from './proc-tree';
import { reportFigures } from './report-figure';

const WARM_UP_GOAL_S = 30;
const RESIDENT_GOAL_MIB = 2048;
const SETTLE_MS = 5_000;

const root = mkdtempSync(join(tmpdir(), 'knative-desk-bench-playground-'));
const cache = defaultCacheDir();
const versions = loadVersions();
const say: Progress = (message) => process.stderr.write(`  [playground bench] ${message}\n`);
// Once clean-up has begun, an `up` still in flight must not start another part (it would outlive the clean-up):
// every part announces "starting" through progress first, so progress throws from then on.
let stopping = false;
const progress: Progress = (message) => {
  if (stopping) throw new Error('the bench is stopping');
  say(message);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ms: number) => ms / 1000;

function line(name: string, value: string, unit: string, reference: string, ratio: number): void {
  console.log(`${name}: ${value} ${unit} (${reference}, ${ratio.toFixed(2)})`);
}
const fmt = (n: number) => n.toFixed(n < 10 ? 2 : 1);

function context(dir: string, parts: Record<string, PartInfo> = {}): PartContext {
  return { dir, cache, versions, progress, parts, stateFile: stateFilePath(dir) };
}

function requireCache(): void {
  const ctx = context(root);
  const missing = [etcdBinary(ctx), apiserverBinary(ctx)].filter((path) => !isExecutableFile(path));
  if (!existsSync(join(kafkaHome(ctx), 'lib', '.complete'))) missing.push(join(kafkaHome(ctx), 'lib'));
  if (missing.length > 0) {
    throw new Error(
      `the playground cache is not complete (missing: ${missing.join(', ')}); this bench measures \`up\` with ` +
        'binaries and jars cached: run `npm run -s playground -- up` once (or wait for a build in progress)',
    );
  }
}

// ---- bare etcd + kube-apiserver (the reference) -------------------------------------------------------------

const bareStarted: PartInfo[] = [];

/** Starts etcd, then kube-apiserver on it, through the playground's own parts, until /readyz answers. */
async function bareStart(dir: string): Promise<number> {
  const began = performance.now();
  const etcd = await etcdPart.start(context(dir), undefined);
  await keep(etcd);
  await keep(await kubeApiserverPart.start(context(dir, { etcd }), undefined));
  const elapsed = performance.now() - began;
  await bareStop();
  return elapsed;
}

/** Records a started bare part, or stops it at once when clean-up has already run. */
async function keep(info: PartInfo): Promise<void> {
  bareStarted.push(info);
  if (stopping) {
    await bareStop();
    throw new Error('the bench is stopping');
  }
}

async function bareStop(): Promise<void> {
  for (const info of bareStarted.splice(0).reverse()) await stopPid(info.pid);
}

// ---- resident memory ------------------------------------------------------------------------------------------

/** MiB resident per part: the part's pid and every descendant of it. */
function residentByPart(info: PlaygroundInfo): Record<string, number> {
  const children = childrenByParent();
  const result: Record<string, number> = {};
  for (const [name, part] of Object.entries(info.parts)) {
    if (!part.running) continue;
    result[name] = withDescendants(part.pid, children).reduce((mib, pid) => mib + rssMiB(pid), 0);
  }
  return result;
}

// ---- optional: time the one-time build ------------------------------------------------------------------------

function timeBuildIntoTempCache(): Promise<number> {
  const script = fileURLToPath(new URL('../playground/scripts/build-binaries.sh', import.meta.url));
  const tempCache = join(root, 'build-cache');
  progress('timing a build of etcd + kube-apiserver into a temporary cache (many minutes)');
  const began = performance.now();
  const child = spawn('bash', [script, tempCache, versions.kubernetes, versions.etcd], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // An empty Go build cache, so every package is compiled; the module cache (downloads) stays shared.
    env: { ...process.env, GOCACHE: join(root, 'go-build-cache') },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(performance.now() - began) : reject(new Error(`build-binaries.sh exited ${code}`)),
    );
  });
}

function recordedBuildSeconds(): number | undefined {
  const ctx = context(root);
  let total = 0;
  for (const binary of [etcdBinary(ctx), apiserverBinary(ctx)]) {
    const file = `${binary}.build-seconds`;
    if (!existsSync(file)) return undefined;
    const value = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isFinite(value)) return undefined;
    total += value;
  }
  return total;
}

// ---- clean-up -------------------------------------------------------------------------------------------------

const playgroundDir = join(root, 'playground');

/** Processes whose command line names our temp dir: ours for sure (the path is random), e.g. one `up` was starting. */
function leftoverPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(root)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

let cleaned: Promise<void> | undefined;
function cleanUp(): Promise<void> {
  stopping = true;
  cleaned ??= (async () => {
    await bareStop().catch(() => undefined);
    if (existsSync(stateFilePath(playgroundDir))) {
      await downPlayground({ dir: playgroundDir, cache, progress: say }).catch((error: unknown) =>
        say(`down failed: ${(error as Error).message}`),
      );
    }
    await Promise.all(leftoverPids().map((pid) => stopPid(pid, 10_000)));
    rmSync(root, { recursive: true, force: true });
  })();
  return cleaned;
}

// kafkajs 2.2.4 schedules a timer with a negative delay on every connection (harmless; Node clamps it to 1 ms):
// drop that one warning, as playground/cli.ts does, so the output stays readable.
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'TimeoutNegativeWarning')
    process.stderr.write(`${warning.name}: ${warning.message}\n`);
});

// A second signal (Ctrl-C twice, or one sent to npx and the bench alike) must not cut the clean-up short.
let cleaningUp: Promise<void> | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (cleaningUp) return;
    say(`${signal}: stopping the private playground`);
    cleaningUp = cleanUp().finally(() => process.exit(130));
  });
}

// ---- the run ----------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  requireCache();
  const bareDir = join(root, 'bare');

  progress('reference: bare etcd + kube-apiserver, cold');
  const bareCold = await bareStart(bareDir);

  progress(`cold up in ${playgroundDir}`);
  let began = performance.now();
  const cold = await upPlayground({ dir: playgroundDir, cache, progress });
  const coldUp = performance.now() - began;
  if (cold.reused.length > 0) throw new Error(`cold up reused ${cold.reused.join(', ')}`);
  await downPlayground({ dir: playgroundDir, cache, progress });

  progress('reference: bare etcd + kube-apiserver, warm');
  const bareWarm = await bareStart(bareDir);

  progress('warm up on the same dir');
  began = performance.now();
  const warm = await upPlayground({ dir: playgroundDir, cache, progress });
  const warmUp = performance.now() - began;
  if (warm.reused.length > 0) throw new Error(`warm up reused ${warm.reused.join(', ')}`);

  await sleep(SETTLE_MS);
  // The largest of three samples a second apart (the JVM's and Node's heaps move a little while idle).
  let resident: Record<string, number> = {};
  let total = 0;
  for (let i = 0; i < 3; i++) {
    const sample = residentByPart(warm.info);
    const sum = Object.values(sample).reduce((a, b) => a + b, 0);
    if (sum > total) [resident, total] = [sample, sum];
    await sleep(1_000);
  }

  const bareName = 'bare etcd + kube-apiserver to /readyz';
  reportFigures([
    ['playground cold up', seconds(coldUp), 's', `${bareName}, cold,`, seconds(bareCold)],
    ['playground warm up', seconds(warmUp), 's', 'goal', WARM_UP_GOAL_S],
    ['playground warm up vs bare start', seconds(warmUp), 's', `${bareName}, warm,`, seconds(bareWarm)],
    ['playground resident memory', total, 'MiB', 'goal', RESIDENT_GOAL_MIB],
  ]);
  for (const [name, mib] of Object.entries(resident).sort((a, b) => b[1] - a[1])) {
    line(`playground resident memory, ${name}`, fmt(mib), 'MiB', `all parts ${fmt(total)} MiB`, mib / total);
  }

  const recorded = recordedBuildSeconds();
  if (recorded !== undefined) {
    line(
      'playground one-time build (etcd + kube-apiserver, recorded)',
      fmt(recorded),
      's',
      `cold up ${fmt(seconds(coldUp))} s`,
      recorded / seconds(coldUp),
    );
  } else {
    progress(
      'no <binary>.build-seconds files in the cache (built before they were recorded): no build figure',
    );
  }
  if (process.env.KNATIVE_DESK_BENCH_BUILD === '1') {
    await downPlayground({ dir: playgroundDir, cache, progress });
    const build = await timeBuildIntoTempCache();
    line(
      'playground one-time build (etcd + kube-apiserver, timed now)',
      fmt(seconds(build)),
      's',
      `cold up ${fmt(seconds(coldUp))} s`,
      build / coldUp,
    );
  }
}

try {
  await main();
} catch (error) {
  console.error(`playground bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
