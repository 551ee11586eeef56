// The playground runtime: makes the playground's kube-apiserver behave like Knative on ASK for the demo.
// Started by `npm run -s playground -- up` (part "runtime", playground/parts/index.ts) as
// `tsx playground/runtime/main.ts <dir>/state.json`. It serves:
// - the ingress (every Knative Service URL, activator included) on 127.0.0.1;
// - the FC 2.0 API double;
// - an admin endpoint with replica/pod details and per-pod logs;
// (KafkaSources are the `kafka-source` part's, playground/kafka-source/kafka-source-main.ts, which delivers through
// this ingress.)
// and writes `<dir>/runtime.json` (its readiness signal; `fc` and `ingress` are merged into `up --json`).
// SIGTERM stops every replica, removes its Pod objects and runtime.json, then exits.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runtimeFilePath } from '../info';
import { bundleWorkloads } from '../parts/virtual-node';
import { FcApiDouble, type FcCredentials } from '../fc/fc-api-double';
import { useBundledEntries } from './image-catalog';
import { Ingress } from './ingress';
import { envNumber, exitOnSignals, log, runMain, stateFromArgv } from '../process-main';
import { describeError, Kube, SERVICES } from '../kube';
import { ReconcileLoop } from '../kafka-source/reconcile-loop';
import { NODE_NAME, type RuntimeLimits } from './revision-runner';
import { ServingReconciler } from './serving-reconciler';

const SAMPLE_MS = 1000;
const TICK_MS = 2000;
const RESYNC_MS = 2000;

export interface RuntimeInfo {
  pid: number;
  /** Base URL of the ingress; route by Host `<name>.<namespace>.localhost` or path `/_/<namespace>/<name>/…`. */
  ingress: string;
  fc: FcCredentials & { endpoint: string };
  /** Admin endpoint: GET /replicas, /revisions, /pods/<ns>/<pod>/log. */
  admin: string;
  podLogs: string;
  limits: RuntimeLimits;
}

