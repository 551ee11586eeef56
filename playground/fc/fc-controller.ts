// The playground's FC controller: a PodAutoscaler reconciler for the class
// `fc.autoscaling.knative-desk.io` (Knative's pluggable autoscaler classes; the class reaches FC-class revisions
// through fc-revision-webhook.ts). It stands in for Alibaba's FC controller in Knative on ASK, which deploys an
// FC-class Knative Service as the Function Compute function `kn_<namespace>_<name>` instead of Pods. For every
// Knative Service with PodAutoscalers of that class it
// - publishes the function in the FC double (fc-api-double.ts) from its newest revision (image, env, concurrency,
//   the `fc.revision.serving.knative.aliyun.com/*` annotations), whose instances fc-instances.ts runs on demand;
// - gives the function an HTTP trigger address (a listener per function on the playground's service address) and
//   points each revision's public Service `<rev>` at it (a selector-less Service + Endpoints, the shape Knative's
//   ServerlessService gives it), so the Route's KIngress splits reach the function as they would reach pods;
// - writes the PodAutoscaler status Knative's KPA writes for a revision that serves — Ready, Active,
//   ScaleTargetInitialized, SKSReady, serviceName — once per generation, so the Revision, Configuration, Route and
//   Service turn Ready through upstream's own reconcilers (Revision.PropagateAutoscalerStatus).
// The Deployment Knative made for the revision stays at 0 replicas: the function shows no Pods in the namespace.
// Every revision of a Service reaches the same function (FC versions and aliases are not played): traffic splits
// between revisions of an FC-class Service all land on its newest revision.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  makeInformer,
  type KubernetesObject,
  type V1Container,
} from '@kubernetes/client-node';
import { fcCustomDomainOf } from '../../knative/ask';
import { annotations as keys, labels } from '../../knative/keys';
import { resources } from '../../knative/resources';
import { patchCustomStatus, serverSideApply } from '../kube-writes';
import type { ImageEntry } from '../parts/virtual-node';
import { resolveEnv } from './env-resolver';
import type { FcApiDouble } from './fc-api-double';
import { FC_AUTOSCALING_CLASS } from './fc-revision-webhook';
import type { FunctionInstances } from './fc-instances';

const FIELD_MANAGER = 'knative-desk-fc-controller';
const PA = resources.podAutoscaler;
const REVISION = resources.revision;
/** The highest `instanceConcurrency` FC 2.0 accepts. */
export const FC_MAX_INSTANCE_CONCURRENCY = 100;

