// Our KafkaSource controller and dispatcher as a playground process of their own (part `kafka-source`,
// playground/parts/kafka-source.ts). It stands in for eventing-kafka-broker v0.49's
// kafka-source-controller (with its webhook's defaulting) and its kafka-source-dispatcher, whose images cannot be
// fetched here; the behaviour is kafka-source-reconciler.ts. Started as
// `node <bundle of playground/kafka-source/kafka-source-main.ts> <dir>/state.json` after the part that serves the cluster's
// gateway (our KIngress's internal gateway), whose address it
// reads from `<dir>/runtime.json` `ingress`: sinks are addressed by their cluster-local URLs
// (`http://<svc>.<ns>.svc.cluster.local`) and delivered through that gateway with the Host header, as a dispatcher
// pod reaches them through cluster DNS. Re-read on every pass, so a restarted gateway (new port) is followed.
// - reconciles on KafkaSource and Service watch events, on its consumers' own events (joined the group, crashed),
//   and periodically: every 2 s while a source is not Ready (a consumer that could not start is retried, a fixed
//   Secret is read), every 30 s once all are (idle, it then costs next to nothing); a status is written only when it
//   changed;
// - writes `<dir>/kafka-source.json` `{pid, admin}` as its readiness signal; `admin` serves GET /kafkasources
//   (delivered / retried / dead-lettered / dropped / in flight per source);
// - on SIGTERM its consumers leave their groups, then it removes the ready file and exits.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runtimeFilePath } from '../info';
import { kafkaSourceReadyFile } from '../parts/kafka-source';
import { KafkaSourceReconciler } from './kafka-source-reconciler';
import { envNumber, exitOnSignals, log, runMain, stateFromArgv } from '../process-main';
import { KAFKASOURCES, Kube, SERVICES } from '../kube';
import { ReconcileLoop } from './reconcile-loop';
import { GatewayFromRuntimeFile } from './cluster-gateway';

const RESYNC_MS = 2000;
const SETTLED_RESYNC_MS = 30_000;

async function main(): Promise<void> {
  const state = stateFromArgv('playground/kafka-source/kafka-source-main.ts');
  const kube = Kube.fromFile(state.kubeconfig, state.contexts.admin);
  const gateway = new GatewayFromRuntimeFile(state.dir, log);
  if (!gateway.refresh()) {
    throw new Error(`no cluster gateway: ${runtimeFilePath(state.dir)} names no "ingress"`);
  }
  // Passes: soon after a watch event or a consumer's event, and periodic (see above); never two at once.
  let resync: NodeJS.Timeout | undefined;
  const loop: ReconcileLoop = new ReconcileLoop(
    'kafkasource',
    async () => {
      gateway.refresh();
      await reconciler.reconcileAll().finally(() => {
        clearTimeout(resync);
        resync = setTimeout(() => void loop.pass(), reconciler.settled() ? SETTLED_RESYNC_MS : RESYNC_MS);
      });
    },
    log,
  );
  const reconciler = new KafkaSourceReconciler(kube, {
    // Upstream's max.poll.records in config-kafka-source-data-plane: the unordered in-flight bound per consumer.
    parallelism: envNumber('KNATIVE_DESK_KAFKA_PARALLELISM', 50),
    gateway,
    log,
    onConsumerChange: () => loop.soon(),
  });
  const pass = loop.pass;
  // A sink Service's address can appear or change without its KafkaSource changing.
  loop.watch(kube, KAFKASOURCES);
  loop.watch(kube, SERVICES);

  const admin = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://admin');
    response.setHeader('content-type', 'application/json');
    if (url.pathname === '/healthz') return response.end('{"ok":true}');
    if (url.pathname === '/kafkasources') return response.end(JSON.stringify(reconciler.counters()));
    response.statusCode = 404;
    response.end(JSON.stringify({ error: 'GET /kafkasources' }));
  });
  await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));

  await pass();

  const readyFile = kafkaSourceReadyFile(state.dir);
  const adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;
  writeFileSync(`${readyFile}.tmp`, `${JSON.stringify({ pid: process.pid, admin: adminUrl }, null, 2)}\n`);
  renameSync(`${readyFile}.tmp`, readyFile);
  log(`kafka-source ready: gateway ${gateway.host}:${gateway.port}, admin ${adminUrl}`);

  exitOnSignals(12_000, async (signal) => {
    loop.stop();
    log(`${signal}: stopping consumers`);
    clearTimeout(resync);
    await reconciler.shutdown().catch(() => undefined);
    rmSync(readyFile, { force: true });
    admin.close();
  });
}

runMain('kafka-source', main);
