// Upstream serving mode figures (issue 9; KNATIVE_DESK_PLAYGROUND_SERVING=upstream), each printed as
// `name: value unit (reference value unit, ratio)` with the reference measured in the same run:
// - warm `up` of the upstream mode (etcd, kube-apiserver, controller manager, scheduler, Knative webhook, controller,
//   autoscaler, activator, virtual node, KIngress; no Kafka), against warm `up` of the imitation (same parts up to
//   the scheduler + the runtime; no Kafka), each `up` again after `down` on its own private dir;
// - idle API writes per second (kube-apiserver's apiserver_request_total, POST/PUT/PATCH/DELETE/APPLY; leases apart),
// - idle CPU (% of one core over IDLE_S seconds) and resident memory of the whole playground (every part's pid and
//   its descendants, the pods' processes included) with one probe Service at min-scale 1 and no traffic, against the
//   imitation with the same Service;
// - cold start: a request at zero through the KIngress (activator → scale from zero → the pod's queue-proxy → the
//   user container) until its first 2xx, median of COLD_SAMPLES, against starting the same bundled process directly
//   and polling it until it answers, same run.
// Needs root and the cache (Knative binaries, virtual node; `KNATIVE_DESK_PLAYGROUND_SERVING=upstream npm run -s
// playground -- up` once). Private playgrounds under a temp dir, stopped and removed at the end. No load: a handful
// of requests to loopback only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartInfo, PlaygroundInfo } from '../playground/info';
import { defaultCacheDir } from '../playground/info';
import { parts as imitationDefault } from '../playground/parts/index';
import type { Part } from '../playground/parts/part';
import { upstreamServingParts } from '../playground/parts/upstream-parts';
import { downPlayground, upPlayground } from '../playground/playground';
import { randomFreePort } from '../playground/ports';
import { PROBE_IMAGE } from '../playground/probe/probe-image';
import { kubectl } from '../test/support/kubectl';
import { reportFigure } from './report-figure';

