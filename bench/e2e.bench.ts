// End-to-end barrage bench (issue 9, "Figures"): on a PRIVATE playground (its own control plane, Knative Serving,
// Kafka and virtual node in a temp dir; never the user's), the three barrage templates at their defaults
// with only the namespace typed (as the console's first run deploys them), one open HomePage result stream (SSE), and
// barrage POSTed open-loop (bench/open-loop.ts: a fixed schedule, not closed loop) at E2E_RATES msg/s (default
// 200, 500, 1000) for E2E_DURATION_S each (default 60; the README's figures come from the full 60 s run).
//
// Per rate it prints, as `name: value unit (reference, ratio)`:
// - e2e latency p50 / p99: from the POST's scheduled start to the arrival of that barrage (matched by the id HomePage
//   answered) on the SSE stream, in an HDR histogram; against the same-run reference of the HomePage POST alone
//   (scheduled start → 202, i.e. acknowledged by Kafka with acks=all) of the same requests;
// - accepted (202) against sent, refused (anything else, or no answer) against sent; barrage accepted but not seen
//   on the stream within the drain window count in the latency at that window (not left out);
// - where the time goes (p50 / p99 of each leg, from the ids' timestamps: HomePage's `sentAt`, processing's
//   `processedAt`, and the arrival): POST → HomePage, HomePage → stored (Kafka, KafkaSource dispatcher, KIngress,
//   processing, store), stored → SSE arrival (HomePage's store poll and the stream);
// - the highest rate whose p99 stays under 1 s, and the 1-minute load average at each rate (the machine is shared);
// - then, with the stream closed, processing scaled to zero and HomePage's FC instances reclaimed (300 s after their
//   last invocation, as FC does), the idle figures of the whole demo deployed
//   (bench/idle-figures.ts: API writes per second, CPU of the whole playground, resident memory) over E2E_IDLE_S
//   seconds (default 20; 0 leaves them out), against issue 9's goals.
// HomePage is reached through the playground's KIngress gateway with its Service host (bench/service-request.ts).
// Loopback only; every stage is bounded in time (the send ends after its duration, the drain after E2E_DRAIN_S).
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { build as buildHistogram, type Histogram } from 'hdr-histogram-js';
import { SseParser } from '../electron/backend/barrage/sse-parser';
import { readPlaygroundInfo } from '../playground/info';
import { kafkaSourceAdmin } from '../playground/parts/kafka-source';
import { downPlayground, upPlayground } from '../playground/playground';
import { readPlaygroundFacts } from '../playground/template-facts';
import { renderTemplatesWith } from '../workloads/templates/index';
import { openLoop } from './open-loop';
import { cpuBetween, cpuSnapshot } from './process-cpu';
import { postJson, serviceRequestOptions } from './service-request';
import { waitFor } from '../test/support/wait-for';
import { idleFigures } from './idle-figures';
import { withDescendants } from './proc-tree';

const RATES = (process.env.E2E_RATES ?? '200,500,1000').split(',').map(Number);
const DURATION_MS = Number(process.env.E2E_DURATION_S ?? 60) * 1000;
// Long enough for a backlog to clear before the next rate starts, so one rate's stragglers do not load the next.
const DRAIN_MS = Number(process.env.E2E_DRAIN_S ?? 120) * 1000;
const WARM_UP = Number(process.env.E2E_WARM_UP ?? 200);
const MAX_IN_FLIGHT = 4096;
const POST_TIMEOUT_MS = 10_000;
const NAMESPACE = 'e2e';
const P99_GOAL_MS = 1000;
const quiet = () => undefined;
/** E2E_TRACE=1: every 2 s, the processing pods (ready / all) and the KafkaSource's counters go to stderr. */
const TRACE = process.env.E2E_TRACE === '1';
const IDLE_S = Number(process.env.E2E_IDLE_S ?? 20);
const IDLE_GOALS = { writes: 1, cpu: 5, rss: 2048 };

