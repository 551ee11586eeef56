// Our KafkaSource controller and dispatcher as a playground process of their own (part `kafka-source`,
// playground/parts/kafka-source.ts), the same in both serving modes. It stands in for eventing-kafka-broker v0.49's
// kafka-source-controller (with its webhook's defaulting) and its kafka-source-dispatcher, whose images cannot be
// fetched here; the behaviour is playground/runtime/kafka-source-reconciler.ts. Started as
// `tsx playground/kafka-source/kafka-source-main.ts <dir>/state.json` after the part that serves the cluster's
// gateway (the imitation runtime's ingress, or our KIngress's internal gateway in upstream mode), whose address it
// reads from `<dir>/runtime.json` `ingress`: sinks are addressed by their cluster-local URLs
// (`http://<svc>.<ns>.svc.cluster.local`) and delivered through that gateway with the Host header, as a dispatcher
// pod reaches them through cluster DNS. Re-read on every pass, so a restarted gateway (new port) is followed.
// - reconciles on KafkaSource and Service watch events and every 2 s (a consumer joining its group is not an API
//   event); a status is written only when it changed;
// - writes `<dir>/kafka-source.json` `{pid, admin}` as its readiness signal; `admin` serves GET /kafkasources
//   (delivered / retried / dead-lettered / dropped / in flight per source);
// - on SIGTERM its consumers leave their groups, then it removes the ready file and exits.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Watch } from '@kubernetes/client-node';
import { runtimeFilePath, type PlaygroundInfo } from '../info';
import { kafkaSourceReadyFile } from '../parts/kafka-source';
import { KafkaSourceReconciler } from '../runtime/kafka-source-reconciler';
import { describeError, KAFKASOURCES, Kube, SERVICES, type Resource } from '../runtime/kube';
import { GatewayFromRuntimeFile } from './cluster-gateway';

const RESYNC_MS = 2000;

function log(message: string): void {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

async function main(): Promise<void> {
  const stateFile = process.argv[2];
  if (!stateFile || !existsSync(stateFile)) {
    process.stderr.write(
      `usage: tsx playground/kafka-source/kafka-source-main.ts <playground-dir>/state.json (got "${stateFile ?? ''}")\n`,
    );
    process.exit(2);
  }
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as PlaygroundInfo;
  const kube = Kube.fromFile(state.kubeconfig, state.contexts.admin);
  const gateway = new GatewayFromRuntimeFile(state.dir, log);
  if (!gateway.refresh()) {
    throw new Error(`no cluster gateway: ${runtimeFilePath(state.dir)} names no "ingress"`);
  }
  const reconciler = new KafkaSourceReconciler(kube, {
    parallelism: envNumber('KNATIVE_DESK_KAFKA_PARALLELISM', 16),
    gateway,
    log,
  });

  // Passes: periodic, plus soon after a watch event; never two at once.
  let passRunning = false;
  let passAgain = false;
  const pass = async () => {
    if (passRunning) {
      passAgain = true;
      return;
    }
    passRunning = true;
    try {
      do {
        passAgain = false;
        gateway.refresh();
        await reconciler
          .reconcileAll()
          .catch((error: unknown) => log(`kafkasource pass: ${describeError(error)}`));
      } while (passAgain);
    } finally {
      passRunning = false;
    }
  };
  let soonTimer: NodeJS.Timeout | undefined;
  const reconcileSoon = () => {
    soonTimer ??= setTimeout(() => {
      soonTimer = undefined;
      void pass();
    }, 100);
  };

  const watches: AbortController[] = [];
  let stopping = false;
  const watchResource = (resource: Resource) => {
    const path = `/apis/${resource.group}/${resource.version}/${resource.plural}`;
    const start = () => {
      if (stopping) return;
      new Watch(kube.config)
        .watch(
          path,
          { timeoutSeconds: 60 },
          () => reconcileSoon(),
          () => setTimeout(start, 1000),
        )
        .then((controller) => watches.push(controller))
        .catch(() => setTimeout(start, 2000));
    };
    start();
  };
  // A sink Service's address can appear or change without its KafkaSource changing.
  watchResource(KAFKASOURCES);
  watchResource(SERVICES);
  const resync = setInterval(() => void pass(), RESYNC_MS);

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

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping consumers`);
    clearInterval(resync);
    clearTimeout(soonTimer);
    for (const watch of watches) watch.abort();
    const hardStop = setTimeout(() => process.exit(1), 12_000);
    await reconciler.shutdown().catch(() => undefined);
    rmSync(readyFile, { force: true });
    admin.close();
    clearTimeout(hardStop);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`kafka-source failed: ${describeError(error)}\n${(error as Error).stack ?? ''}\n`);
  process.exit(1);
});
