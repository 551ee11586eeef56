// Turns whatever a handler threw into the contract's error envelope: Kubernetes Status (reason + field causes),
// zod issues, Node network errors, FC and Kafka errors. Messages are written for a person reading the UI; secrets
// never appear in them (errors carry names and reasons, not request bodies).
import { ZodError } from 'zod';
import { envelope } from '../common/errors';
import type { ErrorCode, ErrorDetails, ErrorEnvelope } from '../common/errors';
import { webhookDenialOf } from './webhook-denial';

/** Whether @kubernetes/client-node answered 404 (its ApiException carries the HTTP status as `code`). */
export const isKubeNotFound = (error: unknown): boolean => (error as { code?: number }).code === 404;

/** An error the engine raises on purpose, with the code the UI should see. */
export class EngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

const codeByHttpStatus: Record<number, ErrorCode> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  410: 'conflict',
  422: 'invalid',
  408: 'timeout',
  504: 'timeout',
};

const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

interface KubeStatus {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    kind?: string;
    causes?: { field?: string; reason?: string; message?: string }[];
  };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** @kubernetes/client-node's ApiException carries `code` and a `body` that is the Status (object or JSON text). */
function kubeStatusOf(error: Record<string, unknown>): KubeStatus | undefined {
  let body = error.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const status = asRecord(body);
  return status && status.kind === 'Status' ? (status as KubeStatus) : undefined;
}

function fromKubeStatus(
  status: KubeStatus,
  httpStatus: number | undefined,
  operation?: string,
): ErrorEnvelope {
  // An admission webhook's denial (Knative answers 400) is the server validating the object, like a schema's 422:
  // the same code, with causes read from its message.
  const denial = status.message ? webhookDenialOf(status.message) : null;
  const code = denial ? 'invalid' : (codeByHttpStatus[status.code ?? httpStatus ?? 0] ?? 'remote');
  const causes = [
    ...(status.details?.causes ?? []).map((cause) => ({
      field: cause.field,
      reason: cause.reason,
      message: cause.message ?? cause.reason ?? 'invalid',
    })),
    ...(denial?.causes ?? []),
  ];
  return envelope(code, status.message ?? status.reason ?? `Kubernetes answered ${httpStatus}`, {
    httpStatus: status.code ?? httpStatus,
    reason: status.reason,
    kind: status.details?.kind,
    name: status.details?.name,
    ...(denial ? { webhook: denial.webhook } : {}),
    ...(causes.length > 0 ? { causes } : {}),
    ...(operation ? { operation } : {}),
  });
}

export function zodToEnvelope(error: ZodError, what: string): ErrorEnvelope {
  const causes = error.issues.slice(0, 50).map((issue) => ({
    field: issue.path.map(String).join('.') || undefined,
    reason: issue.code,
    message: issue.message,
  }));
  const summary = causes
    .slice(0, 3)
    .map((cause) => (cause.field ? `${cause.field}: ${cause.message}` : cause.message))
    .join('; ');
  return envelope('invalid-request', `Invalid ${what}: ${summary}`, { causes, operation: what });
}

export function toEnvelope(error: unknown, operation?: string): ErrorEnvelope {
  const withOperation = (details: ErrorDetails): ErrorDetails =>
    operation ? { ...details, operation } : details;
  if (error instanceof EngineError) return envelope(error.code, error.message, withOperation(error.details));
  if (error instanceof ZodError) return zodToEnvelope(error, operation ?? 'request');
  const record = asRecord(error);
  if (!record) return envelope('internal', String(error), withOperation({}));
  const message = typeof record.message === 'string' ? record.message : String(error);

  const status = kubeStatusOf(record);
  const httpStatus = typeof record.code === 'number' ? record.code : undefined;
  if (status) return fromKubeStatus(status, httpStatus, operation);
  if (httpStatus && httpStatus >= 400) {
    return envelope(codeByHttpStatus[httpStatus] ?? 'remote', message, withOperation({ httpStatus }));
  }
  if (record.name === 'AbortError') return envelope('cancelled', 'Stopped.', withOperation({}));

  // Node system errors, possibly wrapped (fetch puts them in `cause`).
  const cause = asRecord(record.cause);
  const systemCode = [record.code, cause?.code].find((code) => typeof code === 'string') as
    string | undefined;
  if (systemCode && networkCodes.has(systemCode)) {
    return envelope(
      'unreachable',
      `Cannot reach it (${systemCode}): ${message}`,
      withOperation({ reason: systemCode }),
    );
  }
  if (
    systemCode === 'ETIMEDOUT' ||
    systemCode === 'UND_ERR_CONNECT_TIMEOUT' ||
    record.name === 'TimeoutError'
  ) {
    return envelope('timeout', `Timed out: ${message}`, withOperation({ reason: systemCode }));
  }
  if (systemCode === 'ENOENT' || systemCode === 'EACCES') {
    return envelope('not-found', message, withOperation({ reason: systemCode }));
  }
  // kafkajs: KafkaJSConnectionError / KafkaJSNumberOfRetriesExceeded wrap connection failures.
  if (typeof record.name === 'string' && record.name.startsWith('KafkaJS')) {
    const unreachable = /Connection|NumberOfRetriesExceeded|BrokerNotFound|Timeout/.test(record.name);
    return envelope(
      unreachable ? 'unreachable' : 'remote',
      `Kafka: ${message}`,
      withOperation({ reason: record.name }),
    );
  }
  return envelope('internal', message, withOperation({}));
}
