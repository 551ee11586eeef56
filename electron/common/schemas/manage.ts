// Managing one Knative Service: revisions and traffic (tags, split, rollback, roll forward, guarded rollout), create
// and edit from a form or YAML (preview, diff, server-side dry run, apply), export/import with revisions, logs,
// events, why-not-ready, cold starts, and the permission and Knative-installed checks that gate every action.
import { z } from 'zod';
import { errorEnvelope } from '../errors';
import { conditionStatus, contextName, isoTime, k8sName, objectRef } from './primitives';
import { trafficTarget } from './workloads';

export const serviceRequest = z.strictObject({ context: contextName, namespace: k8sName, name: k8sName });

// ——— Revisions and traffic ———

export const revisionRow = z.object({
  name: z.string(),
  /** `serving.knative.dev/configurationGeneration`: which edit of the Service made it. */
  generation: z.number().int().nullable(),
  createdAt: isoTime,
  image: z.string().nullable(),
  /** Percent the Service routes here (sum over the targets naming it, @latest included). */
  trafficPercent: z.number(),
  tags: z.array(z.string()),
  /** Named by any traffic target (even a 0 % tagged one, even through @latest): may not be deleted. */
  routed: z.boolean(),
  latestCreated: z.boolean(),
  latestReady: z.boolean(),
  ready: conditionStatus,
  reason: z.string().nullable(),
  message: z.string().nullable(),
  actualReplicas: z.number().int().nullable(),
  desiredReplicas: z.number().int().nullable(),
});
export type RevisionRow = z.infer<typeof revisionRow>;

export const revisionsResponse = z.object({
  revisions: z.array(revisionRow),
  /** spec.traffic as asked (what the traffic form edits), and status.traffic as in effect (with tag URLs). */
  specTraffic: z.array(trafficTarget),
  statusTraffic: z.array(trafficTarget),
  url: z.string().nullable(),
  resourceVersion: z.string(),
  /** metadata.generation: changes only when the spec does (not on status updates); the guard edits send back. */
  generation: z.number().int().nullable(),
  latestCreatedRevision: z.string().nullable(),
  latestReadyRevision: z.string().nullable(),
});
export type RevisionsResponse = z.infer<typeof revisionsResponse>;

export const LATEST = '@latest';
/** One row of the traffic form: a revision name or `@latest`, a percent, an optional tag. */
export const trafficRow = z.object({
  revision: z.union([z.literal(LATEST), k8sName]),
  percent: z.number().int().min(0).max(100),
  tag: z
    .string()
    .max(63)
    .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, 'must be a lowercase DNS label (a-z, 0-9, "-")')
    .default(''),
});
export type TrafficRow = z.infer<typeof trafficRow>;

export const setTrafficRequest = serviceRequest.extend({
  rows: z.array(trafficRow).min(1).max(50),
  /**
   * The Service's generation the rows were made from: if its spec changed since (another writer), the engine answers
   * 409 instead of overwriting it. Status updates do not count.
   */
  generation: z.number().int().min(0).optional(),
});
export const trafficResponse = z.object({
  specTraffic: z.array(trafficTarget),
  resourceVersion: z.string(),
});

export const rollbackRequest = serviceRequest.extend({
  revision: k8sName,
  generation: z.number().int().min(0).optional(),
});

export const deleteRevisionsRequest = serviceRequest.extend({
  revisions: z.array(k8sName).min(1).max(100),
  /** The guard: the same names typed or confirmed again; must equal `revisions`. */
  confirm: z.array(k8sName).min(1).max(100),
});
export const deleteRevisionsResponse = z.object({
  deleted: z.array(z.string()),
  refused: z.array(z.object({ name: z.string(), reason: z.string() })),
});

export const compareRequest = serviceRequest.extend({ left: k8sName, right: k8sName });
export const compareResponse = z.object({
  left: z.object({ name: z.string(), yaml: z.string() }),
  right: z.object({ name: z.string(), yaml: z.string() }),
  /** Unified diff, left → right; empty when the specs are the same. */
  diff: z.string(),
});

