// Errors from the engine arrive as plain envelopes; here they become real Error subclasses, so the UI can
// `instanceof` them, read `code` and `details` (Kubernetes Status reason and field causes), and show `message`.
import type { ErrorCode, ErrorDetails, ErrorEnvelope } from '../../../electron/common/errors';

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(envelope: ErrorEnvelope) {
    super(envelope.message);
    this.name = new.target.name;
    this.code = envelope.code;
    this.details = envelope.details ?? {};
  }

  /** Field-level messages ("spec.template…image: Required value"), for forms. */
  get fieldMessages(): string[] {
    return (this.details.causes ?? []).map((cause) =>
      cause.field ? `${cause.field}: ${cause.message}` : cause.message,
    );
  }

  toEnvelope(): ErrorEnvelope {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** The request did not match the contract, or the server rejected the object (422): see `fieldMessages`. */
export class ValidationError extends ApiError {}
/** 401/403: e.g. the read-only viewer context trying to deploy. */
export class PermissionError extends ApiError {}
export class NotFoundError extends ApiError {}
export class ConflictError extends ApiError {}
/** The engine, cluster, broker or endpoint could not be reached (or timed out). */
export class UnreachableError extends ApiError {}
/** A profile, the playground or another prerequisite is missing. */
export class PreconditionError extends ApiError {}
export class CancelledError extends ApiError {}
/** Remote failures without a more precise class, and engine bugs. */
export class RemoteError extends ApiError {}

const classByCode: Record<ErrorCode, new (envelope: ErrorEnvelope) => ApiError> = {
  'invalid-request': ValidationError,
  invalid: ValidationError,
  'unknown-operation': ValidationError,
  unauthorized: PermissionError,
  forbidden: PermissionError,
  'not-found': NotFoundError,
  conflict: ConflictError,
  unreachable: UnreachableError,
  timeout: UnreachableError,
  precondition: PreconditionError,
  cancelled: CancelledError,
  remote: RemoteError,
  internal: RemoteError,
};

export function toApiError(envelope: ErrorEnvelope): ApiError {
  const ErrorClass = classByCode[envelope.code] ?? RemoteError;
  return new ErrorClass(envelope);
}
