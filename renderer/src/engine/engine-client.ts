// The renderer's one client stack: `createEngineClient(transport)` gives what every screen uses, one typed call and
// one typed subscription named by the contract (`engine.call('clusters:list', {})`). Types come only from
// electron/common/contract; requests and stream params are checked against the contract's zod schemas before they
// leave, so a bad form value fails here with a ValidationError that names the field, without a round trip. Screens
// get the client through EngineProvider/useEngine (engine-context.tsx), so a spec or the bench page can hand them a
// fake engine (renderer/src/testing/fake-engine.ts) with the same interface.
import type { z } from 'zod';
import { contract, isContractName } from '../../../electron/common/contract';
import type * as C from '../../../electron/common/contract';
import type { ErrorCode, ErrorEnvelope } from '../../../electron/common/errors';
import { ApiError, toApiError } from './errors';
import type { Transport } from './transport';

/** Engine failures are the typed client's ApiError (code, message, details with field causes). */
export type EngineError = ApiError;

export interface StreamHandlers<Event> {
  onEvent: (event: Event) => void;
  /** The stream failed; no more events follow. */
  onError?: (error: EngineError) => void;
  /** The stream ended by itself (finite streams). */
  onEnd?: () => void;
}

export interface EngineClient {
  call<K extends C.OperationName>(name: K, request: C.RequestInput<K>): Promise<C.ResponseOf<K>>;
  /** Opens a stream; the returned function unsubscribes (for barrage:send that stops the load). */
  subscribe<K extends C.StreamName>(
    name: K,
    params: C.ParamsInput<K>,
    handlers: StreamHandlers<C.EventOf<K>>,
  ): () => void;
}

function invalidRequest(name: string, error: z.ZodError): ApiError {
  return toApiError({
    code: 'invalid-request',
    message: `${name}: ${error.issues.map((issue) => `${issue.path.join('.') || '(request)'}: ${issue.message}`).join('; ')}`,
    details: {
      operation: name,
      causes: error.issues.map((issue) => ({
        field: issue.path.join('.'),
        reason: issue.code,
        message: issue.message,
      })),
    },
  });
}

function specOf(name: string) {
  if (!isContractName(name)) throw new Error(`The contract has no ${name}.`);
  return contract[name];
}

/** The client over a transport (the window's, see window-transport.ts, or a test's loopback). */
export function createEngineClient(transport: Transport): EngineClient {
  return {
    call: async (name, request) => {
      const spec = specOf(name);
      if (spec.kind !== 'operation') throw new Error(`${name} is a stream, not an operation.`);
      const parsed = spec.request.safeParse(request ?? {});
      if (!parsed.success) throw invalidRequest(name, parsed.error);
      return (await transport.call(name, parsed.data)) as never;
    },
    subscribe: (name, params, handlers) => {
      const spec = specOf(name);
      if (spec.kind !== 'stream') throw new Error(`${name} is an operation, not a stream.`);
      const parsed = spec.params.safeParse(params ?? {});
      if (!parsed.success) {
        const error = invalidRequest(name, parsed.error);
        let open = true;
        // Asynchronously, as a transport reports its failures: the caller has stored the unsubscribe by then.
        queueMicrotask(() => open && handlers.onError?.(error));
        return () => {
          open = false;
        };
      }
      return transport.subscribe(
        name,
        parsed.data,
        (events) => {
          for (const event of events) handlers.onEvent(event as never);
        },
        (envelope: ErrorEnvelope | null) =>
          envelope ? handlers.onError?.(toApiError(envelope)) : handlers.onEnd?.(),
      );
    },
  };
}

/** Any thrown value → an ApiError, keeping code/details when the value carries them. */
export function toEngineError(error: unknown): EngineError {
  if (error instanceof ApiError) return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string') {
    const candidate = error as { code?: unknown; message: string; details?: unknown };
    return toApiError({
      code: (typeof candidate.code === 'string' ? candidate.code : 'internal') as ErrorCode,
      message: candidate.message,
      details: candidate.details && typeof candidate.details === 'object' ? candidate.details : {},
    });
  }
  return toApiError({ code: 'internal', message: String(error), details: {} });
}

/** Field causes of an error whose field names one of `fieldNames`, by field; the rest stay general. */
export function causesByField(
  error: EngineError | null,
  fieldNames: readonly string[],
): { byField: Record<string, string>; general: string[] } {
  const byField: Record<string, string> = {};
  const general: string[] = [];
  for (const cause of error?.details.causes ?? []) {
    const field = cause.field ? matchField(cause.field, fieldNames) : undefined;
    if (field) byField[field] = byField[field] ? `${byField[field]}; ${cause.message}` : cause.message;
    else general.push(cause.field ? `${cause.field}: ${cause.message}` : cause.message);
  }
  return { byField, general };
}

/** A cause field such as `parameters.processingMaxScale` or `processingMaxScale` → the form field it concerns. */
function matchField(causeField: string, fieldNames: readonly string[]): string | undefined {
  const segments = causeField.split(/[.[\]]/).filter(Boolean);
  return fieldNames.find((name) => segments.includes(name));
}

/** An error as the state views show it: message, code, and any field causes as extra lines. */
export function describeError(error: EngineError): { message: string; code: string; details: string[] } {
  return { message: error.message, code: error.code, details: error.fieldMessages };
}
