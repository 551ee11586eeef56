// Playground runtime figures, each against a reference measured in the same run:
// - cold start: first request at zero → first 2xx, against starting one replica process directly (the floor);
// - scale-up: a load step's scale decision → the new pods Ready (goal ≤ 3 s), against the same direct start;
// - ingress added latency: p50 / p99 and req/s through the ingress against calling the replica directly.
// Needs `npm run -s playground -- up`. Loopback only; every load loop is bounded in count or time.
import { join } from 'node:path';
import autocannon from 'autocannon';
import { entryForImage, PROBE_IMAGE, repoRoot } from '../playground/runtime/image-catalog';
import { ReplicaProcess } from '../playground/runtime/replica-process';
import { tmpdir } from 'node:os';
import {
  connect,
  deleteServicesAndNamespace,
  deployProbe,
  get,
  makeNamespace,
  median,
  replicasIn,
  report,
  until,
  waitReady,
  type BenchRuntime,
} from './runtime-support';

async function directStartMs(): Promise<number> {
  const entry = entryForImage(PROBE_IMAGE) ?? '';
  const timings: number[] = [];
  for (let i = 0; i < 3; i++) {
    const replica = new ReplicaProcess(
      {
        podName: `bench-direct-${i}`,
        entry,
        cwd: repoRoot,
        logFile: join(tmpdir(), `bench-direct-${i}.log`),
        maxOldSpaceMb: 128,
      },
      () => undefined,
    );
    const start = performance.now();
    await replica.start(30_000, {});
    timings.push(performance.now() - start);
    await replica.stop(5000);
  }
  return median(timings);
}

async function readyCount(runtime: BenchRuntime, namespace: string, revision: string): Promise<number> {
  return (await replicasIn(runtime, namespace)).filter(
    (row) => row.revision === revision && row.ready && !row.deleting,
  ).length;
}

async function coldStartMs(runtime: BenchRuntime, namespace: string): Promise<number> {
  await deployProbe(
    runtime,
    namespace,
    'cold',
    { 'autoscaling.knative.dev/minScale': '0', 'autoscaling.knative.dev/window': '6s' },
    2,
  );
  await waitReady(runtime, namespace, 'cold');
  const timings: number[] = [];
  for (let i = 0; i < 3; i++) {
    await until(
      'cold at zero',
      async () => (await readyCount(runtime, namespace, 'cold-00001')) === 0,
      90_000,
      200,
    );
    const start = performance.now();
    const response = await get(`${runtime.ingress}/_/${namespace}/cold/first`);
    if (response.status !== 200) throw new Error(`cold start answered ${response.status}: ${response.body}`);
    timings.push(performance.now() - start);
  }
  return median(timings);
}

interface Revisions {
  key: string;
  ready: number;
  decision?: { desiredScale: number };
}

async function scaleUpMs(
  runtime: BenchRuntime,
  namespace: string,
): Promise<{ worst: number; steps: number }> {
  await deployProbe(
    runtime,
    namespace,
    'step',
    {
      'autoscaling.knative.dev/minScale': '1',
      'autoscaling.knative.dev/maxScale': '6',
      'autoscaling.knative.dev/window': '6s',
    },
    2,
  );
  await waitReady(runtime, namespace, 'step');
  await until(
    'step has one ready pod',
    async () => (await readyCount(runtime, namespace, 'step-00001')) === 1,
    60_000,
  );
  const key = `${namespace}/step-00001`;
  const pending: { desired: number; decidedAt: number }[] = [];
  const delays: number[] = [];
  let lastDesired = 1;
  let loadRunning = true;
  const poller = (async () => {
    while (loadRunning) {
      const rows = JSON.parse((await get(`${runtime.admin}/revisions`)).body) as Revisions[];
      const row = rows.find((candidate) => candidate.key === key);
      const now = performance.now();
      if (row?.decision && row.decision.desiredScale > lastDesired) {
        pending.push({ desired: row.decision.desiredScale, decidedAt: now });
        lastDesired = row.decision.desiredScale;
      }
      while (pending.length > 0 && row && row.ready >= (pending[0]?.desired ?? Infinity)) {
        delays.push(now - (pending.shift()?.decidedAt ?? now));
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  // The load step: 12 clients, each request held 400 ms, for 12 s (bounded).
  const stopAt = Date.now() + 12_000;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (Date.now() < stopAt) await get(`${runtime.ingress}/_/${namespace}/step/load?holdMs=400`);
    }),
  );
  loadRunning = false;
  await poller;
  if (delays.length === 0) throw new Error('the load step caused no scale-up decision');
  return { worst: Math.max(...delays), steps: delays.length };
}

async function cannon(url: string): Promise<autocannon.Result> {
  return autocannon({ url, connections: 8, duration: 5, pipelining: 1 });
}

async function ingressOverhead(runtime: BenchRuntime, namespace: string) {
  await deployProbe(
    runtime,
    namespace,
    'lat',
    { 'autoscaling.knative.dev/minScale': '1', 'autoscaling.knative.dev/maxScale': '1' },
    0,
  );
  await waitReady(runtime, namespace, 'lat');
  await until(
    'lat has one ready pod',
    async () => (await readyCount(runtime, namespace, 'lat-00001')) === 1,
    60_000,
  );
  const replica = (await replicasIn(runtime, namespace)).find(
    (row) => row.revision === 'lat-00001' && row.ready,
  );
  if (!replica) throw new Error('no lat replica');
  await cannon(`http://127.0.0.1:${replica.port}/warm`); // warm both paths before measuring
  const direct = await cannon(`http://127.0.0.1:${replica.port}/direct`);
  const through = await cannon(`${runtime.ingress}/_/${namespace}/lat/through`);
  if (direct.non2xx > 0 || through.non2xx > 0)
    throw new Error(`non-2xx answers: direct ${direct.non2xx}, ingress ${through.non2xx}`);
  return { direct, through };
}

async function main(): Promise<void> {
  const runtime = connect();
  const namespace = await makeNamespace(runtime, 'bench-runtime');
  try {
    const directMs = await directStartMs();
    report('runtime replica start (direct, reference)', directMs, 'ms', 'tsx process to listening PORT', 1);
    const coldMs = await coldStartMs(runtime, namespace);
    report(
      'runtime cold start (request at zero → first 2xx)',
      coldMs,
      'ms',
      `direct start ${directMs.toFixed(0)} ms`,
      coldMs / directMs,
    );
    const scale = await scaleUpMs(runtime, namespace);
    report(
      'runtime scale-up (decision → new pods Ready, worst step)',
      scale.worst,
      'ms',
      `goal 3000 ms; direct start ${directMs.toFixed(0)} ms; ${scale.steps} steps`,
      scale.worst / 3000,
    );
    const { direct, through } = await ingressOverhead(runtime, namespace);
    const rows = [
      ['runtime ingress latency p50', through.latency.p50, direct.latency.p50, 'ms'],
      ['runtime ingress latency p99', through.latency.p99, direct.latency.p99, 'ms'],
      ['runtime ingress throughput', through.requests.average, direct.requests.average, 'req/s'],
    ] as const;
    for (const [name, value, reference, unit] of rows) {
      const latency = unit === 'ms';
      const shown = latency ? String(reference) : reference.toFixed(0);
      report(name, value, unit, `direct ${shown} ${unit}`, value / Math.max(latency ? 0.001 : 1, reference));
    }
  } finally {
    await deleteServicesAndNamespace(runtime, namespace);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`runtime bench failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
