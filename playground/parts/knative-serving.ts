// Upstream Knative Serving's admission webhook (knative.dev/serving cmd/webhook at the pinned version), built from
// the Go module proxy by scripts/build-knative.sh into the cache, run as a host process with the playground's
// admin kubeconfig. Before it starts, everything Knative Serving installs besides its Deployments is applied from
// the pinned module zips: the knative-serving namespace, service accounts and ClusterRoles, the CRDs of serving,
// networking (Ingress, Certificate, ServerlessService, ClusterDomainClaim) and caching (Image), and the config maps;
// after it answers, its three webhook configurations (defaulting, resource validation, config-map validation),
// whose caBundle the webhook fills in itself with the certificate it makes.
//
// kube-apiserver reaches a webhook through its Service's EndpointSlices (--enable-aggregator-routing=true) and
// Kubernetes refuses loopback endpoint addresses, so the webhook needs an address that is not loopback: the
// playground makes an interface of its own (a veth pair), `kds<hash of the playground dir>`, with one private address
// 10.214.x.y, and points a selector-less `webhook` Service at it (EndpointSlice + Endpoints). The interface is
// removed on `down` and replaced on the next `up` (so a crash leaves nothing behind for long). This needs root.
//
// Why host processes and not pods: the webhook must answer before anything Knative can be written
// (failurePolicy Fail), so it cannot wait for a node; and its ports are picked free here (WEBHOOK_PORT,
// PROFILING_PORT), so several playgrounds on one machine do not collide.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  ApiException,
  CoordinationV1Api,
  type KubeConfig,
  KubernetesObjectApi,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { adminKubeConfig, waitEstablished } from '../cluster-setup';
import type { PartInfo } from '../info';
import { goModuleDir } from '../knative-crds';
import { serverSideApply } from '../kube-writes';
import { kubeconfigPath } from '../kubeconfig';
import { pickPorts } from '../ports';
import {
  httpsAnswers,
  isExecutableFile,
  isOurProcess,
  requireTool,
  runningInfo,
  runWithProgress,
  startDetached,
  stopIfOurs,
  waitUntilHealthy,
  playgroundDirOfLog,
} from '../processes';
import type { Versions } from '../versions';
import type { Part, PartContext } from './part';

const buildScript = fileURLToPath(new URL('../scripts/build-knative.sh', import.meta.url));
const FIELD_MANAGER = 'knative-desk-playground';
export const KNATIVE_NAMESPACE = 'knative-serving';
export const KNATIVE_COMMANDS = ['webhook', 'controller', 'autoscaler', 'activator', 'queue'] as const;
export type KnativeCommand = (typeof KNATIVE_COMMANDS)[number];
const WEBHOOK_CONFIGURATIONS = {
  mutating: ['webhook.serving.knative.dev'],
  validating: ['validation.webhook.serving.knative.dev', 'config.webhook.serving.knative.dev'],
};

export const INGRESS_CLASS = 'kdesk.ingress.networking.knative.dev';
/** The image name config-deployment gives queue-proxy; the virtual node maps it to the cached `queue` binary. */
export const queueImage = (versions: Versions) =>
  `gcr.io/knative-releases/knative.dev/serving/cmd/queue:${versions.knativeServing}`;

export const knativeBinary = (ctx: PartContext, command: KnativeCommand) =>
  join(ctx.cache, 'bin', `knative-${command}-${ctx.versions.knativeServing}`);

let building: Promise<void> | undefined;

export function ensureKnativeBinaries(ctx: PartContext): Promise<void> {
  if (KNATIVE_COMMANDS.every((command) => isExecutableFile(knativeBinary(ctx, command))))
    return Promise.resolve();
  building ??= buildKnative(ctx).finally(() => (building = undefined));
  return building;
}

async function buildKnative(ctx: PartContext): Promise<void> {
  requireTool('go', 'Go >= 1.25 (https://go.dev/dl)');
  ctx.progress(
    `building Knative Serving ${ctx.versions.knativeServing} (controller, webhook, autoscaler, activator, queue) from the Go module proxy (first time only; ~7 min on 2 cores)`,
  );
  await runWithProgress(
    ctx.progress,
    'building Knative Serving',
    'bash',
    [buildScript, ctx.cache, ctx.versions.knativeServing],
    { label: 'build' },
  );
}

/**
 * The playground's own service interface and its addresses, derived from its dir so two playgrounds never share
 * one: `ip` (the webhook, the service proxy, the public gateway's load balancer on 80/443) and `internalIp` (the
 * internal gateway on 80, where pods reach `kdesk-gateway-internal` as a cluster's pods reach kourier-internal).
 */
