// Upstream Knative Serving's controller, autoscaler and activator (knative.dev/serving cmd/* at the pinned version,
// built by scripts/build-knative.sh) as playground parts, next to the webhook of parts/knative-serving.ts: the
// opt-in "upstream" serving mode (KNATIVE_DESK_PLAYGROUND_SERVING=upstream, see parts/index.ts), where Knative itself
// reconciles Services into Deployments whose pods the virtual node runs with the real queue-proxy, and our KIngress
// (playground/kingress/) routes the traffic.
//
// Like the webhook, they run as host processes with the playground's admin kubeconfig and the env their upstream
// Deployments give them (SYSTEM_NAMESPACE, POD_NAME, POD_IP, CONFIG_LOGGING_NAME, CONFIG_OBSERVABILITY_NAME), so they
// are up before any node and are stopped by pid. What a cluster's Services would give them is made by hand, because
// the playground has no kube-proxy: the `autoscaler` and `activator-service` Services lose their selectors and get
// Endpoints + an EndpointSlice pointing at the webhook's veth address (parts/knative-serving.ts), whose ports are the
// components' own (autoscaler 8080, activator 8012/8013), so a Service port equals its target port where it matters.
//
// Two upstream choices shape this:
// - the controller's health probes and the autoscaler's stats server both listen on the fixed port :8080 (upstream
//   code, not configurable), so the controller gets a network namespace of its own (`kdk<hash>`, a veth to the
//   host) and reaches kube-apiserver (127.0.0.1 only) through a forwarder at its veth's host end
//   (api-forward-main.ts), with a kubeconfig whose tls-server-name is one of the apiserver certificate's names;
// - the activator dials `ws://autoscaler.knative-serving.svc.cluster.local:8080`; with no cluster DNS on the host it
//   runs in a mount namespace of its own (`unshare --mount`) whose /etc/hosts maps that name to the veth address.
// The activator's ports (8012, 8013) and the autoscaler's (8080) are fixed upstream too: one upstream-mode
// playground per machine at a time.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { adminKubeConfig } from '../cluster-setup';
import type { PartInfo } from '../info';
import { goModuleDir } from '../knative-crds';
import { kubeconfigPath } from '../kubeconfig';
import { isPortFree, pickPorts } from '../ports';
import { isOurProcess, runningInfo, startDetached, stopIfOurs, waitUntilHealthy } from '../processes';
import type { Versions } from '../versions';
import {
  ensureKnativeBinaries,
  ip,
  KNATIVE_NAMESPACE,
  knativeBinary,
  knativeConfigMap,
  serviceInterface,
  type KnativeCommand,
} from './knative-serving';
import type { Part, PartContext } from './part';

const FIELD_MANAGER = 'knative-desk-upstream-serving';
export const INGRESS_CLASS = 'kdesk.ingress.networking.knative.dev';
/** The image name config-deployment gives queue-proxy; the virtual node maps it to the cached `queue` binary. */
export const queueImage = (versions: Versions) =>
  `gcr.io/knative-releases/knative.dev/serving/cmd/queue:${versions.knativeServing}`;
export const AUTOSCALER_PORT = 8080;
export const ACTIVATOR_HTTP_PORT = 8012;
export const ACTIVATOR_H2C_PORT = 8013;

const apiForwardScript = fileURLToPath(new URL('./api-forward-main.ts', import.meta.url));

/** The controller's network namespace and veth, derived from the playground dir (prefix `kdk`, not swept by others). */
export function controllerNetwork(dir: string): {
  netns: string;
  hostLink: string;
  hostIp: string;
  nsIp: string;
} {
  const hash = createHash('sha256').update(`controller:${dir}`).digest();
  const id = hash.subarray(0, 4).toString('hex');
  const base = (hash[5]! & 0xfc) % 252;
  const prefix = `10.215.${hash[4]! % 255}`;
  return {
    netns: `kdk${id}`,
    hostLink: `kdk${id}`,
    hostIp: `${prefix}.${base + 1}`,
    nsIp: `${prefix}.${base + 2}`,
  };
}

