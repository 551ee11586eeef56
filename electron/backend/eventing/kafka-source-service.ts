// Creating and editing a KafkaSource: the form applied onto the live object, a broker check that connects as the
// source will (its brokers, SASL/TLS from its Secrets: the topics must exist, the credentials must be accepted),
// the server's dry run (webhooks included) with its diff against the live object, then the apply: new topics first,
// then the source; a failure after a topic was created deletes that topic again, so nothing is left half-done.
// The answers are the manage pipeline's (planResponse, deployEvent); diff, masking and field mapping are its helpers.
import type { Admin } from 'kafkajs';
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import type { DeployEvent } from '../../common/schemas/deploy';
import type {
  KafkaSourceForm,
  SourceChangeRequest,
  SourceFormResponse,
} from '../../common/schemas/kafka-source';
import type { PlanResponse } from '../../common/schemas/manage';
import type { ObjectRef } from '../../common/schemas/primitives';
import { unifiedDiff } from '../../common/line-diff';
import { resources } from '../../../knative/resources';
import type { ClusterService } from '../clusters/cluster-service';
import { FIELD_MANAGER, refOf, serverDefaultsDiff } from '../deploy/deploy-service';
import { EngineError, toEnvelope } from '../errors';
import { assertGeneration, comparable, fieldErrorsOf } from '../manage/manage-service';
import type { KubeObject } from '../workloads/kube-object';
import { editVersion } from '../workloads/kube-object';
import { readOrNotFound } from '../workloads/list-kind';
import { formToSource, sourceFieldOf, sourceToForm } from './kafka-source-form';
import { BrokerCheckError, topicRef, withSourceBrokers } from './source-brokers';

/** How often an edit reads again after the dispatcher's status writes moved the resourceVersion. */
const WRITE_ATTEMPTS = 5;

interface Prepared {
  source: KubeObject;
  live: KubeObject | undefined;
  newTopics: KafkaSourceForm['newTopics'];
}

export class KafkaSourceService {
  constructor(private readonly clusters: ClusterService) {}

  private objects(context: string): KubernetesObjectApi {
    return this.clusters.clientsFor(context).objects;
  }

  private read(context: string, namespace: string, name: string): Promise<KubeObject> {
    return readOrNotFound(this.objects(context), resources.kafkaSource, namespace, name, 'KafkaSource');
  }

  async form(context: string, namespace: string, name: string): Promise<SourceFormResponse> {
    const source = await this.read(context, namespace, name);
    return { ...sourceToForm(source), ...editVersion(source) };
  }

  private async prepare(request: SourceChangeRequest): Promise<Prepared> {
    const { form } = request;
    if (request.mode === 'create')
      return { source: formToSource(form), live: undefined, newTopics: form.newTopics };
    const live = await this.read(request.context, form.namespace, form.name);
    if (request.generation !== undefined) assertGeneration(live, request.generation);
    const source = formToSource(form, live);
    source.metadata = { ...source.metadata, resourceVersion: live.metadata?.resourceVersion };
    return { source, live, newTopics: form.newTopics };
  }

  /** The values of the Secret keys spec.net names, or why one is missing. */
  private withBrokers<T>(
    context: string,
    source: KubeObject,
    work: (admin: Admin) => Promise<T>,
  ): Promise<T> {
    return withSourceBrokers(this.objects(context), source, work);
  }

  /** Topics must exist on the brokers unless the form creates them; new ones must not exist yet. */
  private async checkBrokers(request: SourceChangeRequest, prepared: Prepared): Promise<void> {
    if (request.form.skipBrokerCheck) return;
    await this.withBrokers(request.context, prepared.source, async (admin) => {
      const existing = new Set(await admin.listTopics());
      const creating = new Set(prepared.newTopics.map((topic) => topic.name));
      const unknown = request.form.topics.filter((topic) => !existing.has(topic) && !creating.has(topic));
      if (unknown.length > 0) {
        throw new BrokerCheckError(
          'topics',
          `No topic ${unknown.map((topic) => `"${topic}"`).join(', ')} on the brokers. Pick an existing topic or add it as a new topic (with its partitions); the source never creates topics itself.`,
        );
      }
      const taken = prepared.newTopics.filter((topic) => existing.has(topic.name)).map((topic) => topic.name);
      if (taken.length > 0) {
        throw new BrokerCheckError(
          'newTopics',
          `Topic ${taken.join(', ')} already exists; pick it from the list instead.`,
        );
      }
    });
  }

