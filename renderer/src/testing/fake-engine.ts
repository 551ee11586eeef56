// A fake engine for component specs, made from the contract: every request and stream's params the screen sends is
// parsed with the contract's own schema (a screen that sends something the engine would refuse fails the spec), and
// every answer and event the spec supplies is parsed with the response/event schema (a fixture that drifts from the
// contract fails too). Data lives in memory in the handlers the spec gives; an operation without a handler fails
// like an engine bug would (code `internal`), so a screen calling something unexpected shows its error state.
// It stands in for the engine behind the transport (electron/backend + the preload or WebSocket client), which the
// e2e tests exercise for real.
import {
  contract,
  type EventOf,
  type OperationName,
  type RequestOf,
  type ResponseOf,
  type StreamName,
} from '../../../electron/common/contract';
import type { AnySpec, OperationSpec, StreamSpec } from '../../../electron/common/contract-kit';
import type { ErrorCode, ErrorDetails } from '../../../electron/common/errors';
import { toApiError } from '../engine/errors';
import type { EngineClient, StreamHandlers } from '../engine/engine-client';

type Answer<T> = T | Promise<T>;
export type OperationHandlers = {
  [K in OperationName]?: (request: RequestOf<K>) => Answer<ResponseOf<K>>;
};

interface Subscription {
  name: StreamName;
  params: unknown;
  handlers: StreamHandlers<unknown>;
  open: boolean;
}

export interface FakeEngine extends EngineClient {
  /** Every call the screen made, with the request as the engine would receive it (defaults applied). */
  readonly calls: { name: OperationName; request: unknown }[];
  callsOf<K extends OperationName>(name: K): RequestOf<K>[];
  /** Open subscriptions of a stream. */
  subscribers(name: StreamName): { params: unknown }[];
  /** Pushes an event to every open subscription of `name` (parsed with the contract's event schema). */
  emit<K extends StreamName>(name: K, event: EventOf<K>): void;
  /** Ends every open subscription of `name` with an error. */
  failStream(name: StreamName, code: ErrorCode, message: string): void;
  /** Replaces or adds handlers. */
  handle(more: OperationHandlers): void;
}

/** An engine error, as a handler throws it (e.g. `throw engineFailure('forbidden', …)`). */
export function engineFailure(code: ErrorCode, message: string, details: ErrorDetails = {}): Error {
  return toApiError({ code, message, details });
}

/** An answer that never comes: the screen stays in its loading state. */
export function never<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

function specOf(name: string): AnySpec {
  const spec = (contract as Record<string, AnySpec>)[name];
  if (!spec) throw new Error(`${name} is not in the contract`);
  return spec;
}

export function fakeEngine(initial: OperationHandlers = {}): FakeEngine {
  const handlers: OperationHandlers = { ...initial };
  const calls: { name: OperationName; request: unknown }[] = [];
  const subscriptions: Subscription[] = [];

  return {
    calls,
    callsOf: <K extends OperationName>(name: K) =>
      calls.filter((call) => call.name === name).map((call) => call.request as RequestOf<K>),
    subscribers: (name) =>
      subscriptions.filter((s) => s.name === name && s.open).map(({ params }) => ({ params })),
    handle: (more) => Object.assign(handlers, more),

    async call(name, request) {
      const spec = specOf(name) as OperationSpec;
      // A request the contract refuses is the screen's bug: throw it as such rather than as an engine error.
      const parsed: unknown = spec.request.parse(request);
      calls.push({ name, request: parsed });
      const handler = handlers[name] as ((request: unknown) => Answer<unknown>) | undefined;
      if (!handler) throw engineFailure('internal', `the fake engine has no handler for ${name}`);
      return spec.response.parse(await handler(parsed)) as never;
    },

    subscribe(name, params, streamHandlers) {
      const spec = specOf(name) as StreamSpec;
      const subscription: Subscription = {
        name,
        params: spec.params.parse(params),
        handlers: streamHandlers as StreamHandlers<unknown>,
        open: true,
      };
      subscriptions.push(subscription);
      return () => {
        subscription.open = false;
      };
    },

    emit(name, event) {
      const parsed: unknown = (specOf(name) as StreamSpec).event.parse(event);
      for (const s of subscriptions) if (s.name === name && s.open) s.handlers.onEvent(parsed);
    },

    failStream(name, code, message) {
      for (const s of subscriptions) {
        if (s.name !== name || !s.open) continue;
        s.open = false;
        s.handlers.onError?.(toApiError({ code, message, details: {} }));
      }
    },
  };
}
