// Knative Serving's controllers for the playground: Service → Configuration → Revision → Route, with the status
// fields and conditions Knative writes (so `kubectl get ksvc` and kn-style columns read right), a RevisionRunner
// per routed revision, the ingress routes, and FC publication for class "fc". Level-triggered: every pass reads
// what exists and converges; watches only make passes happen sooner. There is no kube-controller-manager in the
// playground, so owner references do not garbage-collect: deleting a Service's children is done here.

import { ApiException } from '@kubernetes/client-node';
import { fcCustomDomainOf } from '../../knative/ask';
import { fcResourceName, type FcApiDouble } from '../fc/fc-api-double';
import type { Ingress } from './ingress';
import {
  CONFIGURATIONS,
  describeError,
  isAlreadyExists,
  mergeConditions,
  ownerReference,
  PODAUTOSCALERS,
  REVISIONS,
  ROUTES,
  SERVICES,
  type Condition,
  type KnativeConfiguration,
  type KnativeObject,
  type KnativeRevision,
  type KnativeRoute,
  type KnativeService,
  type Kube,
  type RevisionTemplate,
  type TrafficTargetSpec,
} from '../kube';
import { RevisionRunner, type RevisionRunnerContext } from './revision-runner';

export const FC_CLASS_ANNOTATION = 'workload.serving.knative.aliyun.com/class';
const FC_DOMAIN_ANNOTATION = 'fc.revision.serving.knative.aliyun.com/domain';
const FC_ROLE_ANNOTATION = 'fc.revision.serving.knative.aliyun.com/role-arm';
const FC_CODE_SPACE_ANNOTATION = 'fc.revision.serving.knative.aliyun.com/code-space';

export interface ServingEndpoints {
  /** Port of the ingress on 127.0.0.1. */
  readonly ingressPort: number;
  /** Base URL of the FC double, for FC-class Service URLs. */
  readonly fcEndpoint: string;
}

interface ResolvedTraffic {
  revisionName: string;
  configurationName?: string;
  latestRevision: boolean;
  percent: number;
  tag?: string;
  url?: string;
}

function pad(generation: number): string {
  return String(generation).padStart(5, '0');
}

function condition(type: string, ready: boolean | undefined, reason?: string, message?: string): Condition {
  const status = ready === undefined ? 'Unknown' : ready ? 'True' : 'False';
  const result: Condition = { type, status };
  if (status !== 'True' && reason) result.reason = reason;
  if (status !== 'True' && message) result.message = message;
  return result;
}

function isFcService(service: KnativeService): boolean {
  return service.metadata.annotations?.[FC_CLASS_ANNOTATION] === 'fc';
}

export class ServingReconciler {
  private readonly runners = new Map<string, RevisionRunner>();
  /** Last error per Service, so a persistent problem is logged once, not every pass. */
  private readonly lastErrors = new Map<string, string>();

  constructor(
    private readonly kube: Kube,
    private readonly ingress: Ingress,
    private readonly fc: FcApiDouble,
    private readonly endpoints: ServingEndpoints,
    private readonly runnerContext: Omit<RevisionRunnerContext, 'kube' | 'ingress'>,
    private readonly log: (message: string) => void,
  ) {}

  allRunners(): RevisionRunner[] {
    return [...this.runners.values()];
  }

  /** The replicas of a Knative Service (all its revisions), for FC's ListInstances. */
  replicasOfService(namespace: string, name: string) {
    return this.allRunners()
      .filter((runner) => runner.namespace === namespace && runner.serviceName === name)
      .flatMap((runner) => runner.replicaInfo().filter((replica) => replica.ready));
  }

  hostFor(namespace: string, name: string): string {
    return `${name}.${namespace}.localhost`;
  }

  /** The URL a Node client can reach without setting Host: path routing on the ingress. */
  addressFor(namespace: string, name: string): string {
    return `http://127.0.0.1:${this.endpoints.ingressPort}/_/${namespace}/${name}`;
  }

