// Deploying templates: render, preview with secrets masked, diff against the cluster (server-side dry run), apply
// with server-side apply (field manager `knative-desk`) after a dry run of every object, undeploy in reverse.
// Failures keep the Kubernetes Status (403 Forbidden for the viewer, 409 conflicts, 422 with field causes).
import { AuthorizationV1Api, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObjectApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { DeployEvent } from '../../common/schemas/deploy';
import type { KubernetesObject } from '../../../workloads/templates/index';
import type { ClusterService } from '../clusters/cluster-service';
import { withTimeout } from '../clusters/with-timeout';
import { toEnvelope } from '../errors';
import { eachObject, refOf, serverBookkeeping } from './run-events';
import { unifiedDiff } from '../../common/line-diff';
import type { PlaygroundFacts } from '../../../workloads/templates/index';
import { profileDefaults, withProfileValues, type ProfilesInUse } from './profile-defaults';
import { connectionDefaults, renderTemplate } from './templates';
import { resources, sourcesApiVersion } from '../../../knative/resources';
import { topicRef, withSourceBrokers } from '../eventing/source-brokers';
import type { KubeObject } from '../workloads/kube-object';

export const FIELD_MANAGER = 'knative-desk';
/** The label every object the templates render carries; undeploy deletes only objects that have it. */
export const MANAGED_BY = { key: 'app.kubernetes.io/managed-by', value: 'knative-desk' } as const;
const NAMESPACE_CALL_TIMEOUT_MS = 10_000;
const MASK = '••••••';

export { refOf };

/** What a deploy's user can do when the brokers refuse the topic check (the objects are applied by then). */
const TOPIC_HINTS = {
  unreachable: 'Is Kafka running there, and reachable from this machine?',
  refused: 'Check the Kafka user and password.',
};

/** Each topic the KafkaSources among `objects` read, with the first source that reads it. */
function sourceTopics(objects: readonly KubernetesObject[]): { topic: string; source: KubernetesObject }[] {
  const topics = new Map<string, KubernetesObject>();
  for (const object of objects) {
    if (object.kind !== resources.kafkaSource.kind || object.apiVersion !== sourcesApiVersion) continue;
    const listed = (object.spec as { topics?: unknown } | undefined)?.topics;
    for (const topic of Array.isArray(listed) ? listed : []) {
      if (typeof topic === 'string' && !topics.has(topic)) topics.set(topic, object);
    }
  }
  return [...topics].map(([topic, source]) => ({ topic, source }));
}

/** Secret values replaced, for anything shown to the UI. */
export function masked(object: KubernetesObject): KubernetesObject {
  if (object.kind !== 'Secret') return object;
  const copy = structuredClone(object);
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field] as Record<string, string> | undefined;
    if (values) for (const key of Object.keys(values)) values[key] = MASK;
  }
  return copy;
}

/** What the server's dry run added to an object about to be created; '' when it added nothing. */
export function serverDefaultsDiff(sent: string, returned: string): string {
  return sent === returned ? '' : unifiedDiff(sent, returned);
}

/**
 * What is worth comparing: server-owned bookkeeping and status removed, secret values masked (`reveal` keeps them,
 * only to decide whether a Secret changes; that text is never shown).
 */
function comparable(object: Record<string, unknown> | undefined, reveal = false): string {
  if (!object) return '';
  const clone = structuredClone(object) as KubernetesObject;
  const copy = (reveal ? clone : masked(clone)) as unknown as Record<string, unknown>;
  const metadata = (copy.metadata ?? {}) as Record<string, unknown>;
  for (const key of serverBookkeeping) delete metadata[key];
  delete copy.status;
  return stringify(copy, { sortMapEntries: true });
}

export interface DeployTarget {
  context: string;
  templateId: string;
  namespace: string;
  parameters: Record<string, string | number | boolean>;
  /** Kafka / FC profiles in use (ids); their values are the defaults, their secrets go into Secrets. */
  profiles?: ProfileIds | undefined;
}

export interface ProfileIds {
  kafka?: string | undefined;
  fc?: string | undefined;
}

export class DeployService {
  constructor(
    private readonly clusters: ClusterService,
    /** The playground's facts when the context belongs to the running playground (then it is the render target). */
    private readonly playgroundFactsFor: (context: string | undefined) => (() => PlaygroundFacts) | undefined,
    /** Resolves profile ids to their values with the stored secrets (not-found / precondition errors as is). */
    private readonly profilesFor: (ids: ProfileIds) => Promise<ProfilesInUse> = async () => ({}),
  ) {}

