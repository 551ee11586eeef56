// Upstream Knative Serving's controller, autoscaler and activator (knative.dev/serving cmd/* at the pinned version,
// built by scripts/build-knative.sh) as playground parts, next to the webhook of parts/knative-serving.ts: the
// playground's Knative Serving (parts/upstream-parts.ts), where Knative itself
// reconciles Services into Deployments whose pods the virtual node runs with the real queue-proxy, and our KIngress
// (playground/kingress/) routes the traffic.
//
// Each runs as a process in a network namespace of its own, as in its pod: upstream fixes their ports (the
// controller's health probes and the autoscaler's stats server both on :8080, the activator's :8012/:8013, metrics
// :9090, profiling :8008), so on the host two of them, or two playgrounds, would collide. Part knative-net makes the
// three namespaces (`kdk<hash>`, each with a veth to the host, a /30 of the dir's own 10.215.x.y/28, and a default
// route to the host end; see componentNetwork), and one forwarder (api-forward-main.ts) that gives each of them
// kube-apiserver (127.0.0.1 only) at its veth's host end, with a kubeconfig whose tls-server-name is one of the
// apiserver certificate's names. The host routes between the namespaces and the virtual node's bridge (IPv4
// forwarding, see enableForwarding): the autoscaler scrapes queue-proxy on pod IPs, the activator proxies to them and
// dials the autoscaler; the KIngress (a host process) reaches the activator directly over its veth. So any number of
// upstream-mode playgrounds, in different dirs, run on one machine at once.
//
// They get the env their upstream Deployments give them (SYSTEM_NAMESPACE, POD_NAME, POD_IP = their namespace
// address, CONFIG_LOGGING_NAME, CONFIG_OBSERVABILITY_NAME), are up before any node, and are stopped by pid. What a
// cluster's Services would give them is made by hand, because the playground has no kube-proxy: the `autoscaler` and
// `activator-service` Services lose their selectors and get Endpoints + an EndpointSlice pointing at the components'
// namespace addresses, whose ports are the components' own (autoscaler 8080, activator 8012/8013), so a Service port
// equals its target port where it matters. The activator dials `ws://autoscaler.knative-serving.svc.cluster.local:8080`;
// with no cluster DNS it runs in a mount namespace of its own (`unshare --mount`) whose /etc/hosts maps that name to
// the autoscaler's namespace address.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { adminKubeConfig } from '../cluster-setup';
import { serverSideApply } from '../kube-writes';
import type { PartInfo } from '../info';
import { goModuleDir } from '../knative-crds';
import { kubeconfigPath } from '../kubeconfig';
import { pickPorts } from '../ports';
import {
  isOurProcess,
  requireTool,
  runningInfo,
  startDetached,
  stopIfOurs,
  waitUntilHealthy,
  playgroundDirOfLog,
} from '../processes';
import type { Versions } from '../versions';
import {
  dropLeasesOf,
  ensureKnativeBinaries,
  INGRESS_CLASS,
  ip,
  KNATIVE_NAMESPACE,
  knativeBinary,
  knativeConfigMap,
  queueImage,
} from './knative-serving';
import { bundleEntry } from './bundles';
import type { Part, PartContext } from './part';

const FIELD_MANAGER = 'knative-desk-upstream-serving';
export { INGRESS_CLASS, queueImage } from './knative-serving';
export const AUTOSCALER_PORT = 8080;
export const ACTIVATOR_HTTP_PORT = 8012;
export const ACTIVATOR_H2C_PORT = 8013;

const apiForwardScript = fileURLToPath(new URL('./api-forward-main.ts', import.meta.url));

/** The Knative components that run in a network namespace of their own (see the header). */
export const NETWORKED_COMPONENTS = ['controller', 'autoscaler', 'activator'] as const;
export type NetworkedComponent = (typeof NETWORKED_COMPONENTS)[number];

