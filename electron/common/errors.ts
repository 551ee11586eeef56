// The error envelope: how a failure crosses from the engine to the UI. It is plain data (it survives JSON,
// structured clone and Electron's context bridge), and the UI turns it back into a real Error (see
// renderer/src/engine/errors.ts). Kubernetes failures keep their Status reason and field causes so the UI can point at
// the offending field ("spec.template.spec.containers[0].image: Required value").
import { z } from 'zod';

export const errorCodes = [
  /** The request did not match the contract (bad or missing fields). */
  'invalid-request',
  /** No such operation or stream in the contract. */
  'unknown-operation',
  /** 401: the credentials were refused. */
  'unauthorized',
  /** 403: authenticated but not allowed (e.g. the read-only viewer context deploying). */
  'forbidden',
  /** 404 */
  'not-found',
  /** 409: conflict (field manager conflict on apply, already exists). */
  'conflict',
  /**
   * The server validated the object and rejected it: a 422 from the schema, or an admission webhook's denial
   * (`details.webhook`, Knative answers 400); `details.causes` names the fields.
   */
  'invalid',
  /** Connection refused, DNS, TLS: the cluster/broker/endpoint could not be reached. */
  'unreachable',
  'timeout',
  /** The operation was stopped by the caller. */
  'cancelled',
  /** A profile, playground or other prerequisite is not set up. */
  'precondition',
  /** Any other failure of a remote service. */
  'remote',
  /** A bug in the engine; the message is still meant for a person. */
  'internal',
] as const;
export const errorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCode>;

/** One field-level cause, as in a Kubernetes `Status.details.causes` entry or a zod issue. */
export const errorCause = z.object({
  field: z.string().optional(),
  reason: z.string().optional(),
  message: z.string(),
});
export type ErrorCause = z.infer<typeof errorCause>;

export const errorDetails = z.object({
  /** HTTP status when the failure came from an HTTP API. */
  httpStatus: z.number().int().optional(),
  /** Kubernetes `Status.reason` (Forbidden, Conflict, Invalid, NotFound, AlreadyExists, Expired…) or an FC ErrorCode. */
  reason: z.string().optional(),
  /** The object the failure is about. */
  kind: z.string().optional(),
  name: z.string().optional(),
  namespace: z.string().optional(),
  causes: z.array(errorCause).optional(),
  /** The admission webhook that denied the request (`validation.webhook.serving.knative.dev`). */
  webhook: z.string().optional(),
  /** The operation or stream that failed. */
  operation: z.string().optional(),
  /** Remote request id (FC `x-fc-request-id`) for support. */
  requestId: z.string().optional(),
});
export type ErrorDetails = z.infer<typeof errorDetails>;

export const errorEnvelope = z.object({
  code: errorCode,
  message: z.string(),
  details: errorDetails.default({}),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelope>;

/** Builds an envelope; `message` must read well on its own in the UI. */
export function envelope(code: ErrorCode, message: string, details: ErrorDetails = {}): ErrorEnvelope {
  return { code, message, details };
}