const IDLE_S = Number(process.env.UPSTREAM_BENCH_IDLE_S ?? 20);
const COLD_SAMPLES = Number(process.env.UPSTREAM_BENCH_COLD_SAMPLES ?? 3);
const TICKS_PER_SECOND = 100;
const root = mkdtempSync(join(tmpdir(), 'knd-bench-upstream-'));
const say = (message: string) => process.stderr.write(`  [upstream bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The imitation as the default `up` has it, whatever mode this process was started in. */
const imitationParts: readonly Part[] = imitationDefault.some((part) => part.name === 'runtime')
  ? imitationDefault
  : [];

interface Mode {
  label: string;
  dir: string;
  parts: readonly Part[];
}
const upstream: Mode = { label: 'upstream', dir: join(root, 'upstream'), parts: upstreamServingParts };
const imitation: Mode = { label: 'imitation', dir: join(root, 'imitation'), parts: imitationParts };
const options = (mode: Mode) => ({
  dir: mode.dir,
  parts: mode.parts,
  without: ['kafka'],
  progress: () => {},
});

function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function pidsOf(info: PlaygroundInfo): number[] {
  const tree = processTree();
  const all: number[] = [];
  const walk = (pid: number) => {
    all.push(pid);
    for (const child of tree.get(pid) ?? []) walk(child);
  };
  for (const part of Object.values(info.parts) as PartInfo[]) if (part.running) walk(part.pid);
  return all;
}

function cpuTicks(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function rssMiB(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** kube-apiserver's write counters (apiserver_request_total, verbs that change objects), by resource. */
async function writeCounts(info: PlaygroundInfo): Promise<Map<string, number>> {
  const got = await kubectl(info, ['get', '--raw', '/metrics']);
  if (got.code !== 0) throw new Error(`kube-apiserver /metrics: ${got.stderr}`);
  const counts = new Map<string, number>();
  for (const line of got.stdout.split('\n')) {
    if (!line.startsWith('apiserver_request_total{')) continue;
    const verb = /verb="(\w+)"/.exec(line)?.[1] ?? '';
    if (!['POST', 'PUT', 'PATCH', 'DELETE', 'APPLY'].includes(verb)) continue;
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '';
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    counts.set(resource, (counts.get(resource) ?? 0) + value);
  }
  return counts;
}

interface Idle {
  cpu: number;
  rss: number;
  /** Writes per second, leases (leader election, node heartbeats) excluded. */
  writes: number;
  leaseWrites: number;
  byResource: string;
}

async function idleFigures(info: PlaygroundInfo): Promise<Idle> {
  const pids = pidsOf(info);
  const before = new Map(pids.map((pid) => [pid, cpuTicks(pid)]));
  const writesBefore = await writeCounts(info);
  await sleep(IDLE_S * 1000);
  const writesAfter = await writeCounts(info);
  const after = pidsOf(info);
  let ticks = 0;
  for (const pid of after) ticks += cpuTicks(pid) - (before.get(pid) ?? 0);
  const delta = [...writesAfter].map(
    ([resource, n]) => [resource, n - (writesBefore.get(resource) ?? 0)] as const,
  );
  const sum = (rows: (readonly [string, number])[]) => rows.reduce((total, [, n]) => total + n, 0);
  return {
    cpu: (100 * ticks) / TICKS_PER_SECOND / IDLE_S,
    rss: after.reduce((total, pid) => total + rssMiB(pid), 0),
    writes: sum(delta.filter(([resource]) => resource !== 'leases')) / IDLE_S,
    leaseWrites: sum(delta.filter(([resource]) => resource === 'leases')) / IDLE_S,
    byResource: delta
      .filter(([, n]) => n > 0)
      .map(([resource, n]) => `${resource} ${n}`)
      .join(', '),
  };
}

function get(url: string, host?: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { headers: host ? { host } : {}, timeout: 60_000 }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

async function deployProbe(info: PlaygroundInfo, name: string, annotations: Record<string, string>) {
  const service = {
    apiVersion: 'serving.knative.dev/v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: { template: { metadata: { annotations }, spec: { containers: [{ image: PROBE_IMAGE }] } } },
  };
  const applied = await kubectl(info, ['apply', '-f', '-'], { input: JSON.stringify(service) });
  if (applied.code !== 0) throw new Error(applied.stderr);
  const waited = await kubectl(info, [
    'wait',
    '--for=condition=Ready',
    `ksvc/${name}`,
    '-n',
    'default',
    '--timeout=180s',
  ]);
  if (waited.code !== 0) throw new Error(`${name} did not turn Ready: ${waited.stderr}`);
}

async function podCount(info: PlaygroundInfo, name: string): Promise<number> {
  const got = await kubectl(info, [
    'get',
    'pods',
    '-n',
    'default',
    '-l',
    `serving.knative.dev/service=${name}`,
    '-o',
    'name',
  ]);
  return got.stdout.split('\n').filter(Boolean).length;
}

async function warmUp(mode: Mode): Promise<{ seconds: number; info: PlaygroundInfo }> {
  await upPlayground(options(mode));
  await downPlayground(options(mode));
  const began = Date.now();
  const { info } = await upPlayground(options(mode));
  return { seconds: (Date.now() - began) / 1000, info };
}

/** Starts the probe bundle as a plain process and polls it until it answers: the cold start's reference. */
async function directStartMs(): Promise<number> {
  const port = await randomFreePort();
  const bundle = join(defaultCacheDir(), 'workload-bundles', 'probe', 'main.mjs');
  const began = Date.now();
  const child = spawn(process.execPath, [bundle], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    while ((await get(`http://127.0.0.1:${port}/`)) !== 200) {
      if (Date.now() - began > 30_000) throw new Error('the probe bundle did not answer within 30 s');
      await sleep(5);
    }
    return Date.now() - began;
  } finally {
    child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the upstream serving mode needs root');
  if (imitationParts.length === 0)
    throw new Error('run this bench without KNATIVE_DESK_PLAYGROUND_SERVING set');
  // Its playgrounds live in a temp dir of its own, beside any other (Knative's components run in namespaces).
  try {
    say('imitation: up, down, warm up');
    const im = await warmUp(imitation);
    say(`imitation warm up ${im.seconds.toFixed(1)} s; deploying a probe Service at min-scale 1`);
    await deployProbe(im.info, 'idle', { 'autoscaling.knative.dev/min-scale': '1' });
    const imIdle = await idleFigures(im.info);
    await downPlayground(options(imitation));

    say('upstream: up, down, warm up');
    const up = await warmUp(upstream);
    say(`upstream warm up ${up.seconds.toFixed(1)} s; deploying a probe Service at min-scale 1`);
    await deployProbe(up.info, 'idle', { 'autoscaling.knative.dev/min-scale': '1' });
    const upIdle = await idleFigures(up.info);

    reportFigure('upstream serving warm up', up.seconds, 's', 'imitation warm up', im.seconds);
    reportFigure('upstream serving idle CPU, 1 pod', upIdle.cpu, '% of a core', 'imitation', imIdle.cpu);
    reportFigure('upstream serving resident memory, 1 pod', upIdle.rss, 'MiB', 'imitation', imIdle.rss);
    reportFigure(
      'upstream serving idle API writes (leases excluded)',
      upIdle.writes,
      '/s',
      'imitation',
      imIdle.writes,
    );
    reportFigure(
      'upstream serving idle lease writes',
      upIdle.leaseWrites,
      '/s',
      'imitation',
      imIdle.leaseWrites,
    );
    say(
      `idle writes in ${IDLE_S} s — upstream: ${upIdle.byResource || 'none'}; imitation: ${imIdle.byResource || 'none'}`,
    );

    // Cold start. Upstream's shortest grace (6 s) and stable window (6 s) only shorten the wait for zero.
    const patched = await kubectl(up.info, [
      'patch',
      'configmap',
      'config-autoscaler',
      '-n',
      'knative-serving',
      '--type',
      'merge',
      '-p',
      JSON.stringify({ data: { 'scale-to-zero-grace-period': '6s' } }),
    ]);
    if (patched.code !== 0) throw new Error(patched.stderr);
    await deployProbe(up.info, 'cold', { 'autoscaling.knative.dev/window': '6s' });
    const gateway = up.info.ingress as string;
    const host = 'cold.default.svc.cluster.local';
    const cold: number[] = [];
    const direct: number[] = [];
    for (let sample = 0; sample < COLD_SAMPLES; sample++) {
      const deadline = Date.now() + 180_000;
      while ((await podCount(up.info, 'cold')) > 0) {
        if (Date.now() > deadline) throw new Error('the revision did not scale to zero within 180 s');
        await sleep(1_000);
      }
      const began = Date.now();
      const status = await get(`${gateway}/`, host);
      if (status < 200 || status >= 300) throw new Error(`request at zero answered ${status}`);
      cold.push(Date.now() - began);
      direct.push(await directStartMs());
      say(`cold start ${cold.at(-1)} ms, direct ${direct.at(-1)} ms`);
    }
    reportFigure(
      'upstream serving cold start (request at zero → 2xx), median',
      median(cold),
      'ms',
      'starting the process directly',
      median(direct),
    );
  } finally {
    await downPlayground(options(upstream)).catch(() => {});
    await downPlayground(options(imitation)).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `upstream serving bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