export interface ComponentNetwork {
  netns: string;
  /** The veth's host end (its peer in the namespace is `<hostLink>n`). */
  hostLink: string;
  hostIp: string;
  /** The component's own address: its POD_IP, and what its Service's endpoints point at. */
  nsIp: string;
  /** The playground's /28 that holds the three /30s, e.g. 10.215.7.32/28. */
  block: string;
}

/**
 * A component's network namespace and veth, derived from the playground dir. Names are `kdk<8 hex>` (from
 * `<component>:<dir>`): no other sweep matches them (the virtual node sweeps `<its prefix>-` and `<its prefix>v-`,
 * and hex has neither `-` nor `v`). Addresses: one /28 of 10.215.0.0/16 per dir, a /30 per component in it (host end
 * .1, namespace end .2), so one dir's three never overlap and two dirs share a block with odds 1 in 4080 — which
 * `up` then refuses with a clear error rather than steal the other's routes (see assertBlockFree).
 */
export function componentNetwork(dir: string, component: NetworkedComponent): ComponentNetwork {
  const id = createHash('sha256').update(`${component}:${dir}`).digest().subarray(0, 4).toString('hex');
  const block = createHash('sha256').update(`knative-net:${dir}`).digest();
  const third = block[0]! % 255;
  const fourth = (block[1]! % 16) * 16 + NETWORKED_COMPONENTS.indexOf(component) * 4;
  const prefix = `10.215.${third}`;
  return {
    netns: `kdk${id}`,
    hostLink: `kdk${id}`,
    hostIp: `${prefix}.${fourth + 1}`,
    nsIp: `${prefix}.${fourth + 2}`,
    block: `${prefix}.${(block[1]! % 16) * 16}/28`,
  };
}

/** Fails when another link (another playground's) holds an address of this dir's block. */
function assertBlockFree(dir: string): void {
  const ours = new Set(NETWORKED_COMPONENTS.map((component) => componentNetwork(dir, component).hostLink));
  const { block } = componentNetwork(dir, 'controller');
  const taken = (
    JSON.parse(ipOutput(['-j', '-4', 'addr', 'show', 'to', block])) as { ifname: string }[]
  ).filter((link) => !ours.has(link.ifname));
  if (taken.length > 0)
    throw new Error(
      `the Knative components' addresses of ${dir} (${block}) are held by ${taken.map((link) => link.ifname).join(', ')} — another playground whose dir hashes to the same block; use another dir`,
    );
}

