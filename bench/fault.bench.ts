// Fault run (bounded; not part of the default test suite): the three barrage templates on a PRIVATE playground
// (its own control plane, Knative Serving, Kafka and virtual node in a temp dir, so restarting its broker disturbs
// nobody), then FAULT_BARRAGE (default 100,000) barrage POSTed to HomePage (through the playground's KIngress
// gateway) while the Kafka broker is restarted once and processing pods are killed at random (deleted with no grace
// period; their ReplicaSet replaces them), and the result store refuses every write for FAULT_STORE_OUTAGE_S
// (default 120 s; the bench holds SQLite's write lock, so each processing write fails after its busy timeout and
// answers 503, and the KafkaSource must wait the outage out with its delivery retries). Checks that every barrage HomePage answered 202 for is in the store
// exactly once, and prints lost / duplicated / refused counts as `name: value unit (reference, ratio)`.
// Loopback only; the send loop is bounded in count and in time (FAULT_TIME_LIMIT_S, default 1200 s).
import { cpSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { downPlayground, upPlayground } from '../playground/playground';
import { readPlaygroundInfo } from '../playground/info';
import { kafkaSourceAdmin } from '../playground/parts/kafka-source';
import { readPlaygroundFacts } from '../playground/template-facts';
import { renderTemplatesWith } from '../workloads/templates/index';
import { serverSideApply } from '../test/support/apply-objects';
import { storedBarrageIds } from '../test/support/stored-barrage';
import { kubeConfigFor } from '../test/support/unique';
import http from 'node:http';
import { postJson } from './service-request';
import { waitFor } from '../test/support/wait-for';

const TOTAL = Number(process.env.FAULT_BARRAGE ?? 100_000);
const CONCURRENCY = Number(process.env.FAULT_CONCURRENCY ?? 32);
const TIME_LIMIT_MS = Number(process.env.FAULT_TIME_LIMIT_S ?? 1200) * 1000;
// Knobs to take the faults apart when a run loses something: 0 turns the pod kills / the broker restart off.
const KILL_INTERVAL_MS = Number(process.env.FAULT_KILL_INTERVAL_MS ?? 2000);
const BROKER_RESTART = process.env.FAULT_BROKER_RESTART !== '0';
/** Store write outage in seconds, starting at 60 % of the sends; 0 turns it off. */
const STORE_OUTAGE_S = Number(process.env.FAULT_STORE_OUTAGE_S ?? 120);
const NAMESPACE = 'fault';
const quiet = () => undefined;

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY * 2 });

function line(name: string, value: number, unit: string, reference: string, ratio: number): void {
  process.stdout.write(`${name}: ${value} ${unit} (${reference}, ${ratio.toFixed(4)})\n`);
}

