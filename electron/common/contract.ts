// THE contract between the UI and the engine. Every operation and every stream is declared here once, with runtime
// schemas; the engine's dispatcher, the Electron preload facade and the renderer's client are all derived from this
// object (they walk its keys), so there is no second list of channels anywhere.
//
// Names are `domain:verb`. Operations answer once; streams push batched events until closed (or, when `finite`,
// until they end by themselves — deploy runs, barrage sends, playground start/stop).
import { z } from 'zod';
import { empty } from './schemas/primitives';
import * as app from './schemas/app';
import * as barrage from './schemas/barrage';
import * as clusters from './schemas/clusters';
import * as deploy from './schemas/deploy';
import * as eventing from './schemas/eventing';
import * as fc from './schemas/fc';
import * as kafka from './schemas/kafka';
import * as kafkaSource from './schemas/kafka-source';
import * as live from './schemas/live';
import * as manage from './schemas/manage';
import * as workloads from './schemas/workloads';
import { operation, stream } from './contract-kit';
import type { OperationSpec, StreamSpec } from './contract-kit';

/** Operations that only succeed or fail answer with an empty object. */
const ok = z.object({});

export const contract = {
  // app
  'app:info': operation(
    'Mode, version, where secrets are kept, warnings to show.',
    empty,
    app.appInfoResponse,
  ),
  'app:openExternal': operation('Open an http(s) link in the system browser.', app.openExternalRequest, ok),
  'app:engine': stream(
    'Which engine answers (an id per start), to tell the UI it restarted.',
    empty,
    app.engineHelloEvent,
  ),

  // clusters
  'clusters:list': operation('Kubeconfig sources and their contexts.', empty, clusters.clustersListResponse),
  'clusters:addKubeconfig': operation(
    'Add a kubeconfig file to the sources.',
    clusters.addKubeconfigRequest,
    clusters.clustersListResponse,
  ),
  'clusters:confirmCredentialCommands': operation(
    'Allow the credential commands (exec / auth-provider) of a kubeconfig file as it is now.',
    clusters.confirmCredentialCommandsRequest,
    clusters.clustersListResponse,
  ),
  'clusters:check': operation(
    'Reachability and permissions (SelfSubjectAccessReview) of a context.',
    clusters.clusterCheckRequest,
    clusters.clusterCheckResponse,
  ),
  'clusters:namespaces': operation(
    'Namespaces of a context.',
    clusters.namespacesRequest,
    clusters.namespacesResponse,
  ),
  'clusters:gateway': operation(
    "Where a context's Knative Service URLs are sent: the typed address, the playground's, or the discovered one.",
    clusters.gatewayRequest,
    clusters.gatewayInfo,
  ),
  'clusters:setGateway': operation(
    'Type (or forget) the ingress gateway address of a context.',
    clusters.setGatewayRequest,
    clusters.gatewayInfo,
  ),

  // workloads
  'workloads:list': operation(
    'Knative Services as kn-style rows.',
    workloads.workloadsListRequest,
    workloads.workloadsListResponse,
  ),
  'workloads:watch': stream(
    'Knative Services as rows, kept current (snapshot, upserts, deletes, connection status).',
    workloads.workloadsListRequest,
    workloads.workloadsWatchEvent,
  ),
  'workloads:get': operation(
    'One Service with revisions, pods, routes, PodAutoscalers, KafkaSources and its FC link.',
    workloads.workloadGetRequest,
    workloads.workloadDetails,
  ),
  'workloads:kafkaSources': operation(
    'KafkaSources of a namespace (or all).',
    workloads.kafkaSourcesListRequest,
    workloads.kafkaSourcesListResponse,
  ),

  // manage one Service (revisions, traffic, create/edit, logs, events, why-not-ready)
  ...manageEntries(),
  // create and edit KafkaSources
  ...sourceEntries(),

  // deploy
  'deploy:templates': operation(
    'Built-in templates and their parameters, with defaults for where they would go.',
    deploy.templatesRequest,
    deploy.templatesResponse,
  ),
  'deploy:render': operation(
    'Render a template to objects and YAML (secrets masked).',
    deploy.renderRequest,
    deploy.renderResponse,
  ),
  'deploy:diff': operation(
    'What applying would change (server dry run against the live objects).',
    deploy.deployTargetRequest,
    deploy.diffResponse,
  ),
  'deploy:namespace': operation(
    'Whether the namespace exists, and whether this context may create it.',
    deploy.namespaceRequest,
    deploy.namespaceStatusResponse,
  ),
  'deploy:createNamespace': operation(
    'Create the namespace (labelled as made by knative-desk).',
    deploy.namespaceRequest,
    empty,
  ),
  'deploy:apply': stream(
    'Apply a template: Secrets first, dry run, then server-side apply per object, with progress.',
    deploy.deployTargetRequest,
    deploy.deployEvent,
    { finite: true },
  ),
  'deploy:undeploy': stream(
    "Delete a template's objects in reverse order, with progress.",
    deploy.undeployRequest,
    deploy.deployEvent,
    { finite: true },
  ),

  // Function Compute
  'fc:profiles': operation('FC profiles (secrets never included).', empty, fc.fcProfilesResponse),
  'fc:saveProfile': operation(
    'Create or update an FC profile.',
    fc.fcSaveProfileRequest,
    fc.fcSaveProfileResponse,
  ),
  'fc:deleteProfile': operation('Delete an FC profile and its stored secret.', fc.profileIdRequest, ok),
  'fc:list': operation(
    'FC services, functions (linked to Knative Services) and custom domains.',
    fc.fcListRequest,
    fc.fcListResponse,
  ),

  // Kafka
  'kafka:profiles': operation(
    'Kafka profiles (passwords never included).',
    empty,
    kafka.kafkaProfilesResponse,
  ),
  'kafka:saveProfile': operation(
    'Create or update a Kafka profile.',
    kafka.kafkaSaveProfileRequest,
    kafka.kafkaSaveProfileResponse,
  ),
  'kafka:deleteProfile': operation(
    'Delete a Kafka profile and its stored password.',
    fc.profileIdRequest,
    ok,
  ),
  'kafka:topics': operation(
    'Topics of a Kafka profile.',
    kafka.kafkaProfileRequest,
    kafka.kafkaTopicsResponse,
  ),
  'kafka:groups': operation(
    'Consumer groups of a Kafka profile.',
    kafka.kafkaProfileRequest,
    kafka.kafkaGroupsResponse,
  ),
  'kafka:lag': operation(
    'Lag per partition and total for a group on a topic.',
    kafka.lagRequest,
    kafka.lagSnapshot,
  ),
  'kafka:browse': operation(
    'Records of one partition from an offset, a time or the end (bounded, filtered, self-stopping).',
    eventing.browseRequest,
    eventing.browseResponse,
  ),
  'kafka:topic': operation(
    "A topic's partitions with their earliest and end offsets.",
    eventing.topicDetailsRequest,
    eventing.topicDetails,
  ),
  'kafka:createTopic': operation(
    'Create a topic with N partitions.',
    eventing.createTopicRequest,
    eventing.topicDetails,
  ),
  'kafka:resetOffsets': operation(
    "Move a group's offsets on a topic (refused while the group has a running consumer).",
    eventing.resetOffsetsRequest,
    eventing.resetOffsetsResponse,
  ),
  'kafka:produceTest': operation(
    'Send one test record (key, headers, JSON value) and say where it landed.',
    eventing.produceTestRequest,
    eventing.produceTestResponse,
  ),
  'kafka:watchLag': stream(
    'Lag, produce and consume rates and trend, sampled every intervalMs.',
    kafka.lagWatchParams,
    kafka.lagWatchEvent,
  ),

  // live series
  'live:pods': stream(
    'Pods ready/pending/terminating and desired/actual scale per Service, batched.',
    live.liveSeriesParams,
    live.liveSeriesEvent,
  ),

  // barrage
  'barrage:send': stream(
    'Send barrage load to HomePage; per-second stats, then a summary. Unsubscribe to stop.',
    barrage.barrageSendParams,
    barrage.barrageSendEvent,
    { finite: true },
  ),
  'barrage:view': stream(
    "HomePage's barrage stream (SSE), with reconnect and a bounded drop-oldest buffer.",
    barrage.barrageViewParams,
    barrage.barrageViewEvent,
  ),

  // playground
  'playground:status': operation(
    'Is the local playground up, and where.',
    empty,
    app.playgroundStatusResponse,
  ),
  'playground:start': stream(
    'Start the local playground, with its log.',
    app.playgroundStartParams,
    app.playgroundEvent,
    {
      finite: true,
    },
  ),
  'playground:stop': stream('Stop the local playground, with its log.', empty, app.playgroundEvent, {
    finite: true,
  }),
} as const;