async function main(): Promise<void> {
  const state = stateFromArgv('playground/runtime/main.ts');
  const kube = Kube.fromFile(state.kubeconfig, state.contexts.admin);
  const limits: RuntimeLimits = {
    maxPodsPerRevision: envNumber('KNATIVE_DESK_MAX_PODS_PER_REVISION', 8),
    activationTimeoutMs: envNumber('KNATIVE_DESK_ACTIVATION_TIMEOUT_MS', 60_000),
    maxOldSpaceMb: envNumber('KNATIVE_DESK_REPLICA_HEAP_MB', 128),
  };
  const podLogs = join(state.dir, 'pod-logs');
  // The barrage replicas run the bundle their Dockerfile builds (as upstream mode's virtual node does), made here in
  // this playground's own folder (another playground rebuilding the shared cache must not pull it from under a
  // starting pod); on any build error they run their sources through tsx as before.
  try {
    const bundles = await bundleWorkloads(join(state.dir, 'runtime'));
    useBundledEntries(
      Object.fromEntries(
        Object.entries(bundles).flatMap(([image, entry]) => {
          const main = entry.command.at(-1);
          return main ? [[image, main]] : [];
        }),
      ),
    );
  } catch (error) {
    log(
      `bundling the barrage workloads failed; their replicas run the sources through tsx: ${describeError(error)}`,
    );
  }

  const ingress = new Ingress();
  const ingressPort = await ingress.listen(0);
  const credentials: FcCredentials = {
    accountId: '1234567890123456',
    accessKeyId: `LTAI${randomBytes(8).toString('hex')}`,
    accessKeySecret: randomBytes(18).toString('base64url'),
    region: 'cn-shanghai',
  };
  // The serving reconciler is created after the FC double, which asks it for instances: late-bound.
  const late: { serving?: ServingReconciler } = {};
  const fc = new FcApiDouble({
    credentials,
    instancesOf: (namespace, name) =>
      (late.serving?.replicasOfService(namespace, name) ?? []).map((replica) => ({
        instanceId: replica.pod,
        versionId: 'LATEST',
      })),
    invocationTarget: (namespace, name) => ({
      host: '127.0.0.1',
      port: ingressPort,
      pathPrefix: `/_/${namespace}/${name}`,
    }),
  });
  const fcEndpoint = await fc.listen(0);

  let reconcileSoon: () => void = () => undefined;
  const servingReconciler = new ServingReconciler(
    kube,
    ingress,
    fc,
    { ingressPort, fcEndpoint },
    { logDir: podLogs, limits, onChange: () => reconcileSoon(), log },
    log,
  );
  late.serving = servingReconciler;

  // Pods left by a previous runtime have no process behind them any more.
  try {
    const stale = await kube.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${NODE_NAME}` });
    for (const pod of stale.items) {
      await kube.core
        .deleteNamespacedPod({
          name: pod.metadata?.name ?? '',
          namespace: pod.metadata?.namespace ?? '',
          gracePeriodSeconds: 0,
        })
        .catch(() => undefined);
    }
  } catch (error) {
    log(`could not clean up stale pods: ${describeError(error)}`);
  }

  // Reconcile passes: periodic, plus soon after a watch event or a replica change; never two at once.
  const loop = new ReconcileLoop('serving', () => servingReconciler.reconcileAll(), log);
  reconcileSoon = loop.soon;
  const pass = loop.pass;
  loop.watch(kube, SERVICES);

  const sampler = setInterval(() => {
    const now = Date.now();
    for (const runner of servingReconciler.allRunners()) runner.sample(now);
  }, SAMPLE_MS);
  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking) return;
    ticking = true;
    const now = Date.now();
    void Promise.all(
      servingReconciler
        .allRunners()
        .map((runner) =>
          runner.tick(now).catch((error: unknown) => log(`${runner.key}: ${describeError(error)}`)),
        ),
    ).finally(() => {
      ticking = false;
    });
  }, TICK_MS);
  const resync = setInterval(() => void pass(), RESYNC_MS);

  const admin = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://admin');
    const json = (value: unknown) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/healthz') return json({ ok: true });
    if (url.pathname === '/replicas')
      return json(servingReconciler.allRunners().flatMap((runner) => runner.replicaInfo()));
    if (url.pathname === '/revisions') {
      return json(
        servingReconciler.allRunners().map((runner) => ({
          key: runner.key,
          fc: runner.isFc,
          ready: runner.readyCount(),
          waiting: runner.backend.waiting,
          inFlight: runner.backend.inFlight,
          decision: runner.decision,
          health: runner.health(),
        })),
      );
    }
    const logMatch = /^\/pods\/([^/]+)\/([^/]+)\/log$/.exec(url.pathname);
    if (logMatch) {
      const file = join(podLogs, logMatch[1] ?? '', `${logMatch[2] ?? ''}.log`);
      if (!file.startsWith(podLogs) || !existsSync(file)) {
        response.statusCode = 404;
        return response.end(`no log for pod ${logMatch[1]}/${logMatch[2]}\n`);
      }
      response.setHeader('content-type', 'text/plain; charset=utf-8');
      return response.end(readFileSync(file));
    }
    response.statusCode = 404;
    response.end('GET /replicas, /revisions or /pods/<namespace>/<pod>/log\n');
  });
  await new Promise<void>((resolve) => admin.listen(0, '127.0.0.1', resolve));
  const adminUrl = `http://127.0.0.1:${(admin.address() as AddressInfo).port}`;

  await pass();

  const info: RuntimeInfo = {
    pid: process.pid,
    ingress: `http://127.0.0.1:${ingressPort}`,
    fc: { ...credentials, endpoint: fcEndpoint },
    admin: adminUrl,
    podLogs,
    limits,
  };
  const runtimeFile = runtimeFilePath(state.dir);
  writeFileSync(`${runtimeFile}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(`${runtimeFile}.tmp`, runtimeFile);
  log(`runtime ready: ingress ${info.ingress}, FC ${fcEndpoint}, admin ${adminUrl}`);

  exitOnSignals(20_000, async (signal) => {
    loop.stop();
    log(`${signal}: stopping replicas`);
    clearInterval(sampler);
    clearInterval(ticker);
    clearInterval(resync);
    await servingReconciler.shutdown().catch(() => undefined);
    rmSync(runtimeFile, { force: true });
    await Promise.allSettled([ingress.close(), fc.close()]);
    admin.close();
  });
}

runMain('playground runtime', main);
