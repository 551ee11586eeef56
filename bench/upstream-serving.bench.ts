// The playground's Knative Serving figures (issue 9), each printed as `name: value unit (reference value unit, ratio)`:
// - warm `up` of the whole playground (etcd, kube-apiserver, controller manager, scheduler, Knative webhook,
//   controller, autoscaler, activator, virtual node, KIngress, FC; no Kafka), against the warm `up` of bare etcd +
//   kube-apiserver on a dir of their own, same run (each `up` again after `down`);
// - idle, with one probe Service at min-scale 1 and no traffic, over IDLE_S seconds: API writes per second
//   (kube-apiserver's apiserver_request_total, POST/PUT/PATCH/DELETE/APPLY; leases apart), CPU (% of one core) and
//   resident memory of the whole playground (every part's pid and its descendants, the pods' processes included),
//   each against the goal (1/s, 5 %, 2 GiB);
// - cold start: a request at zero through the KIngress (activator → scale from zero → the pod's queue-proxy → the
//   user container) until its first 2xx, median of COLD_SAMPLES, against starting the same bundled process directly
//   and polling it until it answers, same run;
// - scale decision → new pods Ready: from the Deployment's replicas write (the KPA's decision, seen by a watch) until
//   that many of the revision's pods are Ready (also seen by a watch), for 0 → 1 (each cold start) and 0 → 8 (8 held
//   requests at zero to a Service with containerConcurrency 1 and max-scale 8), against starting that many bundles
//   directly until all answer, same run; for 0 → 8 also until the 8th held request was taken by a pod (the activator
//   routes to a pod its own probe found healthy, before the pod's Ready); and resident memory with those 8 pods,
//   against the 2.5 GiB goal;
// - a namespace holding a Service with a running pod, deleted with kubectl until it is NotFound (the namespace
//   controller, Knative's finalizers, the pod's drain), against the 1-minute goal and an empty namespace deleted.
// Needs root and the cache (Knative binaries, virtual node; `npm run -s playground -- up` once). Private playgrounds
// under a temp dir, stopped and removed at the end. No load beyond a handful of requests to loopback (8 of them held
// open 15 s); the load average of the machine is printed, since the 2 cores are shared.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Watch, type V1Deployment, type V1Pod } from '@kubernetes/client-node';
import { adminKubeConfig } from '../playground/cluster-setup';
import type { PlaygroundInfo } from '../playground/info';
import { defaultCacheDir } from '../playground/info';
import { etcdPart } from '../playground/parts/etcd';
import { kubeApiserverPart } from '../playground/parts/kube-apiserver';
import type { Part } from '../playground/parts/part';
import { bundleProbe, upstreamServingParts } from '../playground/parts/upstream-parts';
import { downPlayground, upPlayground } from '../playground/playground';
import { randomFreePort } from '../playground/ports';
import { eventually, kubectl, kubectlApplyReadyKsvc, namespaceGone } from '../test/support/kubectl';
import { probeKsvc } from '../test/support/probe-ksvc';
import { reportFigures } from './report-figure';
import { idleFigures, playgroundRss } from './idle-figures';

