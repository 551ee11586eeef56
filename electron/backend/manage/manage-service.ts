// Managing one Knative Service against the Kubernetes API, as on any cluster: reads through list/get, writes with
// a server-side dry run first and the resourceVersion the user saw (a newer object answers 409, nothing is
// overwritten), logs through the pod log subresource, Events from core/v1, permissions by SelfSubjectAccessReview,
// Knative's presence by API discovery. Pure parts (form, traffic, explanations, export) live beside this file.
import { ApisApi, AuthorizationV1Api, PatchStrategy } from '@kubernetes/client-node';
import type { KubernetesObject, KubernetesObjectApi } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import type { z } from 'zod';
import { LATEST } from '../../common/schemas/manage';
import type {
  AccessResponse,
  ChangeRequest,
  Finding,
  LogLine,
  LogsEvent,
  ManageAction,
  PlanResponse,
  RevisionRow,
  RevisionsResponse,
  ServiceForm,
  TimelineEvent,
  TrafficRow,
  WhyResponse,
  logsParams,
} from '../../common/schemas/manage';
import type { DeployEvent } from '../../common/schemas/deploy';
import type { ClusterService } from '../clusters/cluster-service';
import { FIELD_MANAGER, masked, refOf, serverDefaultsDiff } from '../deploy/deploy-service';
import { emitObjectFailure, serverBookkeeping } from '../deploy/run-events';
import { unifiedDiff } from '../../common/line-diff';
import { EngineError, isKubeNotFound, toEnvelope } from '../errors';
import { webhookDenialOf } from '../webhook-denial';
import type { KubeObject } from '../workloads/kube-object';
import { listKindOrNone, readOrNotFound } from '../workloads/list-kind';
import {
  arrayOf,
  conditionOf,
  conditionStatus,
  editVersion,
  intOrNull,
  isoOf,
  recordOf,
  stringOrNull,
} from '../workloads/kube-object';
import { resources, servingApiVersion, servingGroup } from '../../../knative/resources';
import { trafficOf } from '../workloads/rows';
import { coldStartMethod, coldStartsOf } from './cold-start';
import { exportYaml, generationOf, parseImport, templateOfRevision } from './export-import';
import { labels } from '../../../knative/keys';
import { readPodLog, splitTimestamp } from './pod-logs';
import { withServerSetAnnotations } from './server-set-annotations';
import { formFieldOf, formToService, secretsOf, serviceToForm } from './service-form';
import {
  TrafficError,
  rollForwardSpec,
  rollbackSpec,
  routedRevisions,
  rowsToSpec,
  trafficProblems,
} from './traffic-plan';
import type { SpecTarget } from './traffic-plan';
import { conditionFindings, failingContainer, podFindings, summaryOf, tidyFindings } from './why-not-ready';

type LogsParams = z.output<typeof logsParams>;

const isServerConflict = (error: unknown) => (error as { code?: number }).code === 409;
/** How often a guarded write reads again after the controller's own writes moved the resourceVersion. */
const GUARDED_WRITE_ATTEMPTS = 5;

/** An object as compared in diffs: masked, without server-written metadata and status. */
export function comparable(object: Record<string, unknown> | undefined): string {
  if (!object) return '';
  const copy = masked(structuredClone(object) as never) as unknown as KubeObject;
  const metadata = copy.metadata ?? {};
  for (const key of serverBookkeeping) delete (metadata as Record<string, unknown>)[key];
  delete copy.status;
  return stringify(copy, { sortMapEntries: true });
}

/** Actions → the SelfSubjectAccessReviews that must all allow them. */
const accessProbes: Record<
  ManageAction,
  { verb: string; group: string; resource: string; subresource?: string }[]
> = {
  create: [{ verb: 'create', group: servingGroup, resource: 'services' }],
  edit: [{ verb: 'update', group: servingGroup, resource: 'services' }],
  traffic: [{ verb: 'patch', group: servingGroup, resource: 'services' }],
  deleteRevisions: [{ verb: 'delete', group: servingGroup, resource: 'revisions' }],
  logs: [{ verb: 'get', group: '', resource: 'pods', subresource: 'log' }],
  events: [{ verb: 'list', group: '', resource: 'events' }],
  readSecrets: [{ verb: 'list', group: '', resource: 'secrets' }],
  createSecrets: [{ verb: 'create', group: '', resource: 'secrets' }],
};

export class ManageService {
  constructor(
    private readonly clusters: ClusterService,
    /** The gateway address for a context's Service URLs (which carry no port), when known (net/gateway-resolver.ts). */
    readonly gatewayFor: (context: string) => Promise<string | null> = async () => null,
  ) {}

  private objects(context: string): KubernetesObjectApi {
    return this.clusters.clientsFor(context).objects;
  }

  private service(context: string, namespace: string, name: string): Promise<KubeObject> {
    return readOrNotFound(this.objects(context), resources.service, namespace, name, 'Knative Service');
  }

  private list(
    context: string,
    apiVersion: string,
    kind: string,
    namespace: string,
    labelSelector?: string,
  ): Promise<KubeObject[]> {
    return listKindOrNone(this.objects(context), apiVersion, kind, namespace, labelSelector);
  }

  private revisionsOf(context: string, namespace: string, name: string) {
    return this.list(context, servingApiVersion, 'Revision', namespace, `${labels.service}=${name}`);
  }

  private podsOf(context: string, namespace: string, selector: string) {
    return this.list(context, 'v1', 'Pod', namespace, selector);
  }