export function serviceInterface(dir: string): { link: string; ip: string; internalIp: string } {
  const hash = createHash('sha256').update(dir).digest();
  const host = `${hash[4]! % 255}.${(hash[5]! % 253) + 1}`;
  return {
    link: `kds${hash.subarray(0, 4).toString('hex')}`,
    ip: `10.214.${host}`,
    internalIp: `10.216.${host}`,
  };
}

function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(
      'the playground runs Knative Serving, whose webhook needs a network interface of its own (kube-apiserver refuses loopback endpoints): run `up` as root (sudo), or connect the console to any Knative cluster instead',
    );
  }
  requireTool('ip', 'iproute2 (apt-get install iproute2)');
}

/** Runs `ip <args>` (iproute2); a failure throws with ip's own words unless `allowFailure` (idempotent clean-ups). */
export function ip(args: string[], allowFailure = false): void {
  try {
    execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    if (!allowFailure)
      throw new Error(
        `ip ${args.join(' ')} failed: ${(error as { stderr?: Buffer }).stderr?.toString().trim() ?? String(error)}`,
        { cause: error },
      );
  }
}

/** (Re)makes the dummy interface: whatever a crashed run left is replaced. */
export function ensureServiceInterface(dir: string): ReturnType<typeof serviceInterface> {
  const wanted = serviceInterface(dir);
  ip(['link', 'del', wanted.link], true);
  // A veth pair with both ends here (not every kernel has the dummy driver): one end carries the address.
  ip(['link', 'add', wanted.link, 'type', 'veth', 'peer', 'name', `${wanted.link}p`]);
  ip(['link', 'set', `${wanted.link}p`, 'up']);
  ip(['addr', 'add', `${wanted.ip}/32`, 'dev', wanted.link]);
  ip(['addr', 'add', `${wanted.internalIp}/32`, 'dev', wanted.link]);
  ip(['link', 'set', wanted.link, 'up']);
  return wanted;
}

export function removeServiceInterface(dir: string): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return;
  ip(['link', 'del', serviceInterface(dir).link], true);
}

function readObjects(file: string): KubernetesObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as KubernetesObject | null)
    .filter((object): object is KubernetesObject => !!object && typeof object.kind === 'string');
}

function yamlFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(folder, entry.name))
    .sort();
}

/**
 * A module's directory in the Go module cache. The build (scripts/build-knative.sh) has extracted every module
 * serving needs; the proxy serves the zips of networking/caching's pseudo-versions but refuses their `.info`, so
 * `go mod download` of them fails even when the code is there: look in the cache first.
 */
function cachedModuleDir(module: string, version: string): string {
  const gomodcache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = join(gomodcache, `${module}@${version}`);
  return existsSync(join(dir, 'go.mod')) ? dir : goModuleDir(module, version);
}

/** The module version serving's own go.mod requires (networking and caching are pseudo-versions). */
function requiredVersion(servingDir: string, module: string): string {
  const match = new RegExp(`^\\s*${module.replace(/\./g, '\\.')} (v\\S+)`, 'm').exec(
    readFileSync(join(servingDir, 'go.mod'), 'utf8'),
  );
  if (!match?.[1]) throw new Error(`knative.dev/serving's go.mod does not require ${module}`);
  return match[1];
}

/**
 * What Knative Serving's release YAML installs, read from the pinned module zips, minus the Deployments (the
 * playground runs the binaries itself) and their autoscalers/disruption budgets. The webhook Service loses its
 * selector: its endpoints are the host process's address (see the header). Playground settings are applied on top.
 */
export function knativeServingManifests(versions: Versions): {
  crds: KubernetesObject[];
  objects: KubernetesObject[];
  webhookConfigurations: KubernetesObject[];
} {
  const serving = goModuleDir('knative.dev/serving', versions.knativeServing);
  const networking = cachedModuleDir(
    'knative.dev/networking',
    requiredVersion(serving, 'knative.dev/networking'),
  );
  const caching = cachedModuleDir('knative.dev/caching', requiredVersion(serving, 'knative.dev/caching'));
  const core = join(serving, 'config', 'core');
  const files = [
    join(core, '100-namespace.yaml'),
    join(core, '200-serviceaccount.yaml'),
    ...yamlFiles(join(core, '200-roles')),
    ...yamlFiles(join(core, '300-resources')),
    ...yamlFiles(join(networking, 'config')),
    ...yamlFiles(join(caching, 'config')),
    ...yamlFiles(join(core, 'configmaps')),
    ...yamlFiles(join(core, 'webhooks')),
    join(core, 'deployments', 'webhook.yaml'),
  ];
  const skipped = new Set(['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget']);
  const all = files.flatMap(readObjects).filter((object) => !skipped.has(object.kind ?? ''));
  const crds: KubernetesObject[] = [];
  const objects: KubernetesObject[] = [];
  const webhookConfigurations: KubernetesObject[] = [];
  for (const object of all) {
    if (object.kind === 'CustomResourceDefinition') crds.push(object);
    else if (
      object.kind === 'MutatingWebhookConfiguration' ||
      object.kind === 'ValidatingWebhookConfiguration'
    )
      webhookConfigurations.push(object);
    else if (object.kind === 'Service' && object.metadata?.name === 'webhook') {
      const service = object as KubernetesObject & { spec: { selector?: unknown } };
      delete service.spec.selector;
      objects.push(service);
    } else objects.push(object);
  }
  return { crds, objects, webhookConfigurations };
}