function ensureControllerNetwork(dir: string) {
  const net = controllerNetwork(dir);
  removeControllerNetwork(dir);
  ip(['netns', 'add', net.netns]);
  ip(['link', 'add', net.hostLink, 'type', 'veth', 'peer', 'name', `${net.hostLink}n`]);
  ip(['link', 'set', `${net.hostLink}n`, 'netns', net.netns]);
  ip(['addr', 'add', `${net.hostIp}/30`, 'dev', net.hostLink]);
  ip(['link', 'set', net.hostLink, 'up']);
  ip(['-n', net.netns, 'addr', 'add', `${net.nsIp}/30`, 'dev', `${net.hostLink}n`]);
  ip(['-n', net.netns, 'link', 'set', `${net.hostLink}n`, 'up']);
  ip(['-n', net.netns, 'link', 'set', 'lo', 'up']);
  return net;
}

function removeControllerNetwork(dir: string): void {
  if (process.getuid?.() !== 0) return;
  const net = controllerNetwork(dir);
  ip(['link', 'del', net.hostLink], true);
  ip(['netns', 'del', net.netns], true);
}

/** The admin kubeconfig, pointed at the forwarder; the apiserver certificate names `kubernetes`, not this address. */
function forwardedKubeconfig(dir: string, server: string): string {
  const config = parseYaml(readFileSync(kubeconfigPath(dir), 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  for (const entry of config.clusters) {
    entry.cluster.server = server;
    entry.cluster['tls-server-name'] = 'kubernetes';
  }
  const path = join(dir, 'knative', 'controller.kubeconfig');
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, stringifyYaml(config), { mode: 0o600 });
  return path;
}

function tcpAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => !!object && typeof object.kind === 'string');
}

/** A selector-less Service's Endpoints and EndpointSlice, pointing at a host address (no kube-proxy here). */
function hostEndpoints(name: string, address: string, ports: { name: string; port: number }[]) {
  return [
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        name: `${name}-playground`,
        namespace: KNATIVE_NAMESPACE,
        labels: {
          'kubernetes.io/service-name': name,
          'endpointslice.kubernetes.io/managed-by': 'knative-desk-playground',
        },
      },
      addressType: 'IPv4',
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
      ports: ports.map((port) => ({ ...port, protocol: 'TCP' })),
    },
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name,
        namespace: KNATIVE_NAMESPACE,
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: address }], ports: ports.map((port) => ({ ...port, protocol: 'TCP' })) }],
    },
  ] as unknown as KubernetesObject[];
}

/**
 * What the upstream-mode components need in the cluster besides what the webhook part applied: the autoscaler's
 * and activator's Services (from their upstream manifests, selectors removed) with host endpoints, and the
 * playground's settings: our KIngress class, the queue-proxy image name, and a scale-to-zero grace the tests can wait.
 */
export function upstreamServingObjects(versions: Versions, hostIp: string): KubernetesObject[] {
  const deployments = join(
    goModuleDir('knative.dev/serving', versions.knativeServing),
    'config',
    'core',
    'deployments',
  );
  const services = ['autoscaler.yaml', 'activator.yaml', 'controller.yaml']
    .flatMap((file) => readObjects(join(deployments, file)))
    .filter((object) => object.kind === 'Service')
    .map((object) => {
      const service = object as KubernetesObject & { spec: { selector?: unknown } };
      delete service.spec.selector;
      return service as KubernetesObject;
    });
  return [
    ...services,
    ...hostEndpoints('autoscaler', hostIp, [{ name: 'http', port: AUTOSCALER_PORT }]),
    ...hostEndpoints('activator-service', hostIp, [
      { name: 'http', port: ACTIVATOR_HTTP_PORT },
      { name: 'http2', port: ACTIVATOR_H2C_PORT },
    ]),
    knativeConfigMap('config-network', { 'ingress-class': INGRESS_CLASS }),
    knativeConfigMap('config-deployment', { 'queue-sidecar-image': queueImage(versions) }),
  ];
}

async function applyUpstreamObjects(ctx: PartContext): Promise<void> {
  const kc = adminKubeConfig(kubeconfigPath(ctx.dir));
  const objects = KubernetesObjectApi.makeApiClient(kc);
  for (const object of upstreamServingObjects(ctx.versions, serviceInterface(ctx.dir).ip)) {
    await objects.patch(object, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
}

function componentEnv(name: string, podIp: string, profilingPort: number): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SYSTEM_NAMESPACE: KNATIVE_NAMESPACE,
    POD_NAME: `${name}-playground`,
    POD_IP: podIp,
    CONFIG_LOGGING_NAME: 'config-logging',
    CONFIG_OBSERVABILITY_NAME: 'config-observability',
    PROFILING_PORT: String(profilingPort),
  };
}