  // ——— Revisions and traffic ———

  async revisions(context: string, namespace: string, name: string): Promise<RevisionsResponse> {
    const [service, revisions] = await Promise.all([
      this.service(context, namespace, name),
      this.revisionsOf(context, namespace, name),
    ]);
    return revisionsView(service, revisions);
  }

  /**
   * Writes spec.traffic. With `expectedGeneration`, a Service whose spec changed since (another writer) is refused
   * with 409; the patch then carries the resourceVersion just read, so a write racing this very call is refused by
   * the server too. Status updates in between (the controller's) are not conflicts.
   */
  private async patchTraffic(
    context: string,
    namespace: string,
    name: string,
    traffic: SpecTarget[],
    expectedGeneration: number | undefined,
  ) {
    const api = this.objects(context);
    // The controller writes the Service's status all the time, and each write moves its resourceVersion: a 409 from
    // the server while the generation the user saw still holds is such a write, not another user's change, so the
    // Service is read again and the patch retried (the generation guard runs again on every attempt).
    for (let attempt = 1; ; attempt++) {
      let resourceVersion: string | undefined;
      if (expectedGeneration !== undefined) {
        const live = await this.service(context, namespace, name);
        assertGeneration(live, expectedGeneration);
        resourceVersion = live.metadata?.resourceVersion;
      }
      const body = {
        apiVersion: servingApiVersion,
        kind: 'Service',
        metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
        spec: { traffic },
      };
      const send = (dryRun: boolean) =>
        api.patch(
          body,
          undefined,
          dryRun ? 'All' : undefined,
          FIELD_MANAGER,
          undefined,
          PatchStrategy.MergePatch,
        );
      try {
        await send(true);
        const after = (await send(false)) as KubeObject;
        return {
          specTraffic: trafficOf(after.spec?.traffic),
          resourceVersion: after.metadata?.resourceVersion ?? '',
        };
      } catch (error) {
        if (
          expectedGeneration === undefined ||
          !isServerConflict(error) ||
          attempt >= GUARDED_WRITE_ATTEMPTS
        ) {
          throw error;
        }
      }
    }
  }

  async setTraffic(
    context: string,
    namespace: string,
    name: string,
    rows: TrafficRow[],
    generation?: number,
  ) {
    const revisions = await this.revisionsOf(context, namespace, name);
    const problems = trafficProblems(
      rows,
      name,
      revisions.map((r) => r.metadata?.name ?? ''),
    );
    if (problems.length > 0) {
      const error = new TrafficError(problems.map((p) => p.message).join(' '), problems);
      throw new EngineError('invalid-request', `Traffic not changed: ${error.message}`, {
        causes: error.causes,
        kind: 'Service',
        name,
        namespace,
      });
    }
    return this.patchTraffic(context, namespace, name, rowsToSpec(rows), generation);
  }

  async rollback(context: string, namespace: string, name: string, revision: string, generation?: number) {
    const [service, revisions] = await Promise.all([
      this.service(context, namespace, name),
      this.revisionsOf(context, namespace, name),
    ]);
    const target = revisions.find((r) => r.metadata?.name === revision);
    if (!target) throw new EngineError('not-found', `No revision "${revision}" of ${name}.`);
    if (conditionStatus(conditionOf(target)) === 'False') {
      throw new EngineError(
        'precondition',
        `Revision ${revision} is not Ready (${conditionOf(target)?.reason ?? 'failed'}); rolling back to it would leave no working revision.`,
      );
    }
    return this.patchTraffic(
      context,
      namespace,
      name,
      rollbackSpec(trafficOf(service.spec?.traffic), revision),
      generation,
    );
  }

  /** Writes spec.traffic as given (the rollout's steps and reverts). */
  setSpecTraffic(context: string, namespace: string, name: string, traffic: SpecTarget[]) {
    return this.patchTraffic(context, namespace, name, traffic, undefined);
  }