// ——— Create and edit ———

const quantity = z
  .string()
  .max(32)
  .regex(
    /^(\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?)?$/,
    'must be a Kubernetes quantity such as 250m, 0.5, 128Mi',
  );
const duration = z
  .string()
  .max(16)
  .regex(/^(\d+(s|m|h))?$/, 'must be a duration such as 60s, 5m, 1h');

export const envEntry = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('value'),
    name: z.string().min(1).max(253),
    value: z.string().max(65_536),
  }),
  z.object({
    source: z.literal('secret'),
    name: z.string().min(1).max(253),
    secretName: k8sName,
    secretKey: z.string().min(1).max(253),
  }),
]);
export type EnvEntry = z.infer<typeof envEntry>;

/** A Secret the form creates before the Service (values never come back to the UI). */
export const newSecret = z.object({
  name: k8sName,
  values: z.record(z.string().min(1).max(253), z.string().max(65_536)),
});

export const serviceForm = z.object({
  name: k8sName,
  namespace: k8sName,
  workloadClass: z.enum(['eci', 'fc']).default('eci'),
  image: z.string().trim().min(1, 'an image is required').max(512),
  /** FC class only: `fc.revision.serving.knative.aliyun.com/*` annotations. */
  fc: z
    .object({
      codeSpace: z.enum(['image', 'inline', 'oss']).default('image'),
      roleArn: z.string().max(256).default(''),
      customDomain: z.string().max(253).default(''),
      domainPath: z.string().max(256).default('/*'),
    })
    .default({ codeSpace: 'image', roleArn: '', customDomain: '', domainPath: '/*' }),
  env: z.array(envEntry).max(200).default([]),
  newSecrets: z.array(newSecret).max(20).default([]),
  /** Knative serves one port; `h2c` for gRPC/HTTP2. Null leaves Knative's default (8080, http1). */
  port: z.number().int().min(1).max(65_535).nullable().default(null),
  portProtocol: z.enum(['http1', 'h2c']).default('http1'),
  cpuRequest: quantity.default(''),
  memoryRequest: quantity.default(''),
  cpuLimit: quantity.default(''),
  memoryLimit: quantity.default(''),
  /** 0 = unlimited; null leaves the server's default. */
  containerConcurrency: z.number().int().min(0).max(1000).nullable().default(null),
  minScale: z.number().int().min(0).max(1000).nullable().default(null),
  maxScale: z.number().int().min(0).max(1000).nullable().default(null),
  initialScale: z.number().int().min(0).max(1000).nullable().default(null),
  /** `autoscaling.knative.dev/target` (concurrency per pod the autoscaler aims at). */
  target: z.number().min(0.01).max(10_000).nullable().default(null),
  window: duration.default(''),
  scaleDownDelay: duration.default(''),
  timeoutSeconds: z.number().int().min(1).max(3600).nullable().default(null),
  clusterLocal: z.boolean().default(false),
});
export type ServiceForm = z.output<typeof serviceForm>;
export type ServiceFormInput = z.input<typeof serviceForm>;

export const formResponse = z.object({
  form: serviceForm,
  resourceVersion: z.string(),
  /** metadata.generation when the form was read; sent back with the edit as its guard. */
  generation: z.number().int().nullable(),
  /** The live Service as YAML for the YAML editor (status and managedFields removed). */
  yaml: z.string(),
  /** Parts of the live object the form does not show; they are kept on save. */
  notInForm: z.array(z.string()),
});