/** A count as a share of the count it is part of (`accepted` of `sent`, …). */
function share(name: string, count: number, unit: string, of: string, total: number): void {
  line(name, count, unit, `${of} ${total}`, count / Math.max(1, total));
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'knative-desk-fault-'));
  process.stderr.write(`› private playground in ${dir}\n`);
  let finished = false;
  try {
    await upPlayground({ dir, progress: quiet });
    const info = readPlaygroundInfo(dir);
    const gateway = info?.ingress;
    if (!info || typeof gateway !== 'string')
      throw new Error('the private playground has no KIngress gateway');
    const kc = kubeConfigFor(info, 'admin');
    const core = kc.makeApiClient(CoreV1Api);
    const objects = kc.makeApiClient(KubernetesObjectApi);
    await objects
      .create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } })
      .catch(() => undefined);

    const rendered = renderTemplatesWith(
      { namespace: NAMESPACE, processingMaxScale: 8, rateLimitCount: 100_000 },
      { target: 'playground', playground: readPlaygroundFacts(dir) },
    );
    await serverSideApply(objects, rendered, 'knative-desk-fault-bench');
    const custom = (name: string) =>
      objects.read({
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name, namespace: NAMESPACE },
      }) as Promise<{
        status?: {
          conditions?: { type: string; status: string }[];
          url?: string;
          address?: { url?: string };
        };
      }>;
    const ready = async (name: string) => {
      const ksvc = await custom(name);
      return ksvc.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
        ? ksvc
        : undefined;
    };
    const homepage = await waitFor('HomePage Ready', () => ready('barrage-homepage'), 120_000, 500);
    await waitFor('processing Ready', () => ready('barrage-processing'), 120_000, 500);
    const sendUrl = `${homepage.status?.address?.url ?? ''}/api/barrage`;
    process.stderr.write(`› sending ${TOTAL} barrage to ${sendUrl}\n`);

    const accepted = new Set<string>();
    let refused = 0;
    let sent = 0;
    const statusCounts = new Map<number, number>();
    const deadline = Date.now() + TIME_LIMIT_MS;
    let brokerRestarted = false;
    let kills = 0;
    const sending = { done: false };
    const sqlitePath = join(readPlaygroundFacts(dir).dataDir, `${NAMESPACE}.sqlite`);
    let storeOutage: Promise<void> | undefined;
    /** Holds the store's write lock for the outage: every write in that time fails (503 from processing). */
    const startStoreOutage = async (): Promise<void> => {
      const lock = new DatabaseSync(sqlitePath, { timeout: 30_000 });
      try {
        lock.exec('BEGIN EXCLUSIVE');
        process.stderr.write(`› store refuses writes for ${STORE_OUTAGE_S} s\n`);
        await new Promise((resolve) => setTimeout(resolve, STORE_OUTAGE_S * 1000));
        lock.exec('COMMIT');
        process.stderr.write('› store is back\n');
      } finally {
        lock.close();
      }
    };

    // Chaos: kill a random Ready processing pod every 2 s while sending (deleted with no grace period, as a node
    // loss does; the revision's ReplicaSet starts another).
    const chaos = (async () => {
      while (!sending.done && KILL_INTERVAL_MS > 0) {
        await new Promise((resolve) => setTimeout(resolve, KILL_INTERVAL_MS));
        const pods = await core
          .listNamespacedPod({
            namespace: NAMESPACE,
            labelSelector: 'serving.knative.dev/service=barrage-processing',
          })
          .then((list) => list.items)
          .catch(() => []);
        const victims = pods.filter(
          (pod) =>
            !pod.metadata?.deletionTimestamp &&
            pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        const victim = victims[Math.floor(Math.random() * victims.length)]?.metadata?.name;
        if (victim) {
          await core
            .deleteNamespacedPod({ namespace: NAMESPACE, name: victim, gracePeriodSeconds: 0 })
            .then(() => kills++)
            .catch(() => undefined); // already gone
        }
      }
    })();

    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (sent < TOTAL && Date.now() < deadline) {
          const index = sent++;
          if (BROKER_RESTART && !brokerRestarted && index >= TOTAL * 0.4) {
            brokerRestarted = true;
            process.stderr.write(`› restarting the Kafka broker at barrage ${index}\n`);
            void (async () => {
              await downPlayground({ dir, only: ['kafka'], progress: quiet });
              await upPlayground({ dir, progress: quiet });
              process.stderr.write('› Kafka broker is back\n');
            })();
          }
          if (STORE_OUTAGE_S > 0 && !storeOutage && index >= TOTAL * 0.6) {
            storeOutage = startStoreOutage();
          }
          const response = await postJson(
            sendUrl,
            gateway,
            JSON.stringify({ text: `fault barrage ${index}`, user: `u${worker}` }),
            { agent, timeoutMs: 30_000 },
          );
          statusCounts.set(response.status, (statusCounts.get(response.status) ?? 0) + 1);
          if (response.status === 202) {
            const id = (JSON.parse(response.body) as { id?: string }).id;
            if (id) accepted.add(id);
          } else refused++;
        }
      }),
    );
    sending.done = true;
    await chaos;
    const sendSeconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `› sent ${sent} in ${sendSeconds.toFixed(0)} s; statuses ${JSON.stringify(Object.fromEntries(statusCounts))}; waiting for the store\n`,
    );

    await storeOutage;
    // Wait until every accepted barrage is stored, or nothing new arrives for long enough (bounded): after a store
    // outage the KafkaSource's retries are up to ~2.5 min apart (exponential from 0.3 s), so wait that long then.
    const quietWindowMs = STORE_OUTAGE_S > 0 ? 200_000 : 90_000;
    const storedIds = () => storedBarrageIds(sqlitePath);

    let lastCount = -1;
    let lastChange = Date.now();
    while (Date.now() - lastChange < quietWindowMs) {
      const count = storedIds().length;
      if (count !== lastCount) {
        lastCount = count;
        lastChange = Date.now();
      }
      if (count >= accepted.size && storedIds().filter((id) => accepted.has(id)).length === accepted.size)
        break;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    const ids = storedIds();
    const storedSet = new Set(ids);
    const lost = [...accepted].filter((id) => !storedSet.has(id)).length;
    const duplicated = ids.length - storedSet.size;
    const counters = (await (await fetch(`${kafkaSourceAdmin(dir) ?? ''}/kafkasources`)).json()) as Record<
      string,
      { delivered: number; retried: number; dropped: number }
    >;
    const source = Object.values(counters)[0];

    share('fault run accepted (202)', accepted.size, 'barrage', 'sent', sent);
    share('fault run lost (202 but not stored)', lost, 'barrage', 'accepted', accepted.size);
    share('fault run duplicated (stored twice)', duplicated, 'barrage', 'stored', ids.length);
    share('fault run refused (not 202)', refused, 'barrage', 'sent', sent);
    line(
      'fault run redelivered (deliveries beyond one per record)',
      Math.max(0, (source?.delivered ?? 0) - ids.length),
      'deliveries',
      `retried ${source?.retried ?? 0}, dropped ${source?.dropped ?? 0}, ${kills} pods killed, broker restarted ${brokerRestarted ? 'once' : 'never'}, store down ${storeOutage ? `${STORE_OUTAGE_S} s` : 'never'}`,
      Math.max(0, (source?.delivered ?? 0) - ids.length) / Math.max(1, ids.length),
    );
    line(
      'fault run send rate',
      Math.round(sent / sendSeconds),
      'barrage/s',
      `${sendSeconds.toFixed(0)} s for ${sent}`,
      1,
    );
    if (lost > 0 || duplicated > 0) process.exitCode = 1;
    finished = true;
  } finally {
    // The logs of every part and pod are what explains a loss (or a failed run): keep them beside the temp dir.
    const keep = !finished || process.exitCode === 1 || process.env.FAULT_KEEP_LOGS === '1';
    const kept = `${dir}-logs`;
    // The running pods' container logs (`<dir>/virtual-node/pods/…/<restarts>.log`) go with their pods on `down`.
    if (keep) {
      try {
        cpSync(join(dir, 'virtual-node'), join(kept, 'virtual-node'), {
          recursive: true,
          filter: (source) => source.endsWith('.log') || statSync(source).isDirectory(),
        });
      } catch (error) {
        process.stderr.write(`› could not keep the pods' logs: ${(error as Error).message}\n`);
      }
    }
    await downPlayground({ dir, progress: quiet }).catch(() => undefined);
    if (keep) {
      cpSync(join(dir, 'logs'), kept, { recursive: true });
      process.stderr.write(`› logs kept in ${kept}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`fault run failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