interface PodAutoscaler {
  metadata: {
    name: string;
    namespace: string;
    uid?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  status?: {
    observedGeneration?: number;
    serviceName?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

interface Revision {
  metadata: { name: string; namespace: string; annotations?: Record<string, string> };
  spec: { containers: V1Container[]; containerConcurrency?: number; serviceAccountName?: string };
}

export interface FcControllerOptions {
  readonly kubeConfig: KubeConfig;
  readonly fc: FcApiDouble;
  readonly instances: FunctionInstances;
  /** The images the playground can run (the virtual node's images.json). */
  readonly images: () => Record<string, ImageEntry>;
  /** Address the functions' HTTP triggers listen on (routable, not loopback: it goes into Endpoints). */
  readonly triggerHost: string;
  readonly log: (message: string) => void;
}

const isOurs = (pa: PodAutoscaler) =>
  pa.metadata.annotations?.[keys.autoscalingClass] === FC_AUTOSCALING_CLASS;
const generationOf = (pa: PodAutoscaler) =>
  Number(pa.metadata.labels?.[labels.configurationGeneration] ?? '0') || 0;
const serviceKeyOf = (pa: PodAutoscaler) =>
  `${pa.metadata.namespace}/${pa.metadata.labels?.[labels.service] ?? pa.metadata.labels?.[labels.configuration] ?? ''}`;

export class FcController {
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly objects: KubernetesObjectApi;
  private readonly informer;
  private readonly triggers = new Map<string, { server: Server; port: number }>();
  private readonly queued = new Set<string>();
  private running: Promise<void> = Promise.resolve();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: FcControllerOptions) {
    const kc = options.kubeConfig;
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.informer = makeInformer<KubernetesObject>(
      kc,
      `/apis/${PA.group}/${PA.version}/${PA.plural}`,
      () =>
        this.custom.listClusterCustomObject({
          group: PA.group,
          version: PA.version,
          plural: PA.plural,
        }) as never,
    );
    for (const verb of ['add', 'update', 'delete'] as const) {
      this.informer.on(verb, (object) => {
        const pa = object as unknown as PodAutoscaler;
        if (isOurs(pa)) this.enqueue(serviceKeyOf(pa));
      });
    }
    this.informer.on('error', (error) => {
      options.log(`PodAutoscaler watch error: ${String(error)}; restarting in 2 s`);
      setTimeout(() => void this.informer.start(), 2_000);
    });
  }

  async start(): Promise<void> {
    await this.informer.start();
  }

  async stop(): Promise<void> {
    await this.informer.stop();
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    for (const { server } of this.triggers.values()) {
      server.closeAllConnections();
      server.close();
    }
  }

  /** The HTTP trigger address of a published function (`host:port`), if it has one. */
  triggerOf(namespace: string, name: string): string | undefined {
    const trigger = this.triggers.get(`${namespace}/${name}`);
    return trigger && `${this.options.triggerHost}:${trigger.port}`;
  }

  private enqueue(serviceKey: string): void {
    if (this.queued.has(serviceKey)) return;
    this.queued.add(serviceKey);
    // One reconcile at a time, in arrival order: passes are short and level-triggered.
    this.running = this.running.then(async () => {
      this.queued.delete(serviceKey);
      try {
        await this.reconcile(serviceKey);
      } catch (error) {
        this.options.log(`fc ${serviceKey}: ${String(error)}; retrying in 2 s`);
        clearTimeout(this.retryTimers.get(serviceKey));
        this.retryTimers.set(
          serviceKey,
          setTimeout(() => this.enqueue(serviceKey), 2_000),
        );
      }
    });
  }

  private async reconcile(serviceKey: string): Promise<void> {
    const [namespace = '', name = ''] = serviceKey.split('/');
    const autoscalers = (this.informer.list() as unknown as PodAutoscaler[]).filter(
      (pa) => isOurs(pa) && serviceKeyOf(pa) === serviceKey,
    );
    if (autoscalers.length === 0) {
      this.options.fc.unpublish(namespace, name);
      await this.options.instances.remove(serviceKey);
      const trigger = this.triggers.get(serviceKey);
      this.triggers.delete(serviceKey);
      trigger?.server.closeAllConnections();
      trigger?.server.close();
      this.options.log(`fc ${serviceKey}: unpublished`);
      return;
    }
    const newest = autoscalers.reduce((a, b) => (generationOf(b) > generationOf(a) ? b : a));
    const revision = (await this.custom.getNamespacedCustomObject({
      group: REVISION.group,
      version: REVISION.version,
      plural: REVISION.plural,
      namespace,
      name: newest.metadata.name,
    })) as Revision;
    const container = revision.spec.containers[0];
    const image = container?.image ? this.options.images()[container.image] : undefined;
    if (!container || !image) {
      await this.writeStatus(newest, {
        ready: false,
        reason: 'ImageNotRunnable',
        message: `the playground's FC runs only its own images; "${container?.image ?? ''}" is not one of them`,
      });
      return;
    }
    const annotations = revision.metadata.annotations ?? {};
    const environmentVariables: Record<string, string> = {};
    for (const variable of container.env ?? []) {
      environmentVariables[variable.name] = variable.value ?? (variable.valueFrom ? '<from reference>' : '');
    }
    // Knative's 0 means "no limit"; FC's instanceConcurrency is 1..100, so 0 becomes FC's highest.
    const instanceConcurrency = revision.spec.containerConcurrency || FC_MAX_INSTANCE_CONCURRENCY;
    this.options.fc.publish({
      namespace,
      name,
      image: container.image ?? '',
      environmentVariables,
      instanceConcurrency,
      caPort: container.ports?.[0]?.containerPort ?? 8080,
      roleArn: annotations[keys.fcRoleArn],
      codeSpace: annotations[keys.fcCodeSpace],
      customDomain: fcCustomDomainOf(annotations[keys.fcDomain]),
    });
    this.options.instances.configure(serviceKey, {
      version: revision.metadata.name,
      image,
      instanceConcurrency,
      readinessPath: container.readinessProbe?.httpGet?.path,
      env: () =>
        resolveEnv(this.core, container.env, {
          name: revision.metadata.name,
          namespace,
          ip: '127.0.0.1',
          serviceAccountName: revision.spec.serviceAccountName ?? 'default',
        }),
    });
    const port = await this.ensureTrigger(serviceKey, namespace, name);
    for (const pa of autoscalers) {
      await this.ensureRevisionService(pa, port);
      await this.writeStatus(pa, { ready: true });
    }
  }

  private async ensureTrigger(serviceKey: string, namespace: string, name: string): Promise<number> {
    const existing = this.triggers.get(serviceKey);
    if (existing) return existing.port;
    const server = createServer((request, response) => {
      void this.options.fc.serveTrigger(namespace, name, request, response);
    });
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, this.options.triggerHost, resolve);
    });
    const port = (server.address() as AddressInfo).port;
    this.triggers.set(serviceKey, { server, port });
    this.options.log(`fc ${serviceKey}: published, HTTP trigger ${this.options.triggerHost}:${port}`);
    return port;
  }

  /** `<rev>`: the revision's public Service, selector-less, its Endpoints at the function's HTTP trigger. */
  private async ensureRevisionService(pa: PodAutoscaler, triggerPort: number): Promise<void> {
    const { name, namespace, uid } = pa.metadata;
    const ownerReferences = [
      {
        apiVersion: `${PA.group}/${PA.version}`,
        kind: PA.kind,
        name,
        uid: uid ?? '',
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
    const serviceLabels = {
      ...(pa.metadata.labels ?? {}),
      'networking.internal.knative.dev/serviceType': 'Public',
      'app.kubernetes.io/managed-by': FIELD_MANAGER,
    };
    const manifests = [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels: serviceLabels, ownerReferences },
        spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: triggerPort }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name, namespace, labels: serviceLabels, ownerReferences },
        subsets: [
          {
            addresses: [{ ip: this.options.triggerHost }],
            ports: [{ name: 'http', port: triggerPort, protocol: 'TCP' }],
          },
        ],
      },
    ] as unknown as KubernetesObject[];
    await serverSideApply(this.objects, manifests, FIELD_MANAGER);
  }

  private async writeStatus(
    pa: PodAutoscaler,
    state: { ready: true } | { ready: false; reason: string; message: string },
  ): Promise<void> {
    const status = pa.status ?? {};
    const wanted = state.ready ? 'True' : 'False';
    const ready = status.conditions?.find((condition) => condition.type === 'Ready');
    if (
      status.observedGeneration === pa.metadata.generation &&
      ready?.status === wanted &&
      (state.ready ? status.serviceName === pa.metadata.name : ready.message === state.message)
    ) {
      return; // Already says so: no write (no idle API traffic).
    }
    const now = new Date().toISOString();
    const condition = (type: string) =>
      state.ready
        ? { type, status: 'True', lastTransitionTime: now }
        : { type, status: 'False', reason: state.reason, message: state.message, lastTransitionTime: now };
    await patchCustomStatus(
      this.custom,
      PA,
      { namespace: pa.metadata.namespace, name: pa.metadata.name },
      {
        observedGeneration: pa.metadata.generation,
        // Named either way: with ScaleTargetInitialized False, Knative fails the revision ("Initial scale was
        // never achieved") instead of waiting for ever; Active carries our reason.
        serviceName: pa.metadata.name,
        conditions: [
          condition('Active'),
          condition('Ready'),
          condition('ScaleTargetInitialized'),
          { ...condition('SKSReady'), ...(state.ready ? {} : { status: 'Unknown' }) },
        ],
      },
    );
    this.options.log(
      `fc ${pa.metadata.namespace}/${pa.metadata.name}: PodAutoscaler ${state.ready ? 'ready' : `not ready (${state.reason})`}`,
    );
  }
}