/** What to create or change: the form (create or edit) or a whole Service as YAML (edit). */
export const changeRequest = z.strictObject({
  context: contextName,
  mode: z.enum(['create', 'edit']),
  form: serviceForm.optional(),
  yaml: z.string().max(262_144).optional(),
  /**
   * For form edits: the generation the form was read at. If the Service's spec changed since, the engine answers 409
   * and nothing is written; changes to status or metadata meanwhile are kept (the form is applied onto the live
   * object). YAML edits carry their own metadata.resourceVersion instead, as `kubectl edit` does.
   */
  generation: z.number().int().min(0).optional(),
  /** For form edits, the stricter guard: any change since this resourceVersion answers 409. */
  resourceVersion: z.string().min(1).max(64).optional(),
});
export type ChangeRequest = z.infer<typeof changeRequest>;

export const planObject = z.object({
  ref: objectRef,
  action: z.enum(['create', 'update', 'unchanged']),
  /** The object as it will be sent (secrets masked). */
  yaml: z.string(),
  /** Unified diff live → after the server's dry run (defaults and webhooks applied); empty on create. */
  diff: z.string(),
  /**
   * On create: unified diff of the object as sent → as the server's dry run returns it (server-owned fields
   * removed), i.e. what schema defaults and mutating admission webhooks (Knative's) add. Empty on update, where
   * `diff` already compares live → after the dry run.
   */
  serverDefaults: z.string().default(''),
});
export const planResponse = z.object({
  objects: z.array(planObject),
  /** Set when the server's dry run refused: its message, and causes mapped to form fields where known. */
  error: errorEnvelope.nullable(),
  /** Form field → message, from the error's causes or the webhook's message. */
  fieldErrors: z.record(z.string(), z.string()),
});
export type PlanResponse = z.infer<typeof planResponse>;

export const exportRequest = serviceRequest.extend({ withRevisions: z.boolean().default(false) });
export const exportResponse = z.object({ yaml: z.string(), revisions: z.array(z.string()) });

export const importRequest = z.strictObject({
  context: contextName,
  namespace: k8sName,
  yaml: z.string().min(1).max(1_048_576),
});

// ——— Logs, events, why-not-ready, cold start ———

export const logsParams = serviceRequest.extend({
  /** Narrow to one revision, one pod, one container; absent = all of the Service's pods and containers. */
  revision: k8sName.optional(),
  pod: z.string().min(1).max(253).optional(),
  container: z.string().min(1).max(253).optional(),
  follow: z.boolean().default(true),
  tailLines: z.number().int().min(1).max(10_000).default(200),
});
export const logLine = z.object({
  pod: z.string(),
  container: z.string(),
  /** RFC 3339 time from the kubelet (timestamps=true), null when the line had none. */
  time: z.string().nullable(),
  text: z.string(),
});
export type LogLine = z.infer<typeof logLine>;
export const logsEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('lines'), lines: z.array(logLine) }),
  z.object({
    type: z.literal('source'),
    pod: z.string(),
    container: z.string(),
    state: z.enum(['open', 'ended', 'error']),
    error: errorEnvelope.nullable(),
  }),
  /** Something to say once: no pods (scaled to zero), FC functions have no pod logs, … */
  z.object({ type: z.literal('info'), message: z.string() }),
]);
export type LogsEvent = z.infer<typeof logsEvent>;

export const timelineEvent = z.object({
  type: z.string(),
  reason: z.string(),
  message: z.string(),
  objectKind: z.string(),
  objectName: z.string(),
  count: z.number().int(),
  firstTime: z.string().nullable(),
  lastTime: z.string().nullable(),
  source: z.string().nullable(),
});
export type TimelineEvent = z.infer<typeof timelineEvent>;
export const eventsResponse = z.object({ events: z.array(timelineEvent) });