function ipOutput(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/**
 * (Re)makes a component's namespace: whatever a crashed run left is removed first. Its default route goes to the
 * veth's host end, so from inside it reaches host addresses (the apiserver forwarder, the KIngress's service proxy)
 * and, through the host's forwarding, the pods on the virtual node's bridge and the other components' namespaces.
 */
function ensureComponentNetwork(dir: string, component: NetworkedComponent): ComponentNetwork {
  const net = componentNetwork(dir, component);
  removeComponentNetwork(dir, component);
  ip(['netns', 'add', net.netns]);
  ip(['link', 'add', net.hostLink, 'type', 'veth', 'peer', 'name', `${net.hostLink}n`]);
  ip(['link', 'set', `${net.hostLink}n`, 'netns', net.netns]);
  ip(['addr', 'add', `${net.hostIp}/30`, 'dev', net.hostLink]);
  ip(['link', 'set', net.hostLink, 'up']);
  ip(['-n', net.netns, 'addr', 'add', `${net.nsIp}/30`, 'dev', `${net.hostLink}n`]);
  ip(['-n', net.netns, 'link', 'set', `${net.hostLink}n`, 'up']);
  ip(['-n', net.netns, 'link', 'set', 'lo', 'up']);
  ip(['-n', net.netns, 'route', 'add', 'default', 'via', net.hostIp]);
  return net;
}

/** The veth (and with it the host's route to its /30) and the namespace (with its routes) go; idempotent. */
function removeComponentNetwork(dir: string, component: NetworkedComponent): void {
  if (process.getuid?.() !== 0) return;
  const net = componentNetwork(dir, component);
  ip(['link', 'del', net.hostLink], true);
  ip(['netns', 'del', net.netns], true);
}

function removeComponentNetworks(dir: string): void {
  for (const component of NETWORKED_COMPONENTS) removeComponentNetwork(dir, component);
}

/**
 * The autoscaler scrapes queue-proxy on pod IPs (the virtual node's bridge) and the activator proxies to them and
 * dials the autoscaler's namespace: packets that cross from one of our veths to the bridge or to another veth are
 * routed by the host, which the kernel does only with IPv4 forwarding on. It is switched on and left on: it is one
 * switch for the machine, other playgrounds (and other software) may rely on it, and turning it off under them would
 * cut them off. There is no firewall here that a FORWARD policy would have to open.
 */
function enableForwarding(): void {
  const path = '/proc/sys/net/ipv4/ip_forward';
  if (readFileSync(path, 'utf8').trim() !== '1') writeFileSync(path, '1\n');
}

/** The admin kubeconfig, pointed at the forwarder; the apiserver certificate names `kubernetes`, not this address. */
export const componentKubeconfig = (dir: string, component: NetworkedComponent) =>
  join(dir, 'knative', `${component}.kubeconfig`);

function forwardedKubeconfig(dir: string, component: NetworkedComponent, server: string): string {
  const config = parseYaml(readFileSync(kubeconfigPath(dir), 'utf8')) as {
    clusters: { cluster: Record<string, unknown> }[];
  };
  for (const entry of config.clusters) {
    entry.cluster.server = server;
    entry.cluster['tls-server-name'] = 'kubernetes';
  }
  const path = componentKubeconfig(dir, component);
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

/** A selector-less Service's Endpoints and EndpointSlice, pointing at a component's address (no kube-proxy here). */
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
 * and activator's Services (from their upstream manifests, selectors removed) with endpoints at their namespaces, and the
 * playground's settings: our KIngress class, the queue-proxy image name, and a scale-to-zero grace the tests can wait.
 */
export function upstreamServingObjects(
  versions: Versions,
  addresses: { autoscaler: string; activator: string },
): KubernetesObject[] {
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
    ...hostEndpoints('autoscaler', addresses.autoscaler, [{ name: 'http', port: AUTOSCALER_PORT }]),
    ...hostEndpoints('activator-service', addresses.activator, [
      { name: 'http', port: ACTIVATOR_HTTP_PORT },
      { name: 'http2', port: ACTIVATOR_H2C_PORT },
    ]),
    // mesh-compatibility-mode `disabled` (upstream's setting for clusters without a mesh): the activator addresses
    // pods directly and never falls back to the revision's ClusterIP, which here (no kube-proxy) is routed nowhere
    // local — in `auto`, every failed pod probe was followed by a probe of the ClusterIP that left the machine by its
    // default route. It also lets the activator take a pod the virtual node reports Ready without its own probe
    // (whose timeout upstream fixes at 300 ms: a CPU-starved pod failed it 13 times in a row before answering).
    knativeConfigMap('config-network', {
      'ingress-class': INGRESS_CLASS,
      'mesh-compatibility-mode': 'disabled',
    }),
    knativeConfigMap('config-deployment', { 'queue-sidecar-image': queueImage(versions) }),
  ];
}

async function applyUpstreamObjects(ctx: PartContext): Promise<void> {
  const kc = adminKubeConfig(kubeconfigPath(ctx.dir));
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const addresses = {
    autoscaler: componentNetwork(ctx.dir, 'autoscaler').nsIp,
    activator: componentNetwork(ctx.dir, 'activator').nsIp,
  };
  await serverSideApply(objects, upstreamServingObjects(ctx.versions, addresses), FIELD_MANAGER);
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

/** Upstream's profiling port: in its own namespace each component keeps it, as in its pod. */
const PROFILING_PORT = 8008;

interface ComponentSpec {
  command: NetworkedComponent;
  dependsOn: string[];
  /** The port (in the component's namespace) that answers once the component serves. */
  healthPort: number;
  /** Extra env, computed at start; recorded, and a change restarts the component. */
  env?: (dir: string) => Record<string, string>;
  /** Runs before the process starts (objects). */
  before?: (ctx: PartContext) => Promise<void>;
  /** Wraps the command (binary and its kubeconfig flag) that `ip netns exec <ns>` runs. */
  wrap?: (ctx: PartContext, binaryAndArgs: string[]) => string[];
  /** More env for the process only (not hashed), e.g. GOGC. */
  processEnv?: Record<string, string>;
}

/**
 * A Knative component as a process in its own network namespace (componentNetwork, made by part knative-net), started
 * with `ip netns exec`, whose pid is the component's own (ip, and unshare/sh where used, exec it).
 */
function componentPart(spec: ComponentSpec): Part {
  const name = `knative-${spec.command}`;
  const needle = `knative-${spec.command}-`;
  return {
    name,
    dependsOn: [...spec.dependsOn, 'knative-net'],
    prepare: ensureKnativeBinaries,
    async start(ctx): Promise<PartInfo> {
      if (process.getuid?.() !== 0)
        throw new Error(`${name} runs in a network namespace of its own: run the playground as root`);
      await spec.before?.(ctx);
      // No process of ours runs the component now (a recorded one was stopped): its Leases' holder is dead.
      await dropLeasesOf(adminKubeConfig(kubeconfigPath(ctx.dir)), spec.command);
      const net = componentNetwork(ctx.dir, spec.command);
      const log = join(ctx.dir, 'logs', `${name}.log`);
      const extra = spec.env?.(ctx.dir) ?? {};
      const command = [
        knativeBinary(ctx, spec.command),
        `--kubeconfig=${componentKubeconfig(ctx.dir, spec.command)}`,
      ];
      const proc = startDetached(
        'ip',
        ['netns', 'exec', net.netns, ...(spec.wrap?.(ctx, command) ?? command)],
        {
          log,
          env: {
            ...componentEnv(spec.command, net.nsIp, PROFILING_PORT),
            ...extra,
            ...spec.processEnv,
          },
        },
      );
      await waitUntilHealthy(name, proc, () => tcpAnswers(net.nsIp, spec.healthPort), 120_000);
      return runningInfo(proc, spec.healthPort, { envHash: envHash(extra) });
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
      return tcpAnswers(componentNetwork(ctx.dir, spec.command).nsIp, spec.healthPort);
    },
    async stop(info) {
      // Upstream drains for tens of seconds on SIGTERM so a cluster's load balancers can stop sending to a pod that
      // goes away; on `down` everything goes at once, so 5 s of grace is plenty.
      await stopIfOurs(info.pid, needle, 5_000);
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
  // Before scaling a revision to zero the autoscaler probes `http://<rev>.<ns>.svc.cluster.local/healthz` (it must
  // reach the activator): it gets the KIngress's service proxy (on the playground's service address, reached through
  // the namespace's default route) as HTTP_PROXY (names → Services → endpoints), while pod IPs (metrics scraping)
  // and loopback stay direct.
  dependsOn: ['knative-webhook', 'kingress'],
  env: (dir) => {
    const proxy = serviceProxyUrl(dir);
    if (!proxy) throw new Error('the KIngress has not published its service proxy (runtime.json)');
    return { HTTP_PROXY: proxy, NO_PROXY: '127.0.0.0/8,10.0.0.0/8,localhost' };
  },
  healthPort: AUTOSCALER_PORT,
  before: applyUpstreamObjects,
});

export const knativeActivatorPart = componentPart({
  command: 'activator',
  dependsOn: ['knative-autoscaler'],
  healthPort: ACTIVATOR_HTTP_PORT,
  processEnv: { GOGC: '500' },
  // The activator dials `ws://autoscaler.knative-serving.svc.cluster.local:8080`: with no cluster DNS it gets a
  // mount namespace of its own (`unshare --mount`) whose /etc/hosts maps that name to the autoscaler's namespace.
  wrap(ctx, command) {
    const hosts = join(ctx.dir, 'knative', 'activator-hosts');
    mkdirSync(dirname(hosts), { recursive: true });
    const names = ['svc.cluster.local', 'svc', ''].map((suffix) =>
      ['autoscaler', KNATIVE_NAMESPACE, suffix].filter(Boolean).join('.'),
    );
    writeFileSync(
      hosts,
      `127.0.0.1 localhost\n${componentNetwork(ctx.dir, 'autoscaler').nsIp} ${names.join(' ')}\n`,
    );
    return [
      'unshare',
      '--mount',
      '--propagation',
      'private',
      'sh',
      '-c',
      'mount --bind "$1" /etc/hosts && shift && exec "$@"',
      'sh',
      hosts,
      ...command,
    ];
  },
});

/**
 * The components' namespaces (componentNetwork) and the one forwarder that gives each of them kube-apiserver, at
 * the host end of its veth; a part of its own so `down` stops the forwarder by pid and removes every namespace, veth
 * and route, and the next `up` after a crash (whose `stop` of the recorded part runs first) does the same.
 */
export const knativeNetPart: Part = {
  name: 'knative-net',
  dependsOn: ['kube-apiserver'],
  async start(ctx, previous): Promise<PartInfo> {
    if (process.getuid?.() !== 0)
      throw new Error(
        'the Knative components run in network namespaces of their own: run the playground as root',
      );
    requireTool('ip', 'iproute2 (apt-get install iproute2)');
    assertBlockFree(ctx.dir);
    enableForwarding();
    const nets = NETWORKED_COMPONENTS.map((component) => ensureComponentNetwork(ctx.dir, component));
    const apiserverPort = ctx.parts['kube-apiserver']?.port;
    if (!apiserverPort) throw new Error('kube-apiserver has no recorded port');
    const { forward } = await pickPorts(['forward'], previous?.ports);
    // Bundled as the other Node parts are (bundles.ts); the folder name holds `api-forward-main`, the pid guard.
    const bundle = await bundleEntry(ctx.cache, 'playground-api-forward-main', apiForwardScript);
    const proc = startDetached(
      process.execPath,
      [join(bundle, 'main.mjs'), String(apiserverPort), ...nets.map((net) => `${net.hostIp}:${forward}`)],
      { log: join(ctx.dir, 'logs', 'knative-net.log') },
    );
    await waitUntilHealthy(
      'knative-net',
      proc,
      async () => (await Promise.all(nets.map((net) => tcpAnswers(net.hostIp, forward)))).every(Boolean),
      30_000,
    );
    for (const [index, component] of NETWORKED_COMPONENTS.entries())
      forwardedKubeconfig(ctx.dir, component, `https://${nets[index]!.hostIp}:${forward}`);
    return runningInfo(proc, forward, { forward, apiserver: apiserverPort });
  },
  async isHealthy(info, ctx) {
    const ours = `${componentNetwork(ctx.dir, 'controller').hostIp}:`;
    if (!isOurProcess(info.pid, 'api-forward-main') || !isOurProcess(info.pid, ours)) return false;
    if (info.ports?.apiserver !== ctx.parts['kube-apiserver']?.port || info.port === undefined) return false;
    const port = info.port;
    const answers = await Promise.all(
      NETWORKED_COMPONENTS.map((component) => tcpAnswers(componentNetwork(ctx.dir, component).hostIp, port)),
    );
    return answers.every(Boolean);
  },
  async stop(info) {
    await stopIfOurs(info.pid, 'api-forward-main');
    removeComponentNetworks(playgroundDirOfLog(info.log));
  },
  release: removeComponentNetworks,
};

export const knativeControllerPart = componentPart({
  command: 'controller',
  dependsOn: ['knative-webhook', 'knative-autoscaler'],
  healthPort: 8080,
});