function sample(core: CoreV1Api, sourcesAdmin: string, stage: { rate: number }): { stop: () => void } {
  const timer = setInterval(() => {
    void (async () => {
      const pods = (
        await core.listNamespacedPod({
          namespace: NAMESPACE,
          labelSelector: 'serving.knative.dev/service=barrage-processing',
        })
      ).items;
      const ready = pods.filter((pod) =>
        pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      const sources = await (await fetch(`${sourcesAdmin}/kafkasources`)).text();
      process.stderr.write(
        `  [${stage.rate}/s] processing pods ${ready.length}/${pods.length}; sources ${sources}; load ${loadavg()[0]?.toFixed(1)}\n`,
      );
    })().catch(() => undefined);
  }, 2000);
  return { stop: () => clearInterval(timer) };
}

/** The playground's KIngress gateway, set once the playground is up. */
let gateway: string | undefined;

const agent = new http.Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT });

interface Posted {
  status: number;
  id?: string;
}

async function post(url: string, body: string): Promise<Posted> {
  const answer = await postJson(url, gateway, body, { agent, timeoutMs: POST_TIMEOUT_MS });
  const id = answer.status === 202 ? (JSON.parse(answer.body) as { id?: string }).id : undefined;
  return { status: answer.status, ...(id ? { id } : {}) };
}

/** The one open result stream; calls `onResult` with each barrage's id and timestamps as it arrives. */
function openStream(
  url: string,
  onResult: (id: string, sentAt: number, processedAt: number, arrivedAt: number) => void,
): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const target = serviceRequestOptions(url, gateway);
    const request = http.get(
      { ...target, headers: { ...target.headers, accept: 'text/event-stream' } },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`the result stream answered ${response.statusCode}`));
          response.resume();
          return;
        }
        const parser = new SseParser();
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const arrivedAt = performance.now();
          for (const event of parser.feed(chunk)) {
            if (event.event !== 'barrage') continue;
            const data = JSON.parse(event.data) as { id: string; sentAt: string; processedAt: string };
            onResult(data.id, Date.parse(data.sentAt), Date.parse(data.processedAt), arrivedAt);
          }
        });
        resolve(() => request.destroy());
      },
    );
    request.on('error', reject);
  });
}

const histogram = (): Histogram =>
  buildHistogram({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  });

/** performance.now() → wall-clock ms, to compare with the ISO timestamps HomePage and processing write. */
const wallClockOf = (now: number) => performance.timeOrigin + now;

