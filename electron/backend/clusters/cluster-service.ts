// Contexts, namespaces, and the per-context check the UI turns into "read-write", "read-only" or "cannot reach":
// a version call for reachability, then SelfSubjectAccessReviews for what the console does (list/watch and
// create/patch Knative Services, create Secrets, list Pods).
import { AuthorizationV1Api, CoreV1Api, KubernetesObjectApi, VersionApi } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { z } from 'zod';
import type { ClusterCheck } from '../../common/schemas/clusters';
import type { accessCheck, clustersListResponse, namespacesResponse } from '../../common/schemas/clusters';
import { toEnvelope } from '../errors';
import type { KubeconfigSources } from './kubeconfig-sources';
import { withTimeout } from './with-timeout';

type AccessCheck = z.infer<typeof accessCheck>;

interface Probe {
  verb: string;
  group: string;
  resource: string;
}

const readProbes: Probe[] = [
  { verb: 'list', group: 'serving.knative.dev', resource: 'services' },
  { verb: 'watch', group: 'serving.knative.dev', resource: 'services' },
  { verb: 'list', group: '', resource: 'pods' },
];
const writeProbes: Probe[] = [
  { verb: 'create', group: 'serving.knative.dev', resource: 'services' },
  { verb: 'patch', group: 'serving.knative.dev', resource: 'services' },
  { verb: 'create', group: '', resource: 'secrets' },
  { verb: 'patch', group: 'sources.knative.dev', resource: 'kafkasources' },
];

const CHECK_TIMEOUT_MS = 8000;

/** Per-context clients, kept while the context exists, so watches and lists share one KubeConfig. */
export interface ContextClients {
  config: KubeConfig;
  core: CoreV1Api;
  objects: KubernetesObjectApi;
}

export class ClusterService {
  private readonly clients = new Map<string, ContextClients>();

  constructor(
    private readonly sources: KubeconfigSources,
    private readonly suggestedContext: () => string | undefined,
  ) {}

  list(): z.infer<typeof clustersListResponse> {
    this.clients.clear(); // A fresh list means files may have changed: rebuild clients on next use.
    const loaded = this.sources.load();
    const contexts = this.sources.contexts(loaded);
    const suggested = this.suggestedContext();
    return {
      sources: loaded.map(({ kind, path, error }) => ({ kind, path, error })),
      contexts,
      suggested: contexts.some((c) => c.name === suggested)
        ? (suggested ?? null)
        : (contexts[0]?.name ?? null),
    };
  }

  addKubeconfig(path: string): z.infer<typeof clustersListResponse> {
    this.sources.addFile(path);
    return this.list();
  }

  confirmCredentialCommands(path: string): z.infer<typeof clustersListResponse> {
    this.sources.confirmCredentialCommands(path);
    // Clients made before (refused ones are never cached) stay valid; new ones see the confirmation.
    return this.list();
  }

  clientsFor(context: string): ContextClients {
    let clients = this.clients.get(context);
    if (!clients) {
      const config = this.sources.configFor(context);
      clients = {
        config,
        core: config.makeApiClient(CoreV1Api),
        objects: KubernetesObjectApi.makeApiClient(config),
      };
      this.clients.set(context, clients);
    }
    return clients;
  }

  async namespaces(context: string): Promise<z.infer<typeof namespacesResponse>> {
    const { core } = this.clientsFor(context);
    const list = await withTimeout(core.listNamespace(), CHECK_TIMEOUT_MS, `The cluster of "${context}"`);
    return {
      namespaces: list.items.map((ns) => ({
        name: ns.metadata?.name ?? '',
        phase: ns.status?.phase ?? null,
        createdAt: ns.metadata?.creationTimestamp
          ? new Date(ns.metadata.creationTimestamp).toISOString()
          : null,
      })),
    };
  }

  async check(context: string, namespace: string | undefined): Promise<ClusterCheck> {
    const base = { context, namespace: namespace ?? null };
    let config: KubeConfig;
    try {
      config = this.clientsFor(context).config;
    } catch (error) {
      return this.unreachable(base, toEnvelope(error, 'clusters:check'));
    }
    let serverVersion: string;
    try {
      const version = await withTimeout(
        config.makeApiClient(VersionApi).getCode(),
        CHECK_TIMEOUT_MS,
        'The apiserver',
      );
      serverVersion = version.gitVersion;
    } catch (error) {
      return this.unreachable(base, toEnvelope(error, 'clusters:check'));
    }
    const authorization = config.makeApiClient(AuthorizationV1Api);
    let checks: AccessCheck[];
    try {
      checks = await withTimeout(
        Promise.all([...readProbes, ...writeProbes].map((probe) => review(authorization, probe, namespace))),
        CHECK_TIMEOUT_MS,
        'The access review',
      );
    } catch (error) {
      const envelope = toEnvelope(error, 'clusters:check');
      return {
        ...base,
        reachable: true,
        serverVersion,
        access: 'no-access',
        summary: envelope.message,
        checks: [],
        error: envelope,
      };
    }
    const allowed = (probes: Probe[]) =>
      probes.every(
        (probe) =>
          checks.find(
            (c) => c.verb === probe.verb && c.resource === probe.resource && c.group === probe.group,
          )?.allowed,
      );
    const where = namespace ? `in ${namespace}` : 'in all namespaces';
    const canRead = allowed(readProbes);
    const canWrite = canRead && allowed(writeProbes);
    const access = canWrite ? 'read-write' : canRead ? 'read-only' : 'no-access';
    const summary =
      access === 'read-write'
        ? `Read-write: you may list and deploy Knative Services ${where}.`
        : access === 'read-only'
          ? `Read-only: you may list Knative Services ${where} but not deploy or change them.`
          : `No access: you may not list Knative Services ${where}.`;
    return { ...base, reachable: true, serverVersion, access, summary, checks, error: null };
  }

  private unreachable(
    base: { context: string; namespace: string | null },
    error: ClusterCheck['error'] & object,
  ): ClusterCheck {
    return {
      ...base,
      reachable: false,
      serverVersion: null,
      access: 'unreachable',
      summary: `Cannot reach the cluster of "${base.context}": ${error.message}`,
      checks: [],
      error,
    };
  }
}

async function review(
  api: AuthorizationV1Api,
  probe: Probe,
  namespace: string | undefined,
): Promise<AccessCheck> {
  const result = await api.createSelfSubjectAccessReview({
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { ...probe, ...(namespace ? { namespace } : {}) } },
    },
  });
  return {
    ...probe,
    namespace: namespace ?? null,
    allowed: result.status?.allowed ?? false,
    reason: result.status?.reason ?? result.status?.evaluationError ?? null,
  };
}