  async reconcileAll(): Promise<void> {
    const [services, configurations, revisions, routes, namespaces] = await Promise.all([
      this.kube.list<KnativeService>(SERVICES),
      this.kube.list<KnativeConfiguration>(CONFIGURATIONS),
      this.kube.list<KnativeRevision>(REVISIONS),
      this.kube.list<KnativeRoute>(ROUTES),
      this.kube.core.listNamespace(),
    ]);
    // The playground has no namespace controller: a deleted namespace stays Terminating for ever with its objects
    // in it. Treat its Services as deleted, so their replicas stop instead of running (and failing) for ever.
    const terminating = new Set(
      namespaces.items
        .filter((ns) => ns.status?.phase === 'Terminating')
        .map((ns) => ns.metadata?.name ?? ''),
    );
    const liveServices = new Set<string>();
    for (const service of services) {
      if (service.metadata.deletionTimestamp || terminating.has(service.metadata.namespace)) continue;
      const key = `${service.metadata.namespace}/${service.metadata.name}`;
      liveServices.add(key);
      try {
        await this.reconcileService(service, configurations, revisions, routes);
        this.lastErrors.delete(key);
      } catch (error) {
        const message = describeError(error);
        if (this.lastErrors.get(key) !== message) this.log(`service ${key}: ${message}`);
        this.lastErrors.set(key, message);
      }
    }
    await this.collectOrphans(liveServices, configurations, revisions, routes);
  }