export type Contract = typeof contract;

/** The `eventing:` KafkaSource form entries (preview and apply answer as the manage pipeline does). */
function sourceEntries() {
  return {
    'eventing:sourceForm': operation(
      'A KafkaSource as the form shows it, with the generation to guard the edit.',
      kafkaSource.sourceRequest,
      kafkaSource.sourceFormResponse,
    ),
    'eventing:planSource': operation(
      'Preview a KafkaSource create or edit: broker check (topics, SASL), server dry run and diff with the cluster.',
      kafkaSource.sourceChangeRequest,
      manage.planResponse,
    ),
    'eventing:applySource': stream(
      'Apply a KafkaSource create or edit: checks and dry run, new topics, then the source; nothing left half-done.',
      kafkaSource.sourceChangeRequest,
      deploy.deployEvent,
      { finite: true },
    ),
  };
}

/** The `manage:` entries, kept together so rebases against other additions stay trivial. */
function manageEntries() {
  return {
    'manage:knative': operation(
      'Whether the cluster serves Knative Serving (API discovery), so the UI can say so instead of empty tables.',
      manage.knativeRequest,
      manage.knativeResponse,
    ),
    'manage:access': operation(
      'What the user may do in a namespace (SelfSubjectAccessReview per action), with the reason when not.',
      manage.accessRequest,
      manage.accessResponse,
    ),
    'manage:revisions': operation(
      'Revisions with traffic, tags, image, generation, Ready reason and pods; spec and status traffic.',
      manage.serviceRequest,
      manage.revisionsResponse,
    ),
    'manage:setTraffic': operation(
      'Set traffic from rows (revision or @latest, percent, tag); refuses sums other than 100 before the server.',
      manage.setTrafficRequest,
      manage.trafficResponse,
    ),
    'manage:rollback': operation(
      '100 % to a revision (tags kept at 0 %).',
      manage.rollbackRequest,
      manage.trafficResponse,
    ),
    'manage:rollForward': operation(
      '100 % to @latest (tags kept at 0 %).',
      manage.serviceRequest.extend({ generation: manage.rollbackRequest.shape.generation }),
      manage.trafficResponse,
    ),
    'manage:deleteRevisions': operation(
      'Delete unrouted, non-latest revisions; the confirmation must name the same ones.',
      manage.deleteRevisionsRequest,
      manage.deleteRevisionsResponse,
    ),
    'manage:compare': operation(
      "Two revisions' specs and their diff.",
      manage.compareRequest,
      manage.compareResponse,
    ),
    'manage:form': operation(
      'The edit form prefilled from the live Service, its resourceVersion and YAML.',
      manage.serviceRequest,
      manage.formResponse,
    ),
    'manage:secrets': operation(
      'Secrets of a namespace: names and keys, never values.',
      manage.secretsRequest,
      manage.secretsResponse,
    ),
    'manage:plan': operation(
      'Preview, diff and server-side dry run of a create or edit (form or YAML), errors mapped to fields.',
      manage.changeRequest,
      manage.planResponse,
    ),
    'manage:apply': stream(
      'Apply a create or edit: dry run of every object, then each in order; nothing is left half-applied.',
      manage.changeRequest,
      deploy.deployEvent,
      { finite: true },
    ),
    'manage:export': operation(
      'The Service as YAML, optionally with its routed revisions (kn service export --with-revisions).',
      manage.exportRequest,
      manage.exportResponse,
    ),
    'manage:import': stream(
      'Import an export into a namespace: each revision in order, then the traffic.',
      manage.importRequest,
      deploy.deployEvent,
      { finite: true },
    ),
    'manage:logs': stream(
      'Logs of pods and containers of a Service or revision, each line with its pod and container; follows.',
      manage.logsParams,
      manage.logsEvent,
    ),
    'manage:events': operation(
      'Kubernetes Events of the Service, its revisions and pods, oldest first.',
      manage.serviceRequest,
      manage.eventsResponse,
    ),
    'manage:why': operation(
      'Why a Service or revision is not Ready: reasons in plain words, events, last log lines, what to do.',
      manage.whyRequest,
      manage.whyResponse,
    ),
    'manage:coldStarts': operation(
      'Cold starts per revision from pod timestamps.',
      manage.serviceRequest,
      manage.coldStartsResponse,
    ),
    'manage:rollout': stream(
      'Guarded rollout to the latest revision in steps; reverts on regression and says why.',
      manage.rolloutParams,
      manage.rolloutEvent,
      { finite: true },
    ),
  } as const;
}