function webhookEndpoints(address: string, port: number): KubernetesObject[] {
  const labels = {
    'kubernetes.io/service-name': 'webhook',
    'endpointslice.kubernetes.io/managed-by': 'knative-desk-playground',
  };
  return [
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'webhook-playground', namespace: KNATIVE_NAMESPACE, labels },
      addressType: 'IPv4',
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
      ports: [{ name: 'https-webhook', port, protocol: 'TCP' }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        name: 'webhook',
        namespace: KNATIVE_NAMESPACE,
        // The EndpointSlice above is the one; mirroring would only make a second.
        labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
      },
      subsets: [{ addresses: [{ ip: address }], ports: [{ name: 'https-webhook', port, protocol: 'TCP' }] }],
    } as KubernetesObject,
  ];
}

/** The webhook serves TLS on `/`; any answer below 500 means it is up. */
function webhookAnswers(host: string, port: number): Promise<boolean> {
  return httpsAnswers({ host, port, path: '/', timeoutMs: 2_000 }, (status) => status < 500);
}

async function deleteWebhookConfigurations(api: AdmissionregistrationV1Api): Promise<void> {
  const ignoreMissing = (error: unknown) => {
    if (!(error instanceof ApiException && error.code === 404)) throw error;
  };
  for (const name of WEBHOOK_CONFIGURATIONS.mutating)
    await api.deleteMutatingWebhookConfiguration({ name }).catch(ignoreMissing);
  for (const name of WEBHOOK_CONFIGURATIONS.validating)
    await api.deleteValidatingWebhookConfiguration({ name }).catch(ignoreMissing);
}

/** True once every webhook configuration carries the caBundle the webhook made (before, calls to it fail TLS). */
async function webhookConfigured(api: AdmissionregistrationV1Api): Promise<boolean> {
  const bundles: (string | undefined)[] = [];
  for (const name of WEBHOOK_CONFIGURATIONS.mutating) {
    const config = await api.readMutatingWebhookConfiguration({ name });
    bundles.push(...(config.webhooks ?? []).map((hook) => hook.clientConfig.caBundle));
  }
  for (const name of WEBHOOK_CONFIGURATIONS.validating) {
    const config = await api.readValidatingWebhookConfiguration({ name });
    bundles.push(...(config.webhooks ?? []).map((hook) => hook.clientConfig.caBundle));
  }
  return bundles.length > 0 && bundles.every((bundle) => !!bundle);
}

/**
 * Deletes the Leases a Knative component's leader election left in its namespace (`<component>.<reconciler>.NN-of-MM`,
 * `<component>-bucket-NN-of-MM`). A part calls it just before it starts its component, when no process of ours runs
 * it any more (a recorded one was stopped first): the holder is known dead. Left in place, a Lease of a process that
 * was killed (-9, or a crash, so it never released it) keeps the new process from leading for a whole leaseDuration
 * (150 s here: LEADER_ELECTION) counted from its own first sight of the Lease (client-go's leaderelection does not
 * trust other clocks): the webhook fills no caBundle and the controller and autoscaler reconcile nothing meanwhile. In a cluster the
 * Deployment's pod would wait the same; here `up` knows better.
 */
export async function dropLeasesOf(kc: KubeConfig, component: string): Promise<string[]> {
  const api = kc.makeApiClient(CoordinationV1Api);
  const leases = await api.listNamespacedLease({ namespace: KNATIVE_NAMESPACE });
  const names = leases.items
    .map((lease) => lease.metadata?.name ?? '')
    .filter((name) => name.startsWith(`${component}.`) || name.startsWith(`${component}-`));
  for (const name of names)
    await api.deleteNamespacedLease({ name, namespace: KNATIVE_NAMESPACE }).catch((error: unknown) => {
      if (!(error instanceof ApiException && error.code === 404)) throw error;
    });
  return names;
}