  /**
   * Parameter defaults for this context and namespace (see connectionDefaults), then the profiles' non-secret
   * values over them; `secretSources` names the profile each secret default comes from (values never leave).
   */
  async defaultsFor(context: string | undefined, namespace: string, profiles?: ProfileIds) {
    const fromProfiles = profileDefaults(await this.profilesFor(profiles ?? {}));
    return {
      defaults: {
        ...connectionDefaults(namespace, context, this.playgroundFactsFor(context)),
        ...fromProfiles.shown,
      },
      secretSources: fromProfiles.secretSources,
    };
  }

  /** The template's objects with the profiles' values (secrets included) under the user's parameters. */
  private async objectsFor(
    target: Omit<DeployTarget, 'context'> & { context?: string | undefined },
  ): Promise<KubernetesObject[]> {
    const fromProfiles = profileDefaults(await this.profilesFor(target.profiles ?? {}));
    return renderTemplate(
      target.templateId,
      target.namespace,
      withProfileValues(target.parameters, fromProfiles),
      this.playgroundFactsFor(target.context),
    );
  }

  async render(
    templateId: string,
    namespace: string,
    parameters: DeployTarget['parameters'],
    context?: string,
    profiles?: ProfileIds,
  ) {
    const objects = await this.objectsFor({ templateId, namespace, parameters, context, profiles });
    const shown = objects.map(masked);
    return {
      objects: shown.map((object) => ({ ref: refOf(object), yaml: stringify(object) })),
      yaml: shown.map((object) => stringify(object)).join('---\n'),
    };
  }