  /**
   * Creates, or replaces with the resourceVersion just read. The dispatcher writes the source's status all the
   * time (each write moves the resourceVersion), so an edit's 409 while the generation the user saw still holds
   * is read again and the form applied onto the fresh object, a few times at most; a changed spec stays a 409.
   */
  private async write(
    request: SourceChangeRequest,
    prepared: Prepared,
    dryRun: boolean,
  ): Promise<KubeObject> {
    const api = this.objects(request.context);
    const mode = dryRun ? 'All' : undefined;
    if (!prepared.live) {
      return (await api.create(
        prepared.source as KubernetesObject,
        undefined,
        mode,
        FIELD_MANAGER,
      )) as KubeObject;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        return (await api.replace(
          prepared.source as KubernetesObject,
          undefined,
          mode,
          FIELD_MANAGER,
        )) as KubeObject;
      } catch (error) {
        if ((error as { code?: number }).code !== 409 || attempt >= WRITE_ATTEMPTS) throw error;
        Object.assign(prepared, await this.prepare(request));
      }
    }
  }

  private refusal(error: unknown, prefix: string, objects: PlanResponse['objects']): PlanResponse {
    const envelope = toEnvelope(error, 'eventing:planSource');
    return {
      objects,
      error: { ...envelope, message: `${prefix}${envelope.message}` },
      fieldErrors: fieldErrorsOf(envelope, sourceFieldOf),
    };
  }

  /** Preview: the broker check, new topics, the server's dry run of the source and its diff with the live one. */
  async plan(request: SourceChangeRequest): Promise<PlanResponse> {
    let prepared: Prepared;
    try {
      prepared = await this.prepare(request);
      await this.checkBrokers(request, prepared);
    } catch (error) {
      if (error instanceof EngineError && error.code !== 'internal' && error.code !== 'not-found') {
        return this.refusal(error, '', []);
      }
      throw error;
    }
    const objects: PlanResponse['objects'] = prepared.newTopics.map((topic) => ({
      ref: topicRef(topic.name),
      action: 'create',
      yaml: stringify({ topic: topic.name, partitions: topic.partitions }),
      diff: '',
      serverDefaults: '',
    }));
    let after: KubeObject;
    try {
      after = await this.write(request, prepared, true);
    } catch (error) {
      return this.refusal(error, `Dry run of KafkaSource ${request.form.name}: `, objects);
    }
    const before = prepared.live ? comparable(prepared.live as Record<string, unknown>) : '';
    const planned = comparable(after as Record<string, unknown>);
    objects.push({
      ref: refOf(prepared.source as never),
      action: !prepared.live ? 'create' : before === planned ? 'unchanged' : 'update',
      yaml: stringify(prepared.source),
      diff: prepared.live ? unifiedDiff(before, planned) : '',
      serverDefaults: prepared.live ? '' : serverDefaultsDiff(comparable(prepared.source as never), planned),
    });
    return { objects, error: null, fieldErrors: {} };
  }

  /** Checks again, dry-runs, creates the new topics, writes the source; emits progress and never throws. */
  async apply(
    request: SourceChangeRequest,
    emit: (event: DeployEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const done = (error: unknown) =>
      emit({ type: 'done', ok: false, error: toEnvelope(error, 'eventing:applySource') });
    let prepared: Prepared;
    try {
      prepared = await this.prepare(request);
      await this.checkBrokers(request, prepared);
    } catch (error) {
      done(error);
      return;
    }
    const sourceRef = refOf(prepared.source as never);
    const refs = [...prepared.newTopics.map((topic) => topicRef(topic.name)), sourceRef];
    emit({ type: 'plan', objects: refs });
    const step = (ref: ObjectRef, phase: 'dry-run' | 'applying') =>
      emit({ type: 'object', ref, phase, result: null, error: null });
    const failed = (ref: ObjectRef, error: unknown) => {
      const envelope = toEnvelope(error, 'eventing:applySource');
      emit({ type: 'object', ref, phase: 'failed', result: null, error: envelope });
      emit({
        type: 'done',
        ok: false,
        error: { ...envelope, message: `${ref.kind} ${ref.name}: ${envelope.message}` },
      });
    };
    step(sourceRef, 'dry-run');
    try {
      await this.write(request, prepared, true);
    } catch (error) {
      failed(sourceRef, error);
      return;
    }
    const created: string[] = [];
    const undoTopics = async () => {
      if (created.length === 0) return;
      await this.withBrokers(request.context, prepared.source, (admin) =>
        admin.deleteTopics({ topics: created }),
      ).catch(() => undefined);
    };
    for (const topic of prepared.newTopics) {
      if (signal.aborted) return;
      const ref = topicRef(topic.name);
      step(ref, 'applying');
      try {
        await this.withBrokers(request.context, prepared.source, (admin) =>
          admin.createTopics({
            topics: [{ topic: topic.name, numPartitions: topic.partitions }],
            waitForLeaders: true,
          }),
        );
        created.push(topic.name);
        emit({ type: 'object', ref, phase: 'applied', result: 'created', error: null });
      } catch (error) {
        await undoTopics();
        failed(ref, error);
        return;
      }
    }
    if (signal.aborted) {
      await undoTopics();
      return;
    }
    step(sourceRef, 'applying');
    try {
      await this.write(request, prepared, false);
      emit({
        type: 'object',
        ref: sourceRef,
        phase: 'applied',
        result: prepared.live ? 'configured' : 'created',
        error: null,
      });
      emit({ type: 'done', ok: true, error: null });
    } catch (error) {
      await undoTopics();
      failed(sourceRef, error);
    }
  }
}