/** A number for the extra env (ports are numbers), so a changed one (e.g. the service proxy moved) restarts. */
const envHash = (env: Record<string, string>) =>
  createHash('sha256').update(JSON.stringify(env)).digest().readUInt32BE(0);

const playgroundDirOfLog = (log: string) => dirname(dirname(log));

interface ComponentSpec {
  command: Exclude<KnativeCommand, 'webhook' | 'queue'>;
  dependsOn: string[];
  /** Ports upstream fixes for it (listened on every host address): taken ones fail the start with a clear message. */
  fixedPorts: number[];
  /** Host address and port that answer once the component serves. */
  health: (dir: string) => { host: string; port: number };
  /** Extra env, computed at start; recorded, and a change restarts the component. */
  env?: (dir: string) => Record<string, string>;
  /** Runs before the process starts (objects, interfaces). */
  before?: (ctx: PartContext) => Promise<void>;
  launch: (
    ctx: PartContext,
    binary: string,
    env: NodeJS.ProcessEnv,
    log: string,
  ) => ReturnType<typeof startDetached>;
  after?: (dir: string) => void;
}

function componentPart(spec: ComponentSpec): Part {
  const name = `knative-${spec.command}`;
  const needle = `knative-${spec.command}-`;
  return {
    name,
    dependsOn: spec.dependsOn,
    prepare: ensureKnativeBinaries,
    async start(ctx, previous): Promise<PartInfo> {
      if (process.getuid?.() !== 0)
        throw new Error(
          `${name} runs in a network or mount namespace of its own: run the playground as root`,
        );
      for (const port of spec.fixedPorts) {
        if (!(await isPortFree(port)))
          throw new Error(
            `${name} listens on port ${port} (fixed upstream) and something holds it already — another playground in upstream serving mode? Stop it first (one per machine)`,
          );
      }
      await spec.before?.(ctx);
      const { profiling } = await pickPorts(['profiling'], previous?.ports);
      const log = join(ctx.dir, 'logs', `${name}.log`);
      const extra = spec.env?.(ctx.dir) ?? {};
      const proc = spec.launch(
        ctx,
        knativeBinary(ctx, spec.command),
        { ...componentEnv(spec.command, serviceInterface(ctx.dir).ip, profiling), ...extra },
        log,
      );
      const health = spec.health(ctx.dir);
      await waitUntilHealthy(name, proc, () => tcpAnswers(health.host, health.port), 120_000);
      return runningInfo(proc, health.port, { profiling, envHash: envHash(extra) });
    },
    async isHealthy(info, ctx) {
      if (!isOurProcess(info.pid, needle) || !isOurProcess(info.pid, ctx.dir)) return false;
      let wanted: Record<string, string>;
      try {
        wanted = spec.env?.(ctx.dir) ?? {};
      } catch {
        return false;
      }
      if (info.ports?.envHash !== envHash(wanted)) return false;
      const health = spec.health(ctx.dir);
      return tcpAnswers(health.host, health.port);
    },
    async stop(info) {
      // Upstream drains for tens of seconds on SIGTERM so a cluster's load balancers can stop sending to a pod that
      // goes away; on `down` everything goes at once, so 5 s of grace is plenty.
      await stopIfOurs(info.pid, needle, 5_000);
      spec.after?.(playgroundDirOfLog(info.log));
    },
  };
}

/** The KIngress's service proxy (kingress-main.ts), from the runtime.json it wrote. */
function serviceProxyUrl(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as { serviceProxy?: string })
      .serviceProxy;
  } catch {
    return undefined;
  }
}