interface StageFigures {
  rate: number;
  sent: number;
  accepted: number;
  refused: number;
  skipped: number;
  missing: number;
  /** Barrage seen on the stream, and when the stage began / the last one arrived (performance.now()). */
  arrived: number;
  startedAt: number;
  lastArrivalAt: number;
  e2e: Histogram;
  postAck: Histogram;
  legs: { toHomepage: Histogram; toStored: Histogram; toArrival: Histogram };
  load: number;
  offeredRate: number;
  /** Refusals by HTTP status (0: no answer within the POST timeout, or the connection failed). */
  refusals: Map<number, number>;
  /** CPU seconds of the playground's processes during the stage (send and drain), by part. */
  cpu: Map<string, number>;
  /** CPU seconds of this bench process (the client) during the stage. */
  clientCpu: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'knative-desk-e2e-'));
  // One stop, whoever asks first (a signal, or main's end): two downs at once would race on the same dir.
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      await downPlayground({ dir, progress: quiet }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    })());
  // run-all stops a bench that runs over its time with SIGTERM, a user with Ctrl-C: the private playground goes with
  // it. A second signal (Ctrl-C twice, or one sent to npx and the bench alike) must not cut that stop short.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => void stop().finally(() => process.exit(1)));
  }
  process.stderr.write(`› private playground in ${dir}\n`);
  try {
    await upPlayground({ dir, progress: quiet });
    const info = readPlaygroundInfo(dir);
    if (!info) throw new Error('the private playground did not come up');
    if (typeof info.ingress !== 'string') throw new Error('the private playground has no KIngress gateway');
    gateway = info.ingress;
    const kc = new KubeConfig();
    kc.loadFromFile(info.kubeconfig);
    kc.setCurrentContext(info.contexts.admin);
    const objects = kc.makeApiClient(KubernetesObjectApi);
    await objects
      .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })
      .catch(() => undefined);
    // The first run's deploy: every template parameter at its default, only the namespace typed.
    const rendered = renderTemplatesWith(
      { namespace: NAMESPACE },
      { target: 'playground', playground: readPlaygroundFacts(dir) },
    );
    for (const object of rendered) {
      await objects.patch(
        object as KubernetesObject,
        undefined,
        undefined,
        'knative-desk-e2e-bench',
        true,
        PatchStrategy.ServerSideApply,
      );
    }
    const ready = async (apiVersion: string, kind: string, name: string) => {
      const live = (await objects.read({ apiVersion, kind, metadata: { name, namespace: NAMESPACE } })) as {
        status?: { conditions?: { type: string; status: string }[]; address?: { url?: string } };
      };
      return live.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? live
        : undefined;
    };
    const serving = 'serving.knative.dev/v1';
    const homepage = await waitFor(
      'HomePage Ready',
      () => ready(serving, 'Service', 'barrage-homepage'),
      180_000,
      500,
    );
    await waitFor('processing Ready', () => ready(serving, 'Service', 'barrage-processing'), 180_000, 500);
    const base = homepage.status?.address?.url ?? '';
    const sendUrl = `${base}/api/barrage`;

    // Every barrage's scheduled start and its POST answer, keyed by the id HomePage gave it. A result may reach the
    // stream before its 202 reaches us (both are async): it waits in `early` until the id is known.
    const pending = new Map<string, number>();
    const early = new Map<string, { sentAt: number; processedAt: number; arrivedAt: number }>();
    let current: StageFigures | undefined;
    const record = (
      stage: StageFigures,
      scheduledAt: number,
      hop: { sentAt: number; processedAt: number; arrivedAt: number },
    ) => {
      const toMicros = (ms: number) => Math.max(1, Math.round(ms * 1000));
      stage.arrived += 1;
      stage.lastArrivalAt = Math.max(stage.lastArrivalAt, hop.arrivedAt);
      stage.e2e.recordValue(toMicros(hop.arrivedAt - scheduledAt));
      stage.legs.toHomepage.recordValue(toMicros(hop.sentAt - wallClockOf(scheduledAt)));
      stage.legs.toStored.recordValue(toMicros(hop.processedAt - hop.sentAt));
      stage.legs.toArrival.recordValue(toMicros(wallClockOf(hop.arrivedAt) - hop.processedAt));
    };
    const closeStream = await openStream(
      `${base}/api/barrage/stream`,
      (id, sentAt, processedAt, arrivedAt) => {
        const scheduledAt = pending.get(id);
        const hop = { sentAt, processedAt, arrivedAt };
        if (scheduledAt === undefined) {
          early.set(id, hop);
          return;
        }
        pending.delete(id);
        if (current) record(current, scheduledAt, hop);
      },
    );

    const runStage = async (rate: number, durationMs: number): Promise<StageFigures> => {
      const stage: StageFigures = {
        rate,
        sent: 0,
        accepted: 0,
        refused: 0,
        skipped: 0,
        missing: 0,
        arrived: 0,
        startedAt: performance.now(),
        lastArrivalAt: performance.now(),
        e2e: histogram(),
        postAck: histogram(),
        legs: { toHomepage: histogram(), toStored: histogram(), toArrival: histogram() },
        load: 0,
        offeredRate: 0,
        refusals: new Map(),
        cpu: new Map(),
        clientCpu: 0,
      };
      const cpuBefore = cpuSnapshot(info);
      const clientBefore = process.cpuUsage();
      current = stage;
      const sampler = TRACE
        ? sample(kc.makeApiClient(CoreV1Api), kafkaSourceAdmin(info.dir) ?? '', stage)
        : undefined;
      const outcome = await openLoop(
        { ratePerSecond: rate, durationMs, maxInFlight: MAX_IN_FLIGHT },
        async (index, scheduledAt) => {
          stage.sent += 1;
          const answer = await post(
            sendUrl,
            JSON.stringify({ text: `e2e ${rate}/s #${index}`, user: `viewer-${index % 100}` }),
          );
          if (answer.status !== 202 || !answer.id) {
            stage.refused += 1;
            stage.refusals.set(answer.status, (stage.refusals.get(answer.status) ?? 0) + 1);
            return;
          }
          stage.accepted += 1;
          stage.postAck.recordValue(Math.max(1, Math.round((performance.now() - scheduledAt) * 1000)));
          const arrived = early.get(answer.id);
          if (arrived) {
            early.delete(answer.id);
            record(stage, scheduledAt, arrived);
          } else pending.set(answer.id, scheduledAt);
        },
      );
      sampler?.stop();
      stage.load = loadavg()[0] ?? 0;
      stage.skipped = outcome.skipped;
      stage.refused += outcome.skipped;
      stage.sent += outcome.skipped;
      stage.offeredRate = (outcome.scheduled / outcome.elapsedMs) * 1000;
      // Drain: bounded wait for the stragglers; what never arrives counts at the drain window's end.
      const drainEnd = Date.now() + DRAIN_MS;
      while (pending.size > 0 && Date.now() < drainEnd) await new Promise((r) => setTimeout(r, 100));
      stage.missing = pending.size;
      for (const scheduledAt of pending.values()) {
        stage.e2e.recordValue(Math.round((performance.now() - scheduledAt) * 1000));
      }
      pending.clear();
      early.clear();
      stage.cpu = cpuBetween(cpuBefore, cpuSnapshot(info));
      const client = process.cpuUsage(clientBefore);
      stage.clientCpu = (client.user + client.system) / 1e6;
      current = undefined;
      return stage;
    };

    // Warm-up (JIT, connections, the KafkaSource's consumer joined and the first processing pods up): not reported.
    process.stderr.write(`› warming up with ${WARM_UP} barrage at 50/s\n`);
    await runStage(50, (WARM_UP / 50) * 1000);

    const stages: StageFigures[] = [];
    for (const rate of RATES) {
      process.stderr.write(`› ${rate} msg/s for ${DURATION_MS / 1000} s\n`);
      const stage = await runStage(rate, DURATION_MS);
      stages.push(stage);
      printStage(stage);
    }
    closeStream();

    let highest = 0;
    for (const stage of stages) {
      if (stage.e2e.getValueAtPercentile(99) / 1000 < P99_GOAL_MS && stage.missing === 0)
        highest = stage.rate;
      else break;
    }
    const top = Math.max(...RATES);
    process.stdout.write(
      `e2e highest rate with p99 < 1 s: ${highest} msg/s (highest rate tried ${top} msg/s, ${(highest / top).toFixed(2)})\n`,
    );
    if (IDLE_S > 0) {
      // Idle as a user leaves the demo: nothing sent, nobody watching, processing back at zero (Knative's own
      // scale-down: stable window, then the grace period) and HomePage's FC instances reclaimed (FC's own, after
      // KNATIVE_DESK_FC_IDLE_SECONDS, 300 s, without an invocation; up to 8 of them are left by 1,000 msg/s).
      const core = kc.makeApiClient(CoreV1Api);
      const selector = 'serving.knative.dev/service=barrage-processing';
      process.stderr.write('› waiting for processing to scale to zero, then idle figures\n');
      await waitFor(
        'processing at zero pods',
        async () =>
          (await core.listNamespacedPod({ namespace: NAMESPACE, labelSelector: selector })).items.length === 0
            ? true
            : undefined,
        300_000,
        2_000,
      );
      process.stderr.write("› waiting for FC to reclaim HomePage's idle instances\n");
      const fcPid = info.parts.fc?.pid;
      await waitFor(
        'no FC instance left',
        async () => (fcPid === undefined || withDescendants(fcPid).length === 1 ? true : undefined),
        420_000,
        5_000,
      );
      const cpuBefore = cpuSnapshot(info);
      const idle = await idleFigures(info, IDLE_S);
      const byPart = [...cpuBetween(cpuBefore, cpuSnapshot(info))]
        .filter(([, seconds]) => seconds > 0)
        .sort(([, a], [, b]) => b - a)
        .map(([part, seconds]) => `${part} ${((100 * seconds) / IDLE_S).toFixed(2)} %`);
      const figures: [name: string, value: number, digits: number, goal: number, unit: string][] = [
        ['API writes (leases excluded)', idle.writes, 2, IDLE_GOALS.writes, '/s'],
        ['CPU of the whole playground', idle.cpu, 2, IDLE_GOALS.cpu, '% of a core'],
        ['resident memory', idle.rss, 1, IDLE_GOALS.rss, 'MiB'],
      ];
      for (const [name, value, digits, goal, unit] of figures) {
        const ratio = (value / goal).toFixed(2);
        process.stdout.write(
          `e2e idle, demo deployed: ${name}: ${value.toFixed(digits)} ${unit} (goal ${goal} ${unit}, ${ratio})\n`,
        );
      }
      process.stderr.write(
        `  idle writes in ${IDLE_S} s: ${idle.byResource || 'none'}; lease writes ${idle.leaseWrites.toFixed(2)}/s; CPU by part (% of a core): ${byPart.join(', ')}\n`,
      );
    }
  } finally {
    await stop();
  }
}