export const whyRequest = serviceRequest.extend({ revision: k8sName.optional() });
export const finding = z.object({
  /** `Service/x`, `Revision/x-00002`, `Pod/…`. */
  object: z.string(),
  condition: z.string(),
  status: conditionStatus,
  reason: z.string().nullable(),
  message: z.string().nullable(),
  /** The reason in plain words. */
  explanation: z.string(),
  /** What to do about it. */
  action: z.string(),
});
export type Finding = z.infer<typeof finding>;
export const whyResponse = z.object({
  ready: conditionStatus,
  summary: z.string(),
  findings: z.array(finding),
  events: z.array(timelineEvent),
  logTail: z
    .object({
      pod: z.string(),
      container: z.string(),
      lines: z.array(z.string()),
      /** Why there are no lines (no pod, logs unavailable through the kubelet API…). */
      note: z.string().nullable(),
    })
    .nullable(),
});
export type WhyResponse = z.infer<typeof whyResponse>;

export const coldStart = z.object({
  revision: z.string(),
  pod: z.string(),
  /** When the pod was created (the autoscaler woke the revision for a request) and when it became Ready. */
  createdAt: isoTime,
  readyAt: isoTime.nullable(),
  /** Ready − created, ms; null while not ready. */
  ms: z.number().nullable(),
});
export const coldStartsResponse = z.object({
  coldStarts: z.array(coldStart),
  /** How the figure is measured, in one sentence. */
  method: z.string(),
});

// ——— Permissions, Knative presence, Secrets ———

export const manageActions = [
  'create',
  'edit',
  'traffic',
  'deleteRevisions',
  'logs',
  'events',
  'readSecrets',
  'createSecrets',
] as const;
export const manageAction = z.enum(manageActions);
export type ManageAction = z.infer<typeof manageAction>;
export const accessRequest = z.strictObject({ context: contextName, namespace: k8sName });
export const accessResponse = z.object({
  actions: z.record(manageAction, z.object({ allowed: z.boolean(), reason: z.string() })),
});
export type AccessResponse = z.infer<typeof accessResponse>;

export const knativeRequest = z.strictObject({ context: contextName });
export const knativeResponse = z.object({
  serving: z.boolean(),
  /** API groups/versions the console needs and the cluster does not serve. */
  missing: z.array(z.string()),
  message: z.string().nullable(),
});

export const secretsRequest = z.strictObject({ context: contextName, namespace: k8sName });
export const secretsResponse = z.object({
  /** Names and keys only; values never leave the engine. */
  secrets: z.array(z.object({ name: z.string(), keys: z.array(z.string()) })),
});

// ——— Guarded rollout ———

export const rolloutParams = serviceRequest.extend({
  /** Percent to the latest revision at each step; the last must be 100. */
  steps: z
    .array(z.number().int().min(1).max(100))
    .min(1)
    .max(20)
    .default([10, 25, 50, 100])
    .refine((steps) => steps.at(-1) === 100, 'the last step must be 100')
    .refine((steps) => steps.every((step, i) => i === 0 || step > steps[i - 1]!), 'steps must increase'),
  intervalSeconds: z.number().min(1).max(3600).default(30),
  /** Requests the engine sends to the Service URL in each step, to measure error rate and p99. */
  probeRequests: z.number().int().min(1).max(1000).default(20),
  probePath: z.string().max(512).regex(/^\//, 'must start with /').default('/'),
  maxErrorRate: z.number().min(0).max(1).default(0.05),
  maxP99Ms: z.number().min(1).max(120_000).default(2000),
});
export const rolloutEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('plan'),
    candidate: z.string(),
    previous: z.array(trafficTarget),
    steps: z.array(z.number()),
  }),
  z.object({ type: z.literal('step'), percent: z.number(), phase: z.enum(['shifting', 'watching']) }),
  z.object({
    type: z.literal('health'),
    percent: z.number(),
    requests: z.number().int(),
    errors: z.number().int(),
    errorRate: z.number(),
    p99Ms: z.number().nullable(),
    candidateReady: conditionStatus,
  }),
  z.object({
    type: z.literal('done'),
    outcome: z.enum(['completed', 'reverted', 'failed', 'stopped']),
    message: z.string(),
    error: errorEnvelope.nullable(),
  }),
]);
export type RolloutEvent = z.infer<typeof rolloutEvent>;