  /** Whether the namespace exists (null: may not tell) and whether this context may create it. */
  async namespaceStatus(
    context: string,
    namespace: string,
  ): Promise<{ exists: boolean | null; canCreate: boolean }> {
    const { core, config } = this.clusters.clientsFor(context);
    const exists = await withTimeout(
      core.readNamespace({ name: namespace }).then(
        () => true,
        (error: unknown) => {
          const code = (error as { code?: number }).code;
          if (code === 404) return false;
          if (code === 403) return null;
          throw error;
        },
      ),
      NAMESPACE_CALL_TIMEOUT_MS,
      'Reading the namespace',
    );
    if (exists !== false) return { exists, canCreate: false };
    const review = await withTimeout(
      config.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { verb: 'create', resource: 'namespaces', group: '' } },
        },
      }),
      NAMESPACE_CALL_TIMEOUT_MS,
      'The access review',
    );
    return { exists, canCreate: review.status?.allowed === true };
  }

  /** Creates the namespace, labelled as the console's; 403/409 come back as the API server said them. */
  async createNamespace(context: string, namespace: string): Promise<void> {
    const { core } = this.clusters.clientsFor(context);
    await withTimeout(
      core.createNamespace({
        body: { metadata: { name: namespace, labels: { 'app.kubernetes.io/managed-by': FIELD_MANAGER } } },
      }),
      NAMESPACE_CALL_TIMEOUT_MS,
      'Creating the namespace',
    );
  }

  private api(context: string): KubernetesObjectApi {
    return this.clusters.clientsFor(context).objects;
  }

  private async live(
    api: KubernetesObjectApi,
    object: KubernetesObject,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return (await api.read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: { name: object.metadata.name, namespace: object.metadata.namespace ?? '' },
      })) as unknown as Record<string, unknown>;
    } catch (error) {
      if ((error as { code?: number }).code === 404) return undefined;
      throw error;
    }
  }

  private apply(api: KubernetesObjectApi, object: KubernetesObject, dryRun: boolean) {
    // force=false: a field owned by another manager comes back as 409 Conflict naming it, instead of being taken.
    return api.patch(
      object,
      undefined,
      dryRun ? 'All' : undefined,
      FIELD_MANAGER,
      false,
      PatchStrategy.ServerSideApply,
    ) as Promise<unknown> as Promise<Record<string, unknown>>;
  }

  async diff(target: DeployTarget) {
    const objects = await this.objectsFor(target);
    const api = this.api(target.context);
    const out = [];
    for (const object of objects) {
      const live = await this.live(api, object);
      const after = await this.apply(api, object, true);
      const before = comparable(live);
      const planned = comparable(after);
      // A Secret whose values change is an update although its masked text is the same.
      const changed = comparable(live, true) !== comparable(after, true);
      out.push({
        ref: refOf(object),
        action: !live ? ('create' as const) : changed ? ('update' as const) : ('unchanged' as const),
        diff: live ? unifiedDiff(before, planned) : '',
        serverDefaults: live ? '' : serverDefaultsDiff(comparable(object as never), planned),
      });
    }
    return { objects: out };
  }

  /** The template's objects for a run, or undefined after ending the run with the render error. */
  private async objectsForRun(
    target: DeployTarget,
    emit: (event: DeployEvent) => void,
    operation: string,
  ): Promise<KubernetesObject[] | undefined> {
    try {
      return await this.objectsFor(target);
    } catch (error) {
      emit({ type: 'done', ok: false, error: toEnvelope(error, operation) });
      return undefined;
    }
  }

  /** Dry run of every object first; only when all pass, each is applied in order. Emits progress; never throws. */
  async deploy(target: DeployTarget, emit: (event: DeployEvent) => void, signal: AbortSignal): Promise<void> {
    const operation = 'deploy:apply';
    const objects = await this.objectsForRun(target, emit, operation);
    if (!objects) return;
    const api = this.api(target.context);
    const topics = sourceTopics(objects);
    emit({ type: 'plan', objects: [...objects.map(refOf), ...topics.map(({ topic }) => topicRef(topic))] });
    const dryRun = (object: KubernetesObject) => this.apply(api, object, true).then(() => {});
    if (!(await eachObject(objects, 'dry-run', emit, signal, dryRun, { operation, stage: 'Dry run of ' })))
      return;
    const applied = await eachObject(
      objects,
      'applying',
      emit,
      signal,
      async (object, ref) => {
        const before = await this.live(api, object);
        const after = await this.apply(api, object, false);
        const beforeVersion = (before?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        const afterVersion = (after.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
        const result = !before ? 'created' : beforeVersion === afterVersion ? 'unchanged' : 'configured';
        emit({ type: 'object', ref, phase: 'applied', result, error: null });
      },
      { operation },
    );
    if (!applied) return;
    for (const { topic, source } of topics) {
      if (signal.aborted) return;
      await this.ensureTopic(api, source, topic, emit);
    }
    emit({ type: 'done', ok: true, error: null });
  }

  /**
   * Creates a KafkaSource's topic when the brokers lack it (the source itself never creates topics, and a first
   * run's source would otherwise wait, not Ready, until HomePage's first barrage auto-creates it). Reached as the
   * source's dispatcher would reach them. The objects are applied by then, so brokers the console cannot reach
   * (a VPC-only Kafka) or may not write to skip this step with the reason; they never fail the deploy.
   */
  private async ensureTopic(
    api: KubernetesObjectApi,
    source: KubernetesObject,
    topic: string,
    emit: (event: DeployEvent) => void,
  ): Promise<void> {
    const ref = topicRef(topic);
    emit({ type: 'object', ref, phase: 'applying', result: null, error: null });
    try {
      const result = await withSourceBrokers(
        api,
        source as KubeObject,
        async (admin) => {
          if ((await admin.listTopics()).includes(topic)) return 'unchanged';
          // Partitions and replicas at the brokers' defaults, as the auto-creation it stands in for.
          const created = await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
          return created ? 'created' : 'unchanged';
        },
        TOPIC_HINTS,
      );
      emit({ type: 'object', ref, phase: 'applied', result, error: null });
    } catch (error) {
      const envelope = toEnvelope(error, 'deploy:apply');
      const message =
        `Topic ${topic} was not created: ${envelope.message} KafkaSource ${source.metadata.name} is deployed ` +
        'and turns Ready once the topic exists: create it on the Eventing screen, or let the first barrage create ' +
        'it where the brokers allow automatic topic creation.';
      emit({ type: 'object', ref, phase: 'skipped', result: null, error: { ...envelope, message } });
    }
  }

  /**
   * Deletes the template's objects in reverse apply order; objects already gone count as done. Only objects the
   * console manages (labelled app.kubernetes.io/managed-by=knative-desk) are deleted, each with a uid precondition
   * so a same-named object made meanwhile is not hit; the others are reported as skipped, and the run says so.
   */
  async undeploy(
    target: DeployTarget,
    emit: (event: DeployEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const objects = await this.objectsForRun(target, emit, 'deploy:undeploy');
    if (!objects) return;
    const api = this.api(target.context);
    const reversed = [...objects].reverse();
    emit({ type: 'plan', objects: reversed.map(refOf) });
    const deleted = await eachObject(
      reversed,
      'deleting',
      emit,
      signal,
      async (object, ref) => {
        const absent = () => emit({ type: 'object', ref, phase: 'absent', result: null, error: null });
        try {
          const live = await this.live(api, object);
          if (!live) return absent();
          const metadata = (live.metadata ?? {}) as { labels?: Record<string, string>; uid?: string };
          if (metadata.labels?.[MANAGED_BY.key] !== MANAGED_BY.value) {
            emit({ type: 'object', ref, phase: 'skipped', result: 'not-managed', error: null });
            return;
          }
          await api.delete(object, undefined, undefined, undefined, undefined, 'Background', {
            preconditions: { uid: metadata.uid },
          });
          emit({ type: 'object', ref, phase: 'deleted', result: null, error: null });
        } catch (error) {
          if ((error as { code?: number }).code === 404) return absent();
          throw error;
        }
      },
      { operation: 'deploy:undeploy' },
    );
    if (deleted) emit({ type: 'done', ok: true, error: null });
  }
}
