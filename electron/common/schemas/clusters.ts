// Clusters: kubeconfig sources, contexts, namespaces, and the per-context reachability/permission check.
import { z } from 'zod';
import { errorEnvelope } from '../errors';
import { contextName, empty, k8sName } from './primitives';

export const kubeconfigSource = z.object({
  /** `default` = the $KUBECONFIG / ~/.kube/config chain, `file` = a file the user added, `playground` = the local one. */
  kind: z.enum(['default', 'file', 'playground']),
  path: z.string(),
  /** Set when the file could not be read or parsed; its contexts are then missing from the list. */
  error: z.string().nullable(),
});

export const kubeContext = z.object({
  name: contextName,
  cluster: z.string(),
  user: z.string(),
  server: z.string(),
  namespace: z.string().nullable(),
  /** Path of the kubeconfig file that defines it. */
  source: z.string(),
  sourceKind: kubeconfigSource.shape.kind,
  /** The command line its user runs for credentials (exec plugin or auth-provider), or null. */
  credentialCommand: z.string().nullable().default(null),
  /** False until the user confirmed that command for this file's current content; nothing runs before. */
  credentialCommandConfirmed: z.boolean().default(true),
});
export type KubeContext = z.infer<typeof kubeContext>;

export const clustersListResponse = z.object({
  sources: z.array(kubeconfigSource),
  contexts: z.array(kubeContext),
  /** The context the engine suggests opening first (the playground's admin context when it runs). */
  suggested: z.string().nullable(),
});

export const confirmCredentialCommandsRequest = z.strictObject({
  /** The kubeconfig file (one of the sources) whose credential commands the user confirmed. */
  source: z.string().min(1).max(4096),
});

export const addKubeconfigRequest = z.strictObject({ path: z.string().min(1).max(4096) });

/** One SelfSubjectAccessReview made by the check. */
export const accessCheck = z.object({
  verb: z.string(),
  group: z.string(),
  resource: z.string(),
  namespace: z.string().nullable(),
  allowed: z.boolean(),
  reason: z.string().nullable(),
});

export const clusterCheckRequest = z.strictObject({
  context: contextName,
  /** Namespace the UI is about to use; when absent the checks are cluster-wide. */
  namespace: k8sName.optional(),
});

export const clusterCheckResponse = z.object({
  context: z.string(),
  namespace: z.string().nullable(),
  reachable: z.boolean(),
  serverVersion: z.string().nullable(),
  /**
   * What the UI says in one word: `read-write` (can deploy), `read-only` (can list/watch, cannot deploy),
   * `no-access` (reachable but may not even list Knative Services), `unreachable`.
   */
  access: z.enum(['read-write', 'read-only', 'no-access', 'unreachable']),
  /** A sentence for the UI ("Read-only: you may list Services but not create them in demo."). */
  summary: z.string(),
  checks: z.array(accessCheck),
  /** Why it is unreachable (or why the review itself failed). */
  error: errorEnvelope.nullable(),
});
export type ClusterCheck = z.infer<typeof clusterCheckResponse>;

export const namespacesRequest = z.strictObject({ context: contextName });
export const namespacesResponse = z.object({
  namespaces: z.array(
    z.object({ name: z.string(), phase: z.string().nullable(), createdAt: z.string().nullable() }),
  ),
});

/** A gateway address as typed: `http(s)://host[:port]`, nothing after it. */
const gatewayAddress = z
  .string()
  .trim()
  .max(2048)
  .regex(/^https?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/, 'must be http(s)://host[:port]')
  .transform((address) => address.replace(/\/$/, ''));

export const gatewayRequest = z.strictObject({
  context: contextName,
  /** Ask the cluster again rather than use what was discovered in the last minute. */
  refresh: z.boolean().optional(),
});
export const setGatewayRequest = z.strictObject({
  context: contextName,
  /** Null forgets the typed address (discovery, or the playground's own, applies again). */
  address: gatewayAddress.nullable(),
});
/** Where the console sends a context's cluster-local Service URLs (with the Service's Host), and why there. */
export const gatewayInfo = z.object({
  context: z.string(),
  /** The address used now, or null when none is known (requests then go to the URL itself). */
  address: z.string().nullable(),
  source: z.enum(['typed', 'playground', 'discovered', 'none']),
  /** The address the user typed for this context, if any (it wins over the rest). */
  typed: z.string().nullable(),
  /** What discovery from config-network found, or why nothing; null on the playground's context. */
  discovered: z.object({ address: z.string().nullable(), reason: z.string() }).nullable(),
});
export type GatewayInfo = z.infer<typeof gatewayInfo>;

export const clustersEmpty = empty;
