// Deploy: built-in templates with typed parameters, render → YAML preview, diff against the cluster, apply with
// per-object progress (server-side apply, field manager `knative-desk`, after a dry run), undeploy in reverse.
import { z } from 'zod';
import { errorEnvelope } from '../errors';
import { contextName, id, k8sName, objectRef, workloadKind } from './primitives';

export const templateParameter = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string().nullable(),
  /** `secret` values are written into a Secret and masked in every preview. */
  type: z.enum(['string', 'integer', 'number', 'boolean', 'enum', 'secret']),
  required: z.boolean(),
  default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
  options: z.array(z.string()).nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
});
export type TemplateParameter = z.infer<typeof templateParameter>;

export const templateInfo = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  /** What the template creates: an ECI or FC Knative Service, or eventing only (KafkaSource). */
  kind: z.union([workloadKind, z.literal('Eventing')]),
  parameters: z.array(templateParameter),
});
export type TemplateInfo = z.infer<typeof templateInfo>;

/**
 * The Kafka and FC profiles in use for a deploy (picked on the Deploy screen; none = the connection's defaults).
 * Their values become the template defaults; their stored secrets are read by the engine only when it renders,
 * and go into the Secrets the templates create — never into a response.
 */
export const deployProfiles = z.strictObject({ kafka: id.optional(), fc: id.optional() });

/** Where the parts would go: the defaults follow (the playground's brokers and store, per-namespace topic/group). */
export const templatesRequest = z.strictObject({
  context: contextName.optional(),
  namespace: k8sName.optional(),
  profiles: deployProfiles.optional(),
});

export const templatesResponse = z.object({ templates: z.array(templateInfo) });

export const parameterValues = z.record(
  z.string().min(1).max(128),
  z.union([z.string().max(65_536), z.number().finite(), z.boolean()]),
);

export const renderRequest = z.strictObject({
  templateId: id,
  namespace: k8sName,
  parameters: parameterValues,
  /** The context it will go to: the playground's contexts fill Kafka and the store from the playground. */
  context: contextName.optional(),
  profiles: deployProfiles.optional(),
});

export const renderedObject = z.object({
  ref: objectRef,
  /** This object's YAML with secret values masked. */
  yaml: z.string(),
});

export const renderResponse = z.object({
  objects: z.array(renderedObject),
  /** Every object in apply order, as one multi-document YAML, secret values masked. */
  yaml: z.string(),
});

export const deployTargetRequest = renderRequest.extend({ context: contextName });

export const objectDiff = z.object({
  ref: objectRef,
  action: z.enum(['create', 'update', 'unchanged']),
  /** Unified diff of the live object against the dry-run result (server-owned fields removed); empty on create. */
  diff: z.string(),
  /**
   * On create: unified diff of the object as sent → as the server's dry run returns it (server-owned fields
   * removed), i.e. what schema defaults and mutating admission webhooks (Knative's) add. Empty on update, where
   * `diff` already compares live → after the dry run.
   */
  serverDefaults: z.string().default(''),
});
export const diffResponse = z.object({ objects: z.array(objectDiff) });

export const objectPhase = z.enum([
  'pending',
  'dry-run',
  'applying',
  'applied',
  'deleting',
  'deleted',
  'absent',
  /** Undeploy left it in place: it exists but is not labelled app.kubernetes.io/managed-by=knative-desk. */
  'skipped',
  'failed',
]);

export const deployEvent = z.discriminatedUnion('type', [
  /** The plan, first: every object in the order it will be handled. */
  z.object({ type: z.literal('plan'), objects: z.array(objectRef) }),
  z.object({
    type: z.literal('object'),
    ref: objectRef,
    phase: objectPhase,
    /** For applies: whether the object was created, changed or already as asked. */
    result: z.enum(['created', 'configured', 'unchanged', 'not-managed']).nullable(),
    error: errorEnvelope.nullable(),
  }),
  /** Last event: `ok` false when an object failed (the error names it); nothing after the failed one is applied. */
  z.object({ type: z.literal('done'), ok: z.boolean(), error: errorEnvelope.nullable() }),
]);
export type DeployEvent = z.infer<typeof deployEvent>;

export const undeployRequest = z.strictObject({
  context: contextName,
  templateId: id,
  namespace: k8sName,
  parameters: parameterValues,
  /** The same profiles as the deploy, so the Secrets they made are found and deleted too. */
  profiles: deployProfiles.optional(),
});

export const namespaceRequest = z.strictObject({ context: contextName, namespace: k8sName });
export const namespaceStatusResponse = z.object({
  /** null when the context may not read namespaces (a deploy then says itself whether it is missing). */
  exists: z.boolean().nullable(),
  /** Whether a SelfSubjectAccessReview allows creating it. */
  canCreate: z.boolean(),
});
