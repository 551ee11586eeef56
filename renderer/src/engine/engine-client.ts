// What the screens need from the engine: one typed call and one typed subscription, both named by the contract.
// Screens depend on this narrow interface rather than on `api.<domain>.<verb>` directly so a screen can be
// rendered against a fake engine in a unit test or a bench page; `engineFromApi` adapts the real typed client.
import { splitName } from '../../../electron/common/contract';
import type {
  EventOf,
  OperationName,
  ParamsInput,
  RequestInput,
  ResponseOf,
  StreamName,
} from '../../../electron/common/contract';
import type { ErrorCode } from '../../../electron/common/errors';
import type { Api } from '../api/client';
import { ApiError, toApiError } from '../api/errors';

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
  call<K extends OperationName>(name: K, request: RequestInput<K>): Promise<ResponseOf<K>>;
  /** Opens a stream; the returned function unsubscribes (for barrage:send that stops the load). */
  subscribe<K extends StreamName>(
    name: K,
    params: ParamsInput<K>,
    handlers: StreamHandlers<EventOf<K>>,
  ): () => void;
}

type LooseApi = Record<string, Record<string, (...args: unknown[]) => unknown>>;

export function engineFromApi(api: Api): EngineClient {
  const loose = api as unknown as LooseApi;
  const lookup = (name: string) => {
    const [domain, verb] = splitName(name);
    const fn = loose[domain]?.[verb];
    if (!fn) throw new Error(`The engine client has no ${name}.`);
    return fn;
  };
  return {
    call: (name, request) => lookup(name)(request) as Promise<never>,
    subscribe: (name, params, handlers) =>
      lookup(name)(params, handlers.onEvent, {
        onEnd: (error: ApiError | null) => (error ? handlers.onError?.(error) : handlers.onEnd?.()),
      }) as () => void,
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