  private async reconcileService(
    service: KnativeService,
    configurations: KnativeConfiguration[],
    revisions: KnativeRevision[],
    routes: KnativeRoute[],
  ): Promise<void> {
    const { namespace, name } = service.metadata;
    const serviceLabels = {
      'serving.knative.dev/service': name,
      'serving.knative.dev/serviceUID': service.metadata.uid ?? '',
    };
    const fc = isFcService(service);

    // Configuration: the Service's template, owned by the Service.
    const template: RevisionTemplate = service.spec.template ?? { spec: { containers: [] } };
    let configuration = configurations.find(
      (c) => c.metadata.namespace === namespace && c.metadata.name === name,
    );
    if (!configuration) {
      configuration = await this.createOrGet<KnativeConfiguration>(CONFIGURATIONS, {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Configuration',
        metadata: {
          name,
          namespace,
          labels: serviceLabels,
          annotations: pickAnnotations(service.metadata.annotations),
          ownerReferences: [ownerReference(service as unknown as KnativeObject)],
        },
        spec: { template },
      });
    } else if (JSON.stringify(configuration.spec.template) !== JSON.stringify(template)) {
      configuration = await this.kube.replace<KnativeConfiguration>(CONFIGURATIONS, {
        ...configuration,
        spec: { template },
      });
    }
    const generation = configuration.metadata.generation ?? 1;

    // Revision for this configuration generation (Knative names it <configuration>-<generation as 5 digits>).
    const ownRevisions = revisions.filter(
      (r) =>
        r.metadata.namespace === namespace &&
        r.metadata.labels?.['serving.knative.dev/configuration'] === name,
    );
    let latest = ownRevisions.find(
      (r) => r.metadata.labels?.['serving.knative.dev/configurationGeneration'] === String(generation),
    );
    if (!latest) {
      const revisionName = template.metadata?.name || `${name}-${pad(generation)}`;
      latest = await this.createOrGet<KnativeRevision>(REVISIONS, {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Revision',
        metadata: {
          name: revisionName,
          namespace,
          labels: {
            ...(template.metadata?.labels ?? {}),
            ...serviceLabels,
            'serving.knative.dev/configuration': name,
            'serving.knative.dev/configurationGeneration': String(generation),
            'serving.knative.dev/configurationUID': configuration.metadata.uid ?? '',
            'serving.knative.dev/routingState': 'active',
          },
          annotations: {
            ...(template.metadata?.annotations ?? {}),
            ...pickAnnotations(service.metadata.annotations),
          },
          ownerReferences: [ownerReference(configuration as unknown as KnativeObject)],
        },
        spec: {
          containerConcurrency: 0,
          timeoutSeconds: 300,
          ...template.spec,
          containers: (template.spec?.containers ?? []).map((container) => ({
            ...container,
            name: container.name || 'user-container',
          })),
        },
      });
      ownRevisions.push(latest);
      this.log(`service ${namespace}/${name}: created revision ${latest.metadata.name}`);
    }

    // Which revisions get traffic: the Service's traffic block, or 100 % to the latest ready revision.
    const latestReady = this.latestReadyRevision(ownRevisions, latest);
    const trafficSpec: TrafficTargetSpec[] = service.spec.traffic?.length
      ? service.spec.traffic
      : [{ latestRevision: true, percent: 100 }];
    let { traffic, problem } = this.resolveTraffic(trafficSpec, name, latestReady, ownRevisions);

    // Runners: for every revision that gets traffic, and for the latest one (so it can become ready).
    const wanted = new Set([latest.metadata.name, ...traffic.map((t) => t.revisionName)]);
    for (const revision of ownRevisions) {
      const key = `${namespace}/${revision.metadata.name}`;
      let runner = this.runners.get(key);
      if (wanted.has(revision.metadata.name)) {
        if (!runner) {
          runner = new RevisionRunner(revision, fc, {
            ...this.runnerContext,
            kube: this.kube,
            ingress: this.ingress,
          });
          this.runners.set(key, runner);
          this.ingress.setBackend(key, runner.backend);
        } else runner.update(revision);
        await this.writeRevisionStatus(revision, runner);
      } else if (runner) {
        // No longer routed: Knative scales it to zero (reachability Unreachable); we stop its replicas.
        this.runners.delete(key);
        this.ingress.removeBackend(key);
        await runner.shutdown(true);
        await this.writeRevisionStatus(revision, undefined);
      }
    }

    const latestRunner = this.runners.get(`${namespace}/${latest.metadata.name}`);
    const latestHealth = latestRunner?.health();
    const readyRevision = this.latestReadyRevision(ownRevisions, latest);
    const readyName = readyRevision?.metadata.name;
    // Writing the revision statuses above may have made the latest revision ready: route to what is ready now, so
    // the status never names a latest ready revision that its traffic does not follow yet. Only revisions with a
    // runner can take traffic; anything else waits for the next pass.
    if (readyRevision !== latestReady) {
      const now = this.resolveTraffic(trafficSpec, name, readyRevision, ownRevisions);
      if (now.traffic.every((t) => this.runners.has(`${namespace}/${t.revisionName}`))) {
        ({ traffic, problem } = now);
      }
    }

    // Configuration status.
    const configReady = latestHealth?.ready;
    const configCondition = condition(
      'Ready',
      configReady,
      configReady === false ? 'RevisionFailed' : undefined,
      configReady === false
        ? `Revision "${latest.metadata.name}" failed with message: ${latestHealth?.message ?? 'unknown'}.`
        : undefined,
    );
    await this.kube.updateStatus<KnativeConfiguration>(CONFIGURATIONS, namespace, name, (current) => ({
      ...(current.status ?? {}),
      observedGeneration: current.metadata.generation,
      latestCreatedRevisionName: latest.metadata.name,
      ...(readyName ? { latestReadyRevisionName: readyName } : {}),
      conditions: mergeConditions(current.status?.conditions, [configCondition]),
    }));

    // URLs.
    const fcName = fcResourceName(namespace, name);
    const domain = fc ? fcCustomDomainOf(latest.metadata.annotations?.[FC_DOMAIN_ANNOTATION]) : undefined;
    const url = fc
      ? `${this.endpoints.fcEndpoint}/2016-08-15/proxy/${fcName}.LATEST/${fcName}/`
      : `http://${this.hostFor(namespace, name)}:${this.endpoints.ingressPort}`;
    const addressUrl = this.addressFor(namespace, name);

    // Route object and its status.
    const routeReady = problem ? false : traffic.length > 0 ? true : undefined;
    const routeStatusTraffic = traffic.map(({ url: _url, ...rest }) => rest);
    const route = routes.find((r) => r.metadata.namespace === namespace && r.metadata.name === name);
    if (!route) {
      await this.createOrGet<KnativeRoute>(ROUTES, {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Route',
        metadata: {
          name,
          namespace,
          labels: serviceLabels,
          ownerReferences: [ownerReference(service as unknown as KnativeObject)],
        },
        spec: {
          traffic: trafficSpec.map((t) => ({ ...t, configurationName: t.revisionName ? undefined : name })),
        },
      });
    } else if (
      JSON.stringify(route.spec.traffic?.map((t) => ({ ...t, configurationName: undefined }))) !==
      JSON.stringify(trafficSpec.map((t) => ({ ...t, configurationName: undefined })))
    ) {
      await this.kube.replace<KnativeRoute>(ROUTES, {
        ...route,
        spec: {
          traffic: trafficSpec.map((t) => ({ ...t, configurationName: t.revisionName ? undefined : name })),
        },
      });
    }
    const routeConditions = [
      condition(
        'AllTrafficAssigned',
        routeReady,
        problem?.reason ?? 'RevisionMissing',
        problem?.message ?? 'Configuration has no ready revision yet.',
      ),
      {
        type: 'CertificateProvisioned',
        status: 'True',
        reason: 'TLSNotEnabled',
        message: 'The playground serves plain HTTP.',
      } as Condition,
      condition('IngressReady', routeReady === undefined ? undefined : true),
      condition(
        'Ready',
        routeReady,
        problem?.reason ?? 'RevisionMissing',
        problem?.message ?? 'Configuration has no ready revision yet.',
      ),
    ];
    await this.kube.updateStatus<KnativeRoute>(ROUTES, namespace, name, (current) => ({
      ...(current.status ?? {}),
      observedGeneration: current.metadata.generation,
      url,
      address: { url: addressUrl },
      traffic: routeStatusTraffic,
      conditions: mergeConditions(current.status?.conditions, routeConditions),
    }));

    // Ingress: hosts → traffic split across running revisions.
    this.ingress.setRoute({
      routeKey: `${namespace}/${name}`,
      hosts: [this.hostFor(namespace, name), ...(domain ? [domain.domain] : [])],
      traffic: traffic.map((t) => ({ revisionKey: `${namespace}/${t.revisionName}`, percent: t.percent })),
    });

    // FC publication.
    if (fc) {
      const container = latest.spec.containers[0];
      const environmentVariables: Record<string, string> = {};
      for (const variable of container?.env ?? []) {
        environmentVariables[variable.name] =
          variable.value ?? (variable.valueFrom ? '<from reference>' : '');
      }
      this.fc.publish({
        namespace,
        name,
        image: container?.image ?? '',
        environmentVariables,
        instanceConcurrency: latest.spec.containerConcurrency || 1,
        caPort: container?.ports?.[0]?.containerPort ?? 8080,
        roleArn: latest.metadata.annotations?.[FC_ROLE_ANNOTATION],
        codeSpace: latest.metadata.annotations?.[FC_CODE_SPACE_ANNOTATION],
        customDomain: domain,
      });
    } else this.fc.unpublish(namespace, name);

    // Service status.
    const domainProblem =
      fc && latest.metadata.annotations?.[FC_DOMAIN_ANNOTATION] && !domain
        ? `annotation ${FC_DOMAIN_ANNOTATION} must be JSON like {"domain":"example.com","path":"/*"}`
        : undefined;
    const serviceReady =
      configReady === false || routeReady === false ? false : configReady && routeReady ? true : undefined;
    const serviceConditions = [
      configCondition.status === 'True'
        ? { type: 'ConfigurationsReady', status: 'True' as const }
        : { ...configCondition, type: 'ConfigurationsReady' },
      condition(
        'RoutesReady',
        routeReady,
        problem?.reason ?? 'RevisionMissing',
        problem?.message ?? 'Configuration has no ready revision yet.',
      ),
      serviceReady === false
        ? {
            type: 'Ready',
            status: 'False' as const,
            reason: configReady === false ? 'RevisionFailed' : (problem?.reason ?? 'RevisionMissing'),
            message: configCondition.message ?? problem?.message,
          }
        : condition(
            'Ready',
            serviceReady,
            'RevisionMissing',
            'Configuration is waiting for a Revision to become ready.',
          ),
    ];
    if (domainProblem)
      serviceConditions.push({
        type: 'FCDomainValid',
        status: 'False',
        reason: 'InvalidAnnotation',
        message: domainProblem,
      });
    await this.kube.updateStatus<KnativeService>(SERVICES, namespace, name, (current) => ({
      ...(current.status ?? {}),
      observedGeneration: current.metadata.generation,
      url,
      address: { url: addressUrl },
      latestCreatedRevisionName: latest.metadata.name,
      ...(readyName ? { latestReadyRevisionName: readyName } : {}),
      traffic: routeStatusTraffic,
      conditions: mergeConditions(current.status?.conditions, serviceConditions.map(stripUndefined)),
    }));
  }