const IDLE_S = Number(process.env.UPSTREAM_BENCH_IDLE_S ?? 20);
const COLD_SAMPLES = Number(process.env.UPSTREAM_BENCH_COLD_SAMPLES ?? 3);
const BURST_PODS = 8;
const BURST_HOLD_MS = 15_000;
const GOALS = { writes: 1, cpu: 5, rssIdle: 2048, rssPods: 2560, namespaceGoneS: 60 };
const root = mkdtempSync(join(tmpdir(), 'knd-bench-upstream-'));
const say = (message: string) => process.stderr.write(`  [upstream bench] ${message}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

interface Mode {
  dir: string;
  parts: readonly Part[];
}
const upstream: Mode = { dir: join(root, 'upstream'), parts: upstreamServingParts };
const bare: Mode = { dir: join(root, 'bare'), parts: [etcdPart, kubeApiserverPart] };
const options = (mode: Mode) => ({
  dir: mode.dir,
  parts: mode.parts,
  without: mode.parts.some((part) => part.name === 'kafka') ? ['kafka'] : [],
  progress: () => {},
});

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

async function deployProbe(
  info: PlaygroundInfo,
  name: string,
  annotations: Record<string, string>,
  containerConcurrency?: number,
  namespace = 'default',
) {
  const service = probeKsvc(name, namespace, { annotations, containerConcurrency });
  const result = await kubectlApplyReadyKsvc(info, service);
  if (result.code !== 0) throw new Error(`${name}: kubectl ${result.step} failed: ${result.stderr}`);
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

/** Seconds from `kubectl delete namespace` until the namespace is NotFound. */
async function namespaceGoneSeconds(info: PlaygroundInfo, namespace: string): Promise<number> {
  const began = Date.now();
  const deleted = await kubectl(info, ['delete', 'namespace', namespace, '--wait=false']);
  if (deleted.code !== 0) throw new Error(deleted.stderr);
  await eventually(`namespace ${namespace} to be gone`, () => namespaceGone(info, namespace), 300_000);
  return (Date.now() - began) / 1000;
}

async function untilZero(info: PlaygroundInfo, name: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while ((await podCount(info, name)) > 0) {
    if (Date.now() > deadline) throw new Error(`${name} did not scale to zero within 180 s`);
    await sleep(1_000);
  }
}

/**
 * What a `kubectl get -w` of the namespace's Deployments and Pods would show, with the time each event arrived: every
 * change of a Deployment's spec.replicas (the KPA's scale decision as written), and when each pod turned Ready.
 */
class ScaleWatch {
  private readonly replicas = new Map<string, number>();
  readonly decisions: { service: string; replicas: number; at: number }[] = [];
  readonly readyAt = new Map<string, { service: string; at: number }>();
  /** When the watch first saw each pod created, bound to the node, with every container running, and Ready. */
  readonly podSteps = new Map<
    string,
    { service: string; created: number; bound?: number; running?: number; ready?: number }
  >();
  private readonly aborts: AbortController[] = [];
  private stopped = false;

  async start(info: PlaygroundInfo): Promise<void> {
    const watch = new Watch(adminKubeConfig(info.kubeconfig));
    // client-node ends a watch after 30 s without events; a quiet namespace is the usual case here, so each watch is
    // started again (its first events re-list the objects, which the handlers take as no change).
    const keep = async <T>(path: string, handle: (object: T) => void): Promise<void> => {
      const abort = await watch.watch(
        path,
        {},
        (_type: string, object: T) => handle(object),
        () => {
          if (!this.stopped)
            void keep(path, handle).catch((error: unknown) => say(`watch: ${String(error)}`));
        },
      );
      if (this.stopped) abort.abort();
      else this.aborts.push(abort);
    };
    await keep('/apis/apps/v1/namespaces/default/deployments', (deployment: V1Deployment) => {
      const name = deployment.metadata?.name ?? '';
      const replicas = deployment.spec?.replicas ?? 0;
      if (this.replicas.get(name) === replicas) return;
      this.replicas.set(name, replicas);
      const service = deployment.metadata?.labels?.['serving.knative.dev/service'] ?? '';
      this.decisions.push({ service, replicas, at: Date.now() });
    });
    await keep('/api/v1/namespaces/default/pods', (pod: V1Pod) => {
      const uid = pod.metadata?.uid ?? '';
      const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
      const now = Date.now();
      const steps = this.podSteps.get(uid) ?? {
        service: pod.metadata?.labels?.['serving.knative.dev/service'] ?? '',
        created: now,
      };
      this.podSteps.set(uid, steps);
      if (pod.spec?.nodeName) steps.bound ??= now;
      const statuses = pod.status?.containerStatuses ?? [];
      if (statuses.length > 0 && statuses.every((status) => status.state?.running)) steps.running ??= now;
      if (ready) steps.ready ??= now;
      if (!ready || this.readyAt.has(uid)) return;
      const service = pod.metadata?.labels?.['serving.knative.dev/service'] ?? '';
      this.readyAt.set(uid, { service, at: Date.now() });
    });
  }

  stop(): void {
    this.stopped = true;
    for (const abort of this.aborts) abort.abort();
  }

  /** The first decision of `service` to `replicas` (or more) after `since`, and when that many pods were Ready. */
  async decisionToReady(service: string, replicas: number, since: number, timeoutMs = 120_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const decision = this.decisions.find(
        (d) => d.service === service && d.replicas >= replicas && d.at >= since,
      );
      if (decision) {
        const ready = [...this.readyAt.values()]
          .filter((r) => r.service === service && r.at >= since)
          .map((r) => r.at)
          .sort((a, b) => a - b);
        if (ready.length >= replicas) return { decidedAt: decision.at, readyAt: ready[replicas - 1]! };
      }
      if (Date.now() > deadline)
        throw new Error(`${service}: no decision to ${replicas} with that many pods Ready`);
      await sleep(50);
    }
  }
}

async function warmUp(mode: Mode): Promise<{ seconds: number; info: PlaygroundInfo }> {
  await upPlayground(options(mode));
  await downPlayground(options(mode));
  const began = Date.now();
  const { info } = await upPlayground(options(mode));
  return { seconds: (Date.now() - began) / 1000, info };
}

/** Starts `count` probe bundles as plain processes and polls them until all answer: the scale-up references. */
async function directStartMs(count = 1): Promise<number> {
  const [, bundle = ''] = (await bundleProbe(defaultCacheDir())).command;
  const ports = await Promise.all(Array.from({ length: count }, () => randomFreePort()));
  const began = Date.now();
  const children = ports.map((port) =>
    spawn(process.execPath, [bundle], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' }),
  );
  try {
    await Promise.all(
      ports.map(async (port) => {
        while ((await get(`http://127.0.0.1:${port}/`)) !== 200) {
          if (Date.now() - began > 30_000) throw new Error('a probe bundle did not answer within 30 s');
          await sleep(5);
        }
      }),
    );
    return Date.now() - began;
  } finally {
    for (const child of children) child.kill('SIGTERM');
  }
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the playground needs root');
  say(`load average at start: ${loadAverage()}`);
  const watch = new ScaleWatch();
  try {
    say('bare etcd + kube-apiserver: up, down, warm up');
    const reference = await warmUp(bare);
    await downPlayground(options(bare));
    say(`bare warm up ${reference.seconds.toFixed(1)} s; whole playground: up, down, warm up`);
    const up = await warmUp(upstream);
    say(`warm up ${up.seconds.toFixed(1)} s; deploying a probe Service at min-scale 1`);
    await deployProbe(up.info, 'idle', { 'autoscaling.knative.dev/min-scale': '1' });
    const idle = await idleFigures(up.info, IDLE_S);

    reportFigures([
      ['upstream serving warm up', up.seconds, 's', 'bare etcd + kube-apiserver', reference.seconds],
      ['upstream serving idle API writes (leases excluded)', idle.writes, '/s', 'goal', GOALS.writes],
      ['upstream serving idle CPU, 1 pod', idle.cpu, '% of a core', 'goal', GOALS.cpu],
      ['upstream serving resident memory, idle, 1 pod', idle.rss, 'MiB', 'goal', GOALS.rssIdle],
    ]);
    say(
      `idle writes in ${IDLE_S} s: ${idle.byResource || 'none'}; lease writes ${idle.leaseWrites.toFixed(2)}/s`,
    );

    // Upstream's shortest grace (6 s) and stable window (6 s) only shorten each wait for zero.
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
    await watch.start(up.info);
    await deployProbe(up.info, 'cold', { 'autoscaling.knative.dev/window': '6s' });
    const gateway = up.info.ingress as string;
    const cold: number[] = [];
    const coldDirect: number[] = [];
    const oneReady: number[] = [];
    for (let sample = 0; sample < COLD_SAMPLES; sample++) {
      await untilZero(up.info, 'cold');
      const began = Date.now();
      const status = await get(`${gateway}/`, 'cold.default.svc.cluster.local');
      if (status < 200 || status >= 300) throw new Error(`request at zero answered ${status}`);
      cold.push(Date.now() - began);
      const scaled = await watch.decisionToReady('cold', 1, began);
      oneReady.push(scaled.readyAt - scaled.decidedAt);
      coldDirect.push(await directStartMs());
      say(
        `cold start ${cold.at(-1)} ms (decision → Ready ${oneReady.at(-1)} ms), direct ${coldDirect.at(-1)} ms`,
      );
    }
    const direct = 'starting the process directly';
    const coldMs = median(cold);
    const oneReadyMs = median(oneReady);
    const directMs = median(coldDirect);
    reportFigures([
      ['upstream serving cold start (request at zero → 2xx), median', coldMs, 'ms', direct, directMs],
      ['upstream serving scale decision → 1 new pod Ready, median', oneReadyMs, 'ms', direct, directMs],
    ]);

    await deployProbe(
      up.info,
      'burst',
      { 'autoscaling.knative.dev/window': '6s', 'autoscaling.knative.dev/max-scale': String(BURST_PODS) },
      1,
    );
    await untilZero(up.info, 'burst');
    await untilZero(up.info, 'cold');
    const began = Date.now();
    // Each held request ends BURST_HOLD_MS after a pod took it; with containerConcurrency 1 the 8th to start is on
    // the 8th pod: when the activator was routing to all of them (its own probes, before the pods' Ready).
    const held = Array.from({ length: BURST_PODS }, async () => {
      const status = await get(`${gateway}/?holdMs=${BURST_HOLD_MS}`, 'burst.default.svc.cluster.local');
      return { status, servedAt: Date.now() - BURST_HOLD_MS };
    });
    const scaled = await watch.decisionToReady('burst', BURST_PODS, began);
    const rssPods = playgroundRss(up.info);
    const answers = await Promise.all(held);
    if (answers.some((answer) => answer.status !== 200))
      throw new Error(`held requests answered ${answers.map((answer) => answer.status).join(', ')}`);
    const allServing = Math.max(...answers.map((answer) => answer.servedAt));
    const burstDirect = await directStartMs(BURST_PODS);
    say(`0 → ${BURST_PODS}: decided ${scaled.decidedAt - began} ms after the requests`);
    // Where the time goes, as the watch saw each burst pod: decision → created → bound → running → Ready.
    const steps = [...watch.podSteps.values()].filter(
      (step) => step.service === 'burst' && step.created >= began,
    );
    const leg = (from: (step: (typeof steps)[number]) => number | undefined, to: typeof from) =>
      steps
        .map((step) => (to(step) ?? NaN) - (from(step) ?? NaN))
        .filter((ms) => Number.isFinite(ms))
        .sort((a, b) => a - b);
    const describe = (ms: number[]) =>
      `median ${ms[Math.floor(ms.length / 2)] ?? '?'} ms, max ${ms.at(-1) ?? '?'} ms`;
    say(
      `  decision → pod created: ${describe(
        leg(
          () => scaled.decidedAt,
          (step) => step.created,
        ),
      )}`,
    );
    say(
      `  created → bound to the node: ${describe(
        leg(
          (step) => step.created,
          (step) => step.bound,
        ),
      )}`,
    );
    say(
      `  bound → containers running: ${describe(
        leg(
          (step) => step.bound,
          (step) => step.running,
        ),
      )}`,
    );
    say(
      `  running → Ready: ${describe(
        leg(
          (step) => step.running,
          (step) => step.ready,
        ),
      )}`,
    );
    const burst = `starting ${BURST_PODS} processes directly`;
    const decision = `upstream serving scale decision → ${BURST_PODS} new pods`;
    const podsReadyMs = scaled.readyAt - scaled.decidedAt;
    const podsServingMs = allServing - scaled.decidedAt;
    const rssName = `upstream serving resident memory, ${BURST_PODS} pods + the idle Service's 1`;
    reportFigures([
      [`${decision} Ready`, podsReadyMs, 'ms', burst, burstDirect],
      [`${decision} serving (the activator's own probes)`, podsServingMs, 'ms', burst, burstDirect],
      [rssName, rssPods, 'MiB', 'goal', GOALS.rssPods],
    ]);

    say('a namespace with a running Knative pod deleted, against an empty namespace deleted');
    for (const namespace of ['gone-empty', 'gone-knative']) {
      const created = await kubectl(up.info, ['create', 'namespace', namespace]);
      if (created.code !== 0) throw new Error(created.stderr);
    }
    await deployProbe(
      up.info,
      'probe',
      { 'autoscaling.knative.dev/min-scale': '1' },
      undefined,
      'gone-knative',
    );
    const emptyGone = await namespaceGoneSeconds(up.info, 'gone-empty');
    const knativeGone = await namespaceGoneSeconds(up.info, 'gone-knative');
    reportFigures([
      [
        'upstream serving namespace with a Knative pod deleted → gone',
        knativeGone,
        's',
        'goal',
        GOALS.namespaceGoneS,
      ],
      [
        'upstream serving namespace with a Knative pod deleted → gone',
        knativeGone,
        's',
        'an empty namespace',
        emptyGone,
      ],
    ]);
  } finally {
    watch.stop();
    say(`load average at end: ${loadAverage()}`);
    await downPlayground(options(upstream)).catch(() => {});
    await downPlayground(options(bare)).catch(() => {});
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `upstream serving bench failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