function printStage(stage: StageFigures): void {
  const perMessage = (seconds: number) => (seconds * 1000) / Math.max(1, stage.accepted);
  const total = [...stage.cpu.values()].reduce((sum, seconds) => sum + seconds, 0);
  const parts = [...stage.cpu.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([group, seconds]) => `${group} ${perMessage(seconds).toFixed(2)}`)
    .join(', ');
  process.stdout.write(
    `e2e playground CPU per accepted barrage at ${stage.rate} msg/s: ${perMessage(total).toFixed(2)} ms (the bench client ${perMessage(stage.clientCpu).toFixed(2)} ms, ${(total / Math.max(1e-9, stage.clientCpu)).toFixed(1)}; by part ms: ${parts})\n`,
  );
  const ms = (h: Histogram, p: number) => h.getValueAtPercentile(p) / 1000;
  const f = (n: number) => (n < 10 ? n.toFixed(1) : n.toFixed(0));
  const at = `at ${stage.rate} msg/s`;
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(1));
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `e2e p50 ${at}: ${f(ms(stage.e2e, 50))} ms (HomePage POST→202 p50 ${f(ms(stage.postAck, 50))} ms, ${ratio(ms(stage.e2e, 50), ms(stage.postAck, 50))})`,
  );
  out(
    `e2e p99 ${at}: ${f(ms(stage.e2e, 99))} ms (HomePage POST→202 p99 ${f(ms(stage.postAck, 99))} ms, ${ratio(ms(stage.e2e, 99), ms(stage.postAck, 99))})`,
  );
  out(
    `e2e accepted ${at}: ${stage.accepted} msg (sent ${stage.sent}, ${(stage.accepted / Math.max(1, stage.sent)).toFixed(3)})`,
  );
  out(
    `e2e refused ${at}: ${stage.refused} msg (sent ${stage.sent}; ${stage.skipped} over the client's ${MAX_IN_FLIGHT} open, by status ${JSON.stringify(Object.fromEntries(stage.refusals))}, ${(stage.refused / Math.max(1, stage.sent)).toFixed(3)})`,
  );
  out(
    `e2e not on the stream after ${DRAIN_MS / 1000} s ${at}: ${stage.missing} msg (accepted ${stage.accepted}, ${(stage.missing / Math.max(1, stage.accepted)).toFixed(3)})`,
  );
  const leg = (name: string, h: Histogram) =>
    h.totalCount === 0 ? `${name} n/a` : `${name} ${f(ms(h, 50))} / ${f(ms(h, 99))}`;
  const deliveredRate = (stage.arrived * 1000) / Math.max(1, stage.lastArrivalAt - stage.startedAt);
  out(
    `e2e delivered to the stream ${at}: ${deliveredRate.toFixed(0)} msg/s (offered ${stage.offeredRate.toFixed(0)} msg/s, ${(deliveredRate / stage.offeredRate).toFixed(2)}; ${stage.arrived} arrived from the stage's start to its last arrival)`,
  );
  out(
    `e2e legs p50 / p99 ms ${at}: ${leg('POST→HomePage', stage.legs.toHomepage)}; ${leg('HomePage→stored', stage.legs.toStored)}; ${leg('stored→SSE', stage.legs.toArrival)} (offered ${stage.offeredRate.toFixed(0)} msg/s, load average ${stage.load.toFixed(1)})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`e2e bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