  private latestReadyRevision(
    revisions: KnativeRevision[],
    latest: KnativeRevision,
  ): KnativeRevision | undefined {
    const readyOf = (revision: KnativeRevision) =>
      this.runners.get(`${revision.metadata.namespace}/${revision.metadata.name}`)?.health().ready === true ||
      revision.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (readyOf(latest)) return latest;
    return revisions
      .filter(readyOf)
      .sort(
        (a, b) =>
          Number(b.metadata.labels?.['serving.knative.dev/configurationGeneration'] ?? 0) -
          Number(a.metadata.labels?.['serving.knative.dev/configurationGeneration'] ?? 0),
      )[0];
  }

  private resolveTraffic(
    spec: TrafficTargetSpec[],
    configurationName: string,
    latestReady: KnativeRevision | undefined,
    revisions: KnativeRevision[],
  ): { traffic: ResolvedTraffic[]; problem?: { reason: string; message: string } } {
    const traffic: ResolvedTraffic[] = [];
    for (const target of spec) {
      const percent = target.percent ?? 0;
      if (target.revisionName && !target.latestRevision) {
        if (!revisions.some((r) => r.metadata.name === target.revisionName)) {
          return {
            traffic: [],
            problem: {
              reason: 'RevisionMissing',
              message: `Revision "${target.revisionName}" referenced in traffic not found.`,
            },
          };
        }
        traffic.push({
          revisionName: target.revisionName,
          latestRevision: false,
          percent,
          ...(target.tag ? { tag: target.tag } : {}),
        });
      } else {
        if (!latestReady) return { traffic: [] };
        traffic.push({
          revisionName: latestReady.metadata.name,
          configurationName,
          latestRevision: true,
          percent,
          ...(target.tag ? { tag: target.tag } : {}),
        });
      }
    }
    return { traffic };
  }