export const knativeWebhookPart: Part = {
  name: 'knative-webhook',
  dependsOn: ['kube-apiserver', 'kube-controller-manager'],
  prepare: ensureKnativeBinaries,
  async start(ctx, previous): Promise<PartInfo> {
    requireRoot();
    const kc = adminKubeConfig(kubeconfigPath(ctx.dir));
    const objects = KubernetesObjectApi.makeApiClient(kc);
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const apply = (object: KubernetesObject) => serverSideApply(objects, [object], FIELD_MANAGER);

    // A webhook left configured by a crashed run would refuse every write below (failurePolicy Fail).
    await deleteWebhookConfigurations(admission);
    const address = ensureServiceInterface(ctx.dir);
    const manifests = knativeServingManifests(ctx.versions);
    ctx.progress(
      `applying Knative Serving ${ctx.versions.knativeServing}: ${manifests.crds.length} CRDs, ${manifests.objects.length} objects`,
    );
    for (const crd of manifests.crds) await apply(crd);
    await waitEstablished(
      kc.makeApiClient(ApiextensionsV1Api),
      manifests.crds.map((crd) => crd.metadata?.name ?? ''),
    );
    for (const object of manifests.objects) await apply(object);
    for (const object of playgroundSettings(ctx.versions)) await apply(object);

    const { webhook, profiling } = await pickPorts(['webhook', 'profiling'], previous?.ports);
    for (const object of webhookEndpoints(address.ip, webhook)) await apply(object);
    await dropLeasesOf(kc, 'webhook');
    const proc = startDetached(knativeBinary(ctx, 'webhook'), [`--kubeconfig=${kubeconfigPath(ctx.dir)}`], {
      log: join(ctx.dir, 'logs', 'knative-webhook.log'),
      env: {
        ...process.env,
        SYSTEM_NAMESPACE: KNATIVE_NAMESPACE,
        POD_NAME: 'webhook-playground',
        CONFIG_LOGGING_NAME: 'config-logging',
        CONFIG_OBSERVABILITY_NAME: 'config-observability',
        WEBHOOK_NAME: 'webhook',
        WEBHOOK_PORT: String(webhook),
        PROFILING_PORT: String(profiling),
      },
    });
    await waitUntilHealthy('knative-webhook', proc, () => webhookAnswers(address.ip, webhook), 120_000);
    for (const object of manifests.webhookConfigurations) await apply(object);
    await waitUntilHealthy('knative-webhook', proc, () => webhookConfigured(admission), 60_000);
    return runningInfo(proc, webhook, { webhook, profiling });
  },
  async isHealthy(info, ctx) {
    if (!isOurProcess(info.pid, 'knative-webhook') || !isOurProcess(info.pid, kubeconfigPath(ctx.dir)))
      return false;
    return info.port !== undefined && webhookAnswers(serviceInterface(ctx.dir).ip, info.port);
  },
  async stop(info) {
    await stopIfOurs(info.pid, 'knative-webhook');
    removeServiceInterface(playgroundDirOfLog(info.log));
  },
  release: removeServiceInterface,
};

/** A config map of Knative's system namespace (config-features, config-network, …) with the given data. */
export function knativeConfigMap(name: string, data: Record<string, string>): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: KNATIVE_NAMESPACE },
    data,
  } as KubernetesObject;
}

/**
 * Playground values on top of upstream's config maps (the rest keep upstream defaults). They include the upstream-mode
 * components' own (queue-proxy image, ingress class; upstreamServingObjects applies them too): this part re-applies
 * upstream's config maps whenever the webhook restarts, which takes back every key upstream's YAML carries (its
 * `ko://` queue-sidecar-image), and a key its next apply left out would be deleted — a webhook restarted alone (after
 * a kill) used to leave config-deployment without queue-sidecar-image, and the controller refused to start.
 */
function playgroundSettings(versions: Versions): KubernetesObject[] {
  return [
    // Env from the Downward API (POD_NAME, status.podIP): off upstream by default, on here as ASK users expect.
    knativeConfigMap('config-features', {
      'kubernetes.podspec-fieldref': 'enabled',
    }),
    // The playground's images (knative-desk/… on Docker Hub's name space) are never pulled: no digest lookup.
    knativeConfigMap('config-deployment', {
      'registries-skipping-tag-resolving': 'index.docker.io,docker.io,kind.local,ko.local,dev.local',
      'queue-sidecar-image': queueImage(versions),
    }),
    knativeConfigMap('config-network', {
      'ingress-class': INGRESS_CLASS,
      'mesh-compatibility-mode': 'disabled',
    }),
    // One replica of each component leads every bucket: renewing its 14 Leases every 10 s (upstream's retry-period,
    // sized for failover between replicas) was the playground's only steady write load at rest, 1.4 writes/s through
    // kube-apiserver and etcd. Nothing here waits on an expiry: `up` deletes a dead process's Leases before starting
    // its successor (dropLeasesOf). Client-go wants renew-deadline > 1.2 × retry-period and lease-duration above it.
    knativeConfigMap('config-leader-election', LEADER_ELECTION),
  ];
}

/** config-leader-election for single replicas (playgroundSettings says why); upstream: 60 s, 40 s, 10 s. */
export const LEADER_ELECTION = {
  'lease-duration': '150s',
  'renew-deadline': '100s',
  'retry-period': '60s',
} as const;