/** Names of every operation, e.g. `'clusters:list'`. */
export type OperationName = {
  [K in keyof Contract]: Contract[K] extends OperationSpec ? K : never;
}[keyof Contract];
/** Names of every stream, e.g. `'workloads:watch'`. */
export type StreamName = {
  [K in keyof Contract]: Contract[K] extends StreamSpec ? K : never;
}[keyof Contract];

type OperationParts<K extends OperationName> =
  Contract[K] extends OperationSpec<infer Req, infer Res> ? { request: Req; response: Res } : never;
type StreamParts<K extends StreamName> =
  Contract[K] extends StreamSpec<infer Params, infer Event> ? { params: Params; event: Event } : never;

/** What the caller passes (fields with defaults may be left out). */
export type RequestInput<K extends OperationName> = z.input<OperationParts<K>['request']>;
/** What the handler receives (defaults applied). */
export type RequestOf<K extends OperationName> = z.output<OperationParts<K>['request']>;
export type ResponseOf<K extends OperationName> = z.output<OperationParts<K>['response']>;
export type ParamsInput<K extends StreamName> = z.input<StreamParts<K>['params']>;
export type ParamsOf<K extends StreamName> = z.output<StreamParts<K>['params']>;
export type EventOf<K extends StreamName> = z.output<StreamParts<K>['event']>;

export const operationNames = Object.keys(contract).filter(
  (name) => contract[name as keyof Contract].kind === 'operation',
) as OperationName[];
export const streamNames = Object.keys(contract).filter(
  (name) => contract[name as keyof Contract].kind === 'stream',
) as StreamName[];

/** True for names in the contract; the only way a string becomes an operation or stream name at run time. */
export function isContractName(name: unknown): name is keyof Contract {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

/** `'clusters:list'` → `['clusters', 'list']`: how the generated clients nest the contract (`api.clusters.list`). */
export function splitName(name: string): [domain: string, verb: string] {
  const at = name.indexOf(':');
  return [name.slice(0, at), name.slice(at + 1)];
}

/**
 * A generated client's shape: one function per contract entry, nested as `<domain>.<verb>`, made by `operation`
 * for operations and by `stream` for streams (the preload facade, the tests' `api`).
 */
export function perContractEntry(
  operation: (name: string) => unknown,
  stream: (name: string) => unknown,
): Record<string, Record<string, unknown>> {
  const client: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(contract)) {
    const [domain, verb] = splitName(name);
    (client[domain] ??= {})[verb] = spec.kind === 'operation' ? operation(name) : stream(name);
  }
  return client;
}

export * as schemas from './schemas/index';