  private async writeRevisionStatus(
    revision: KnativeRevision,
    runner: RevisionRunner | undefined,
  ): Promise<void> {
    const health = runner?.health() ?? {
      ready: revision.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    };
    const decision = runner?.decision;
    const actual = runner?.readyCount() ?? 0;
    const active = actual > 0;
    const conditions: Condition[] = [
      condition('ResourcesAvailable', health.ready, health.reason, health.message),
      condition('ContainerHealthy', health.ready, health.reason, health.message),
      active
        ? { type: 'Active', status: 'True' }
        : {
            type: 'Active',
            status: 'False',
            reason: 'NoTraffic',
            message: 'The target is not receiving traffic.',
            severity: 'Info',
          },
      condition('Ready', health.ready, health.reason, health.message),
    ];
    const container = revision.spec.containers[0];
    await this.kube.updateStatus<KnativeRevision>(
      REVISIONS,
      revision.metadata.namespace,
      revision.metadata.name,
      (current) => ({
        ...(current.status ?? {}),
        observedGeneration: current.metadata.generation,
        ...(container
          ? {
              containerStatuses: [
                { name: container.name ?? 'user-container', imageDigest: container.image ?? '' },
              ],
            }
          : {}),
        actualReplicas: actual,
        desiredReplicas: decision?.desiredScale ?? 0,
        conditions: mergeConditions(current.status?.conditions, conditions),
      }),
    );
  }

  private async createOrGet<T extends KnativeObject>(resource: typeof SERVICES, body: T): Promise<T> {
    try {
      return await this.kube.create<T>(resource, body);
    } catch (error) {
      if (isAlreadyExists(error)) {
        const existing = await this.kube.get<T>(resource, body.metadata.namespace, body.metadata.name);
        if (existing) return existing;
      }
      throw error;
    }
  }

  /** Removes children whose Service is gone (the playground has no garbage collector). */
  private async collectOrphans(
    liveServices: Set<string>,
    configurations: KnativeConfiguration[],
    revisions: KnativeRevision[],
    routes: KnativeRoute[],
  ): Promise<void> {
    const orphaned = (object: KnativeObject) => {
      const service = object.metadata.labels?.['serving.knative.dev/service'];
      return service !== undefined && !liveServices.has(`${object.metadata.namespace}/${service}`);
    };
    for (const revision of revisions.filter(orphaned)) {
      const key = `${revision.metadata.namespace}/${revision.metadata.name}`;
      const runner = this.runners.get(key);
      if (runner) {
        this.runners.delete(key);
        this.ingress.removeBackend(key);
        await runner.shutdown(true);
      }
      await this.kube.delete(PODAUTOSCALERS, revision.metadata.namespace, revision.metadata.name);
      await this.kube.delete(REVISIONS, revision.metadata.namespace, revision.metadata.name);
    }
    for (const configuration of configurations.filter(orphaned)) {
      await this.kube.delete(CONFIGURATIONS, configuration.metadata.namespace, configuration.metadata.name);
    }
    for (const route of routes.filter(orphaned)) {
      this.ingress.removeRoute(`${route.metadata.namespace}/${route.metadata.name}`);
      this.fc.unpublish(route.metadata.namespace, route.metadata.name);
      await this.kube.delete(ROUTES, route.metadata.namespace, route.metadata.name);
    }
    // Runners whose revision vanished without its Service going (deleted by hand).
    const existing = new Set(revisions.map((r) => `${r.metadata.namespace}/${r.metadata.name}`));
    for (const [key, runner] of this.runners) {
      if (!existing.has(key)) {
        this.runners.delete(key);
        this.ingress.removeBackend(key);
        await runner.shutdown(true);
      }
    }
  }

  async shutdown(): Promise<void> {
    await Promise.all(this.allRunners().map((runner) => runner.shutdown(true)));
    this.runners.clear();
  }
}

/** Annotations a Service passes down to its Configuration/Revision (the FC class must reach the revision). */
function pickAnnotations(annotations: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (key === FC_CLASS_ANNOTATION) result[key] = value;
  }
  return result;
}

function stripUndefined(condition: Condition): Condition {
  return Object.fromEntries(
    Object.entries(condition).filter(([, value]) => value !== undefined),
  ) as unknown as Condition;
}

export { ApiException };