export const knativeAutoscalerPart = componentPart({
  command: 'autoscaler',
  fixedPorts: [AUTOSCALER_PORT],
  // Before scaling a revision to zero the autoscaler probes `http://<rev>.<ns>.svc.cluster.local/healthz` (it must
  // reach the activator): it gets the KIngress's service proxy as HTTP_PROXY (names → Services → endpoints), while
  // pod IPs (metrics scraping) and loopback stay direct.
  dependsOn: ['knative-webhook', 'kingress'],
  env: (dir) => {
    const proxy = serviceProxyUrl(dir);
    if (!proxy) throw new Error('the KIngress has not published its service proxy (runtime.json)');
    return { HTTP_PROXY: proxy, NO_PROXY: '127.0.0.0/8,10.0.0.0/8,localhost' };
  },
  health: (dir) => ({ host: serviceInterface(dir).ip, port: AUTOSCALER_PORT }),
  before: applyUpstreamObjects,
  launch: (ctx, binary, env, log) =>
    startDetached(binary, [`--kubeconfig=${kubeconfigPath(ctx.dir)}`], { log, env }),
});

export const knativeActivatorPart = componentPart({
  command: 'activator',
  fixedPorts: [ACTIVATOR_HTTP_PORT, ACTIVATOR_H2C_PORT],
  dependsOn: ['knative-autoscaler'],
  health: (dir) => ({ host: serviceInterface(dir).ip, port: ACTIVATOR_HTTP_PORT }),
  launch(ctx, binary, env, log) {
    const address = serviceInterface(ctx.dir).ip;
    const hosts = join(ctx.dir, 'knative', 'activator-hosts');
    mkdirSync(dirname(hosts), { recursive: true });
    const names = ['svc.cluster.local', 'svc', ''].map((suffix) =>
      ['autoscaler', KNATIVE_NAMESPACE, suffix].filter(Boolean).join('.'),
    );
    writeFileSync(hosts, `127.0.0.1 localhost\n${address} ${names.join(' ')}\n`);
    return startDetached(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        'sh',
        '-c',
        'mount --bind "$1" /etc/hosts && shift && exec "$@"',
        'sh',
        hosts,
        binary,
        `--kubeconfig=${kubeconfigPath(ctx.dir)}`,
      ],
      { log, env: { ...env, GOGC: '500' } },
    );
  },
});

/** The forwarder that gives the controller's namespace kube-apiserver; a part of its own so `down` stops it by pid. */
export const knativeControllerNetPart: Part = {
  name: 'knative-controller-net',
  dependsOn: ['kube-apiserver'],
  async start(ctx, previous): Promise<PartInfo> {
    if (process.getuid?.() !== 0)
      throw new Error(
        'the Knative controller runs in a network namespace of its own: run the playground as root',
      );
    const net = ensureControllerNetwork(ctx.dir);
    const apiserverPort = ctx.parts['kube-apiserver']?.port;
    if (!apiserverPort) throw new Error('kube-apiserver has no recorded port');
    const { forward } = await pickPorts(['forward'], previous?.ports);
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const proc = startDetached(
      process.execPath,
      ['--import', tsx, apiForwardScript, net.hostIp, String(forward), String(apiserverPort)],
      { log: join(ctx.dir, 'logs', 'knative-controller-net.log') },
    );
    await waitUntilHealthy('knative-controller-net', proc, () => tcpAnswers(net.hostIp, forward), 30_000);
    forwardedKubeconfig(ctx.dir, `https://${net.hostIp}:${forward}`);
    return runningInfo(proc, forward, { forward, apiserver: apiserverPort });
  },
  async isHealthy(info, ctx) {
    if (!isOurProcess(info.pid, 'api-forward-main')) return false;
    if (info.ports?.apiserver !== ctx.parts['kube-apiserver']?.port) return false;
    return info.port !== undefined && tcpAnswers(controllerNetwork(ctx.dir).hostIp, info.port);
  },
  async stop(info) {
    await stopIfOurs(info.pid, 'api-forward-main');
    removeControllerNetwork(playgroundDirOfLog(info.log));
  },
};

export const knativeControllerPart = componentPart({
  command: 'controller',
  fixedPorts: [],
  dependsOn: ['knative-webhook', 'knative-autoscaler', 'knative-controller-net'],
  health: (dir) => ({ host: controllerNetwork(dir).nsIp, port: 8080 }),
  launch: (ctx, binary, env, log) =>
    startDetached(
      'ip',
      [
        'netns',
        'exec',
        controllerNetwork(ctx.dir).netns,
        binary,
        `--kubeconfig=${join(ctx.dir, 'knative', 'controller.kubeconfig')}`,
      ],
      { log, env },
    ),
});