  /** Waits until the Service reports `percent` to `revision` in effect (status.traffic), up to 2 minutes. */
  async waitForTraffic(
    context: string,
    namespace: string,
    name: string,
    revision: string,
    percent: number,
    signal: AbortSignal,
  ): Promise<void> {
    const deadline = Date.now() + 120_000;
    while (!signal.aborted) {
      const service = await this.service(context, namespace, name);
      const inEffect = trafficOf(service.status?.traffic)
        .filter((t) => t.revisionName === revision)
        .reduce((sum, t) => sum + t.percent, 0);
      const current =
        intOrNull(service.status?.observedGeneration) === intOrNull(service.metadata?.generation);
      if (current && inEffect === percent) return;
      if (Date.now() > deadline) {
        throw new EngineError(
          'timeout',
          `The Service did not put ${percent} % on ${revision} within 2 minutes (${inEffect} % in effect).`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  async rollForward(context: string, namespace: string, name: string, generation?: number) {
    const service = await this.service(context, namespace, name);
    return this.patchTraffic(
      context,
      namespace,
      name,
      rollForwardSpec(trafficOf(service.spec?.traffic)),
      generation,
    );
  }

  /** Deletes revisions no traffic target names and that are not the latest; the rest is refused with why. */
  async deleteRevisions(
    context: string,
    namespace: string,
    name: string,
    names: string[],
    confirm: string[],
  ) {
    if ([...names].sort().join(',') !== [...confirm].sort().join(',')) {
      throw new EngineError(
        'invalid-request',
        'The confirmation does not name the same revisions; nothing was deleted.',
        { causes: [{ field: 'confirm', message: 'must list exactly the revisions to delete' }] },
      );
    }
    const view = await this.revisions(context, namespace, name);
    const deleted: string[] = [];
    const refused: { name: string; reason: string }[] = [];
    for (const revisionName of names) {
      const row = view.revisions.find((r) => r.name === revisionName);
      if (!row) refused.push({ name: revisionName, reason: 'no such revision of this Service' });
      else if (row.routed)
        refused.push({ name: revisionName, reason: 'traffic is routed to it (or a tag names it)' });
      else if (row.latestCreated || row.latestReady)
        refused.push({ name: revisionName, reason: 'it is the latest revision (@latest would follow it)' });
    }
    if (refused.length > 0) {
      return { deleted, refused };
    }
    for (const revisionName of names) {
      try {
        await this.objects(context).delete(
          { apiVersion: servingApiVersion, kind: 'Revision', metadata: { name: revisionName, namespace } },
          undefined,
          undefined,
          undefined,
          undefined,
          'Background',
        );
        deleted.push(revisionName);
      } catch (error) {
        if (isKubeNotFound(error)) deleted.push(revisionName);
        else throw error;
      }
    }
    return { deleted, refused };
  }

  async compare(context: string, namespace: string, name: string, left: string, right: string) {
    const revisions = await this.revisionsOf(context, namespace, name);
    const side = (revisionName: string) => {
      const revision = revisions.find((r) => r.metadata?.name === revisionName);
      if (!revision) throw new EngineError('not-found', `No revision "${revisionName}" of ${name}.`);
      const template = templateOfRevision(revision);
      delete (template.metadata as Record<string, unknown>).name;
      return { name: revisionName, yaml: stringify(template, { sortMapEntries: true }) };
    };
    const a = side(left);
    const b = side(right);
    return { left: a, right: b, diff: a.yaml === b.yaml ? '' : unifiedDiff(a.yaml, b.yaml) };
  }

  // ——— Create and edit ———

  async form(context: string, namespace: string, name: string) {
    const service = await this.service(context, namespace, name);
    return {
      ...serviceToForm(service),
      ...editVersion(service),
      yaml: stringify(withoutServerFields(service)),
    };
  }

  async secrets(context: string, namespace: string) {
    const list = await this.list(context, 'v1', 'Secret', namespace);
    return {
      secrets: list
        .filter((secret) => (secret as { type?: string }).type !== 'kubernetes.io/service-account-token')
        .map((secret) => ({
          name: secret.metadata?.name ?? '',
          keys: Object.keys(recordOf((secret as { data?: unknown }).data)).sort(),
        })),
    };
  }

  /** The objects a change writes, in order: new Secrets, then the Service (edits applied onto the live one). */
  private async objectsOf(
    request: ChangeRequest,
  ): Promise<{ objects: KubeObject[]; live: KubeObject | undefined; yamlGeneration?: number }> {
    if (request.yaml !== undefined) {
      if (request.mode === 'create') {
        throw new EngineError('invalid-request', 'YAML is for editing a Service; create one with the form.');
      }
      const parsed = parseServiceYaml(request.yaml);
      const live = await this.service(request.context, parsed.metadata!.namespace!, parsed.metadata!.name!);
      const object = withServerSetAnnotations(parsed, live);
      if (!object.metadata?.resourceVersion) {
        // YAML without a resourceVersion of its own (a pasted export) is applied onto the Service as just read, and
        // guarded by its generation like a form edit (see writeGuarded).
        object.metadata = { ...object.metadata, resourceVersion: live.metadata?.resourceVersion };
        return { objects: [object], live, yamlGeneration: intOrNull(live.metadata?.generation) ?? undefined };
      }
      return { objects: [object], live };
    }
    const form = request.form;
    if (!form) throw new EngineError('invalid-request', 'Send the form or the YAML.');
    const secrets = secretsOf(form);
    if (request.mode === 'create') return { objects: [...secrets, formToService(form)], live: undefined };
    const live = await this.service(request.context, form.namespace, form.name);
    if (request.generation !== undefined) assertGeneration(live, request.generation);
    const service = formToService(form, live);
    service.metadata = {
      ...service.metadata,
      resourceVersion: request.resourceVersion ?? live.metadata?.resourceVersion,
    };
    return { objects: [...secrets, service], live };
  }

  /**
   * A form edit guarded by the generation the user saw: the Service is replaced with the resourceVersion just read,
   * and a 409 from the server while that generation still holds is the controller's status write in between (each
   * moves the resourceVersion), not another user's change. Then the Service is read again, the guard checked again
   * and the form applied onto the fresh object (so metadata others wrote meanwhile is kept), a few times at most.
   * YAML without a resourceVersion of its own is guarded the same way by the generation it was applied onto
   * (`yamlGeneration`). Anything else (YAML with its own resourceVersion, as `kubectl edit` sends, and creates) is
   * written once.
   */
  private async writeGuarded(
    request: ChangeRequest,
    object: KubeObject,
    dryRun: boolean,
    yamlGeneration?: number,
  ): Promise<KubeObject> {
    let current = object;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.write(request.context, current, dryRun);
      } catch (error) {
        const form = request.form;
        const guarded =
          current.kind === 'Service' &&
          request.mode === 'edit' &&
          request.yaml === undefined &&
          request.resourceVersion === undefined &&
          request.generation !== undefined &&
          form !== undefined;
        const yamlGuarded =
          current.kind === 'Service' &&
          request.mode === 'edit' &&
          request.yaml !== undefined &&
          yamlGeneration !== undefined;
        if (!(guarded || yamlGuarded) || !isServerConflict(error) || attempt >= GUARDED_WRITE_ATTEMPTS)
          throw error;
        const { namespace, name } = { namespace: '', name: '', ...current.metadata };
        const live = await this.service(request.context, namespace, name);
        assertGeneration(live, guarded ? request.generation! : yamlGeneration!);
        current = guarded
          ? formToService(form!, live)
          : withServerSetAnnotations(parseServiceYaml(request.yaml!), live);
        current.metadata = { ...current.metadata, resourceVersion: live.metadata?.resourceVersion };
      }
    }
  }

  private write(context: string, object: KubeObject, dryRun: boolean): Promise<KubeObject> {
    const api = this.objects(context);
    const body = object as KubernetesObject;
    const mode = dryRun ? 'All' : undefined;
    // A Service that exists is replaced (PUT with the resourceVersion the user saw: a newer one answers 409);
    // everything else is created (an existing name answers 409 AlreadyExists instead of being taken over).
    return (
      object.kind === 'Service' && object.metadata?.resourceVersion
        ? api.replace(body, undefined, mode, FIELD_MANAGER)
        : api.create(body, undefined, mode, FIELD_MANAGER)
    ) as Promise<KubeObject>;
  }

  /** Preview, diff and the server's dry run (webhooks included), with errors mapped to form fields. */
  async plan(request: ChangeRequest): Promise<PlanResponse> {
    let prepared: Awaited<ReturnType<ManageService['objectsOf']>>;
    try {
      prepared = await this.objectsOf(request);
    } catch (error) {
      // A conflict or invalid YAML is an answer about this change, shown where the preview would be.
      if (error instanceof EngineError && (error.code === 'conflict' || error.code === 'invalid-request')) {
        const envelope = toEnvelope(error, 'manage:plan');
        return { objects: [], error: envelope, fieldErrors: {} };
      }
      throw error;
    }
    const { objects, live, yamlGeneration } = prepared;
    const out: PlanResponse['objects'] = [];
    for (const object of objects) {
      const shown = masked(object as never) as unknown as KubeObject;
      const isService = object.kind === 'Service';
      let after: KubeObject;
      try {
        after = await this.writeGuarded(request, object, true, yamlGeneration);
      } catch (error) {
        const envelope = toEnvelope(error, 'manage:plan');
        return {
          objects: out,
          error: {
            ...envelope,
            message: `Dry run of ${object.kind} ${object.metadata?.name ?? ''}: ${envelope.message}`,
          },
          fieldErrors: fieldErrorsOf(envelope),
        };
      }
      const before = isService && live ? comparable(live as Record<string, unknown>) : '';
      const planned = comparable(after as Record<string, unknown>);
      out.push({
        ref: refOf(object as never),
        action: !(isService && live) ? 'create' : before === planned ? 'unchanged' : 'update',
        yaml: stringify(shown),
        diff: isService && live ? unifiedDiff(before, planned) : '',
        serverDefaults: isService && live ? '' : serverDefaultsDiff(comparable(object as never), planned),
      });
    }
    return { objects: out, error: null, fieldErrors: {} };
  }

  /**
   * Dry run of every object, then each is written in order. A failure after a Secret was created deletes the
   * Secrets this run created, so nothing is left half-applied. Emits progress; never throws.
   */
  async apply(
    request: ChangeRequest,
    emit: (event: DeployEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let objects: KubeObject[];
    let yamlGeneration: number | undefined;
    try {
      ({ objects, yamlGeneration } = await this.objectsOf(request));
    } catch (error) {
      emit({ type: 'done', ok: false, error: toEnvelope(error, 'manage:apply') });
      return;
    }
    const refs = objects.map((object) => refOf(object as never));
    emit({ type: 'plan', objects: refs });
    const fail = (index: number, error: unknown, stage = '') =>
      emitObjectFailure(emit, refs[index]!, error, 'manage:apply', stage);
    for (const [index, object] of objects.entries()) {
      if (signal.aborted) return;
      emit({ type: 'object', ref: refs[index]!, phase: 'dry-run', result: null, error: null });
      try {
        await this.writeGuarded(request, object, true, yamlGeneration);
      } catch (error) {
        fail(index, error, 'Dry run of ');
        return;
      }
    }
    const created: KubeObject[] = [];
    for (const [index, object] of objects.entries()) {
      if (signal.aborted) break;
      emit({ type: 'object', ref: refs[index]!, phase: 'applying', result: null, error: null });
      try {
        const updating = object.kind === 'Service' && Boolean(object.metadata?.resourceVersion);
        await this.writeGuarded(request, object, false, yamlGeneration);
        if (!updating) created.push(object);
        emit({
          type: 'object',
          ref: refs[index]!,
          phase: 'applied',
          result: updating ? 'configured' : 'created',
          error: null,
        });
      } catch (error) {
        await this.undo(request.context, created);
        fail(index, error);
        return;
      }
    }
    emit({ type: 'done', ok: true, error: null });
  }

  private async undo(context: string, created: readonly KubeObject[]): Promise<void> {
    for (const object of [...created].reverse()) {
      await this.objects(context)
        .delete(object as KubernetesObject)
        .catch(() => undefined);
    }
  }

  async export(context: string, namespace: string, name: string, withRevisions: boolean) {
    const [service, revisions] = await Promise.all([
      this.service(context, namespace, name),
      this.revisionsOf(context, namespace, name),
    ]);
    const status = trafficOf(service.status?.traffic);
    const spec = trafficOf(service.spec?.traffic);
    const latestReady = stringOrNull(service.status?.latestReadyRevisionName);
    const routed = routedRevisions([...spec, ...status], latestReady);
    // The latest revision is what the Service's template describes; replay ends with it.
    const latest = stringOrNull(service.status?.latestCreatedRevisionName);
    if (latest) routed.add(latest);
    return exportYaml(service, revisions, routed, withRevisions);
  }

  /**
   * Import (kn service import): the Services of an export applied in order with server-side apply; after each that
   * names its revision, wait until Knative created it, so the next one (and the traffic of the last) can refer to it.
   */
  async import(
    context: string,
    namespace: string,
    yaml: string,
    emit: (event: DeployEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    let objects: KubeObject[];
    try {
      objects = parseImport(yaml, namespace);
    } catch (error) {
      emit({ type: 'done', ok: false, error: toEnvelope(error, 'manage:import') });
      return;
    }
    const name = objects[0]!.metadata!.name!;
    const refs = objects.map((object, index) => {
      const revision = stringOrNull(recordOf(recordOf(object.spec?.template).metadata).name);
      return {
        apiVersion: servingApiVersion,
        kind: revision ? 'Revision' : 'Service',
        namespace,
        name: revision ?? `${name} (${index + 1})`,
      };
    });
    emit({ type: 'plan', objects: refs });
    const api = this.objects(context);
    try {
      await api.read({ apiVersion: servingApiVersion, kind: 'Service', metadata: { name, namespace } });
      emit({
        type: 'done',
        ok: false,
        error: toEnvelope(
          new EngineError(
            'conflict',
            `Service "${name}" already exists in ${namespace}; import makes a new one.`,
            {
              kind: 'Service',
              name,
              namespace,
              reason: 'AlreadyExists',
            },
          ),
        ),
      });
      return;
    } catch (error) {
      if (!isKubeNotFound(error)) {
        emit({ type: 'done', ok: false, error: toEnvelope(error, 'manage:import') });
        return;
      }
    }
    for (const [index, object] of objects.entries()) {
      if (signal.aborted) return;
      const ref = refs[index]!;
      emit({ type: 'object', ref, phase: 'applying', result: null, error: null });
      try {
        await api.patch(
          object as KubernetesObject,
          undefined,
          undefined,
          FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
        if (ref.kind === 'Revision') await this.waitForRevision(context, namespace, name, ref.name, signal);
        emit({
          type: 'object',
          ref,
          phase: 'applied',
          result: index === 0 ? 'created' : 'configured',
          error: null,
        });
      } catch (error) {
        emitObjectFailure(emit, ref, error, 'manage:import');
        return;
      }
    }
    emit({ type: 'done', ok: true, error: null });
  }

  private async waitForRevision(
    context: string,
    namespace: string,
    name: string,
    revision: string,
    signal: AbortSignal,
  ) {
    const deadline = Date.now() + 120_000;
    while (!signal.aborted) {
      const service = await this.service(context, namespace, name);
      if (service.status?.latestCreatedRevisionName === revision) return;
      const ready = conditionOf(service, 'ConfigurationsReady');
      if (
        ready?.status === 'False' &&
        /RevisionFailed|not owned|RevisionNotOwned/i.test(`${ready.reason} ${ready.message}`)
      ) {
        throw new EngineError(
          'remote',
          `Revision ${revision} was not created: ${ready.message ?? ready.reason}`,
        );
      }
      if (Date.now() > deadline) {
        throw new EngineError('timeout', `Knative did not create revision ${revision} within 2 minutes.`);
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  // ——— Logs, events, why-not-ready, cold starts ———

  /** Follows (or reads) the logs of the chosen pods and containers, each line tagged with its pod and container. */
  logs(params: LogsParams, emit: (event: LogsEvent) => void, signal: AbortSignal): Promise<void> {
    return new LogFollower(this.clusters, this, params, emit, signal).run();
  }

  async podsFor(
    context: string,
    namespace: string,
    service: string,
    revision?: string,
  ): Promise<KubeObject[]> {
    const selector = revision ? `${labels.revision}=${revision}` : `${labels.service}=${service}`;
    return this.podsOf(context, namespace, selector);
  }

  async isFc(context: string, namespace: string, name: string): Promise<boolean> {
    const service = await this.service(context, namespace, name);
    return serviceToForm(service).form.workloadClass === 'fc';
  }

  async events(context: string, namespace: string, name: string): Promise<TimelineEvent[]> {
    const [revisions, pods] = await Promise.all([
      this.revisionsOf(context, namespace, name),
      this.podsFor(context, namespace, name),
    ]);
    const names = new Set<string>([name]);
    for (const object of [...revisions, ...pods]) names.add(object.metadata?.name ?? '');
    const events = await this.list(context, 'v1', 'Event', namespace);
    return events
      .map((event) => timelineOf(event))
      .filter((event) => names.has(event.objectName) || event.objectName.startsWith(`${name}-`))
      .sort((a, b) => (a.lastTime ?? '').localeCompare(b.lastTime ?? ''));
  }

  async why(context: string, namespace: string, name: string, revisionName?: string): Promise<WhyResponse> {
    const [service, revisions, autoscalers] = await Promise.all([
      this.service(context, namespace, name),
      this.revisionsOf(context, namespace, name),
      this.list(
        context,
        `${resources.podAutoscaler.group}/${resources.podAutoscaler.version}`,
        resources.podAutoscaler.kind,
        namespace,
        `${labels.service}=${name}`,
      ),
    ]);
    const latest = revisionName ?? stringOrNull(service.status?.latestCreatedRevisionName);
    const revision = revisions.find((r) => r.metadata?.name === latest);
    const pods = latest ? await this.podsFor(context, namespace, name, latest) : [];
    const subject = revisionName && revision ? revision : service;
    const ready = conditionStatus(conditionOf(subject));
    const findings: Finding[] = [];
    if (!revisionName) findings.push(...conditionFindings(service, 'Service'));
    if (revision) findings.push(...conditionFindings(revision, 'Revision'));
    const autoscaler = autoscalers.find((pa) => pa.metadata?.name === latest);
    if (autoscaler) findings.push(...conditionFindings(autoscaler, 'PodAutoscaler'));
    for (const pod of pods) findings.push(...podFindings(pod));
    const names = new Set<string>([
      name,
      ...(latest ? [latest] : []),
      ...pods.map((p) => p.metadata?.name ?? ''),
    ]);
    const allEvents = await this.list(context, 'v1', 'Event', namespace).catch(() => [] as KubeObject[]);
    const events = allEvents
      .map(timelineOf)
      .filter((event) => names.has(event.objectName) && event.type !== 'Normal')
      .sort((a, b) => (a.lastTime ?? '').localeCompare(b.lastTime ?? ''))
      .slice(-20);
    let logTail: WhyResponse['logTail'] = null;
    const failing = failingContainer(pods);
    if (failing) {
      const lines: string[] = [];
      let note: string | null = null;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 8000);
      try {
        await readPodLog(
          this.clusters.clientsFor(context).config,
          namespace,
          failing.pod,
          failing.container,
          {
            follow: false,
            tailLines: 20,
            previous: failing.previous,
            timestamps: false,
            signal: controller.signal,
          },
          (chunk) => lines.push(...chunk),
        );
      } catch (error) {
        note = `Logs unavailable: ${toEnvelope(error).message}`;
      } finally {
        clearTimeout(timer);
      }
      logTail = { pod: failing.pod, container: failing.container, lines: lines.slice(-20), note };
    } else if (latest && serviceToForm(service).form.workloadClass !== 'fc') {
      logTail = {
        pod: '',
        container: '',
        lines: [],
        note: `No pod of ${latest} exists (scaled to zero, or none could be created).`,
      };
    }
    const label = revisionName ? `Revision ${revisionName}` : `Service ${name}`;
    const tidy = tidyFindings(findings);
    return { ready, summary: summaryOf(ready, tidy, label), findings: tidy, events, logTail };
  }

  async coldStarts(context: string, namespace: string, name: string) {
    const pods = await this.podsFor(context, namespace, name);
    return { coldStarts: coldStartsOf(pods), method: coldStartMethod };
  }

  // ——— Permissions and Knative's presence ———

  async access(context: string, namespace: string): Promise<AccessResponse> {
    const authorization = this.clusters.clientsFor(context).config.makeApiClient(AuthorizationV1Api);
    const entries = await Promise.all(
      (Object.keys(accessProbes) as ManageAction[]).map(async (action) => {
        const results = await Promise.all(
          accessProbes[action].map((probe) =>
            authorization.createSelfSubjectAccessReview({
              body: {
                apiVersion: 'authorization.k8s.io/v1',
                kind: 'SelfSubjectAccessReview',
                spec: { resourceAttributes: { ...probe, namespace } },
              },
            }),
          ),
        );
        const denied = results.findIndex((result) => !result.status?.allowed);
        if (denied === -1) return [action, { allowed: true, reason: 'allowed' }] as const;
        const probe = accessProbes[action][denied]!;
        const what = `${probe.verb} ${probe.group ? `${probe.resource}.${probe.group}` : probe.resource}${probe.subresource ? `/${probe.subresource}` : ''}`;
        const why = results[denied]!.status?.reason || results[denied]!.status?.evaluationError;
        return [
          action,
          {
            allowed: false,
            reason: `Your account may not ${what} in ${namespace}${why ? ` (${why})` : ''}.`,
          },
        ] as const;
      }),
    );
    return { actions: Object.fromEntries(entries) as AccessResponse['actions'] };
  }

  async knative(context: string) {
    const apis = this.clusters.clientsFor(context).config.makeApiClient(ApisApi);
    const groups = await apis.getAPIVersions();
    const served = new Set<string>();
    for (const group of groups.groups ?? [])
      for (const version of group.versions ?? []) served.add(version.groupVersion);
    const needed = [servingApiVersion, `${resources.podAutoscaler.group}/${resources.podAutoscaler.version}`];
    const missing = needed.filter((groupVersion) => !served.has(groupVersion));
    const serving = served.has(servingApiVersion);
    return {
      serving,
      missing,
      message: serving
        ? null
        : 'Knative Serving is not installed in this cluster: it serves no serving.knative.dev/v1 API, so there are no Knative Services to list. Install Knative Serving (or pick another context).',
    };
  }

  get clusterService(): ClusterService {
    return this.clusters;
  }
}

/** The revisions table and both traffic lists. */
export function revisionsView(service: KubeObject, revisions: readonly KubeObject[]): RevisionsResponse {
  const specTraffic = trafficOf(service.spec?.traffic);
  const statusTraffic = trafficOf(service.status?.traffic);
  const latestCreated = stringOrNull(service.status?.latestCreatedRevisionName);
  const latestReady = stringOrNull(service.status?.latestReadyRevisionName);
  const routed = routedRevisions([...specTraffic, ...statusTraffic], latestReady);
  const effective = statusTraffic.length > 0 ? statusTraffic : specTraffic;
  // The newest revision counts as the latest created even before the status says so (a Service made or edited a
  // moment ago has no latestCreatedRevisionName yet): otherwise it would look unrouted and be offered for deletion.
  const newestGeneration = Math.max(0, ...revisions.map((revision) => generationOf(revision)));
  const rows: RevisionRow[] = revisions.map((revision) => {
    const name = revision.metadata?.name ?? '';
    const ready = conditionOf(revision);
    const pointing = effective.filter(
      (t) =>
        (t.revisionName === name && !t.latestRevision) ||
        (t.latestRevision && latestReady === name) ||
        (t.revisionName === name && t.latestRevision),
    );
    const tags = [...specTraffic, ...statusTraffic]
      .filter(
        (t) =>
          t.tag &&
          ((t.revisionName === name && !t.latestRevision) || (t.latestRevision && latestReady === name)),
      )
      .map((t) => t.tag!);
    const containers = arrayOf(revision.spec?.containers);
    const readyStatus = conditionStatus(ready);
    return {
      name,
      generation: generationOf(revision) || null,
      createdAt: isoOf(revision.metadata?.creationTimestamp),
      image: stringOrNull(recordOf(containers[0]).image),
      trafficPercent: pointing.reduce((sum, t) => sum + t.percent, 0),
      tags: [...new Set(tags)],
      routed: routed.has(name),
      latestCreated:
        name === latestCreated || (newestGeneration > 0 && generationOf(revision) === newestGeneration),
      latestReady: name === latestReady,
      ready: readyStatus,
      reason: readyStatus === 'True' ? null : stringOrNull(ready?.reason),
      message: readyStatus === 'True' ? null : stringOrNull(ready?.message),
      actualReplicas: intOrNull(revision.status?.actualReplicas),
      desiredReplicas: intOrNull(revision.status?.desiredReplicas),
    };
  });
  rows.sort((a, b) => (b.generation ?? 0) - (a.generation ?? 0) || b.createdAt.localeCompare(a.createdAt));
  return {
    revisions: rows,
    specTraffic,
    statusTraffic,
    url: stringOrNull(service.status?.url),
    resourceVersion: service.metadata?.resourceVersion ?? '',
    generation: intOrNull(service.metadata?.generation),
    latestCreatedRevision: latestCreated,
    latestReadyRevision: latestReady,
  };
}

/** 409 when the Service's spec changed since the user read it at `expected` (its generation then). */
export function assertGeneration(live: KubeObject, expected: number): void {
  const now = intOrNull(live.metadata?.generation);
  if (now !== null && now !== expected) {
    const name = live.metadata?.name ?? '';
    const kind = live.kind ?? 'Service';
    throw new EngineError(
      'conflict',
      `${kind} ${name} was changed by someone else since you opened it (generation ${expected} → ${now}); nothing was written. Reload to see the change, then save again.`,
      { httpStatus: 409, reason: 'Conflict', kind, name, namespace: live.metadata?.namespace },
    );
  }
}

function withoutServerFields(service: KubeObject): KubeObject {
  const copy = structuredClone(service);
  delete copy.status;
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

/** A Service from the YAML editor: valid YAML, one serving.knative.dev/v1 Service with a name and namespace. */
export function parseServiceYaml(yaml: string): KubeObject {
  let value: unknown;
  try {
    value = parse(yaml);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new EngineError(
      'invalid-request',
      `The YAML does not parse${line ? ` (line ${line})` : ''}: ${(error as Error).message.split('\n')[0]}`,
      {
        causes: [{ field: 'yaml', message: (error as Error).message.split('\n')[0] ?? 'invalid YAML' }],
      },
    );
  }
  const object = recordOf(value) as KubeObject;
  const problems: string[] = [];
  if (object.apiVersion !== servingApiVersion) problems.push(`apiVersion must be ${servingApiVersion}`);
  if (object.kind !== 'Service') problems.push('kind must be Service');
  if (!object.metadata?.name) problems.push('metadata.name is required');
  if (!object.metadata?.namespace) problems.push('metadata.namespace is required');
  if (!recordOf(object.spec).template) problems.push('spec.template is required');
  if (problems.length > 0) {
    throw new EngineError('invalid-request', `Not a Knative Service: ${problems.join('; ')}.`, {
      causes: problems.map((message) => ({ field: 'yaml', message })),
    });
  }
  delete object.status;
  if (object.metadata) delete object.metadata.managedFields;
  return object;
}

/** Server or webhook causes → form fields (`fieldOf` maps a path or message to a field of the form at hand). */
export function fieldErrorsOf(
  envelope: {
    message: string;
    details: { causes?: { field?: string; message: string }[] };
  },
  fieldOf: (text: string) => string | null = formFieldOf,
): Record<string, string> {
  const out: Record<string, string> = {};
  // Kubernetes causes, and for an admission webhook's denial the problems its message names (errors.ts puts them in
  // the causes; an envelope made elsewhere may carry only the message).
  const causes = envelope.details.causes?.length
    ? envelope.details.causes
    : (webhookDenialOf(envelope.message)?.causes ?? []);
  for (const cause of causes) {
    const field = fieldOf(cause.field ?? cause.message);
    if (field && !out[field]) out[field] = cause.message;
  }
  return out;
}

export function timelineOf(event: KubeObject): TimelineEvent {
  const record = event as unknown as Record<string, unknown>;
  const involved = recordOf(record.involvedObject ?? record.regarding);
  const time = (value: unknown) =>
    value instanceof Date ? value.toISOString() : typeof value === 'string' && value ? value : null;
  const last =
    time(record.lastTimestamp) ?? time(record.eventTime) ?? time(event.metadata?.creationTimestamp);
  const source = recordOf(record.source);
  return {
    type: typeof record.type === 'string' ? record.type : 'Normal',
    reason: typeof record.reason === 'string' ? record.reason : '',
    message:
      typeof record.message === 'string'
        ? record.message
        : typeof record.note === 'string'
          ? record.note
          : '',
    objectKind: typeof involved.kind === 'string' ? involved.kind : '',
    objectName: typeof involved.name === 'string' ? involved.name : '',
    count: intOrNull(record.count) ?? 1,
    firstTime: time(record.firstTimestamp) ?? last,
    lastTime: last,
    source:
      typeof source.component === 'string'
        ? source.component
        : typeof record.reportingComponent === 'string'
          ? record.reportingComponent
          : typeof record.reportingController === 'string'
            ? record.reportingController
            : null,
  };
}

/** One log stream per pod container; new pods are picked up while following. */
class LogFollower {
  private readonly open = new Set<string>();
  private readonly running: Promise<void>[] = [];
  private buffer: LogLine[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly clusters: ClusterService,
    private readonly manage: ManageService,
    private readonly params: LogsParams,
    private readonly emit: (event: LogsEvent) => void,
    private readonly signal: AbortSignal,
  ) {}

  private push(pod: string, container: string, lines: string[]) {
    for (const raw of lines) {
      const { time, text } = splitTimestamp(raw);
      this.buffer.push({ pod, container, time, text });
    }
    this.flushTimer ??= setTimeout(() => this.flush(), 100);
  }

  private flush() {
    this.flushTimer = undefined;
    if (this.buffer.length === 0) return;
    const lines = this.buffer;
    this.buffer = [];
    this.emit({ type: 'lines', lines });
  }

  private attach(pod: KubeObject) {
    const podName = pod.metadata?.name ?? '';
    const containers = arrayOf((pod.spec as Record<string, unknown> | undefined)?.containers)
      .map((c) => recordOf(c).name)
      .filter((c): c is string => typeof c === 'string')
      .filter((c) => !this.params.container || c === this.params.container);
    for (const container of containers) {
      const key = `${podName}/${container}`;
      if (this.open.has(key)) continue;
      this.open.add(key);
      this.emit({ type: 'source', pod: podName, container, state: 'open', error: null });
      const reading = readPodLog(
        this.clusters.clientsFor(this.params.context).config,
        this.params.namespace,
        podName,
        container,
        { follow: this.params.follow, tailLines: this.params.tailLines, signal: this.signal },
        (lines) => this.push(podName, container, lines),
      ).then(
        () => {
          this.flush();
          if (!this.signal.aborted)
            this.emit({ type: 'source', pod: podName, container, state: 'ended', error: null });
        },
        (error: unknown) => {
          this.flush();
          if (this.signal.aborted) return;
          const envelope = toEnvelope(error, 'manage:logs');
          this.emit({ type: 'source', pod: podName, container, state: 'error', error: envelope });
          // A container that is still starting may be read again at the next look.
          if (this.params.follow) this.open.delete(key);
        },
      );
      this.running.push(reading);
    }
  }

  private async pods(): Promise<KubeObject[]> {
    const pods = await this.manage.podsFor(
      this.params.context,
      this.params.namespace,
      this.params.name,
      this.params.revision,
    );
    return pods.filter((pod) => !this.params.pod || pod.metadata?.name === this.params.pod);
  }

  async run(): Promise<void> {
    if (await this.manage.isFc(this.params.context, this.params.namespace, this.params.name)) {
      this.emit({
        type: 'info',
        message:
          'This Service runs on Function Compute: it has no pods, and the FC 2.0 API has no call that returns function logs. FC writes them to the Log Service (SLS) project and logstore set in the FC service’s logConfig; read them there.',
      });
      return;
    }
    const first = await this.pods();
    if (first.length === 0) {
      this.emit({
        type: 'info',
        message: this.params.follow
          ? 'No pods right now (scaled to zero?). Lines appear here when a pod starts.'
          : 'No pods right now (scaled to zero?), so there are no logs to read.',
      });
    }
    for (const pod of first) this.attach(pod);
    if (!this.params.follow) {
      // Reading without follow: every stream ends by itself once the kubelet has sent the tail.
      await Promise.all(this.running);
      clearTimeout(this.flushTimer);
      this.flush();
      return;
    }
    // Following: look for new pods every few seconds until the UI closes the stream.
    while (!this.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      if (this.signal.aborted) break;
      try {
        for (const pod of await this.pods()) this.attach(pod);
      } catch {
        // the next look will try again
      }
    }
    clearTimeout(this.flushTimer);
  }
}

export type { ServiceForm };
export { LATEST };
