// The typed client: built by walking the contract (never a hand-written list), so `api.clusters.list({})` and
// `api.workloads.watch(params, onEvent)` exist exactly when the contract says so, with its types. Requests are
// checked against the contract's schemas before they leave, so a bad form value fails here with a
// ValidationError that names the field, without a round trip.
import type { z } from 'zod';
import { contract, splitName } from '../../../electron/common/contract';
import type {
  Contract,
  EventOf,
  OperationName,
  ParamsInput,
  RequestInput,
  ResponseOf,
  StreamName,
} from '../../../electron/common/contract';
import type { ErrorEnvelope } from '../../../electron/common/errors';
import type { ApiError } from './errors';
import { toApiError } from './errors';
import type { Transport } from './transport';

/** What a stream call returns: call it to unsubscribe. `done` settles when the stream ends (finite streams). */
export interface Subscription {
  (): void;
  /** Resolves when the stream ends by itself, rejects with an ApiError when it fails; stays pending if unsubscribed. */
  readonly done: Promise<void>;
}

export interface StreamOptions<E> {
  /** Every batch as it arrived (charts append a batch at once); called before the per-event `onEvent`s. */
  onBatch?: (events: E[]) => void;
  /** The stream ended by itself (error null) or failed. */
  onEnd?: (error: ApiError | null) => void;
}

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K extends string> = K extends `${string}:${infer V}` ? V : never;

type ClientFunction<K extends keyof Contract> = K extends OperationName
  ? (request: RequestInput<K>) => Promise<ResponseOf<K>>
  : K extends StreamName
    ? (
        params: ParamsInput<K>,
        onEvent: (event: EventOf<K>) => void,
        options?: StreamOptions<EventOf<K>>,
      ) => Subscription
    : never;

/** `api.<domain>.<verb>` for every entry of the contract. */
export type Api = {
  [D in DomainOf<keyof Contract>]: {
    [K in keyof Contract as DomainOf<K> extends D ? VerbOf<K> : never]: ClientFunction<K>;
  };
};

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

export function createClient(transport: Transport): Api {
  const api: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(contract)) {
    const [domain, verb] = splitName(name);
    const group = (api[domain] ??= {});
    if (spec.kind === 'operation') {
      group[verb] = async (request: unknown) => {
        const parsed = spec.request.safeParse(request ?? {});
        if (!parsed.success) throw invalidRequest(name, parsed.error);
        return transport.call(name, parsed.data);
      };
    } else {
      group[verb] = (
        params: unknown,
        onEvent: (event: unknown) => void,
        options: StreamOptions<unknown> = {},
      ): Subscription => {
        let settle: { resolve: () => void; reject: (error: ApiError) => void } | undefined;
        const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
        // Nobody is obliged to await `done`; an unobserved rejection must not surface as an unhandled error.
        done.catch(() => {});
        const parsed = spec.params.safeParse(params ?? {});
        if (!parsed.success) {
          const error = invalidRequest(name, parsed.error);
          queueMicrotask(() => {
            options.onEnd?.(error);
            settle?.reject(error);
          });
          return Object.assign(() => {}, { done });
        }
        const unsubscribe = transport.subscribe(
          name,
          parsed.data,
          (events) => {
            options.onBatch?.(events);
            for (const event of events) onEvent(event);
          },
          (envelope: ErrorEnvelope | null) => {
            const error = envelope ? toApiError(envelope) : null;
            options.onEnd?.(error);
            if (error) settle?.reject(error);
            else settle?.resolve();
          },
        );
        return Object.assign(() => unsubscribe(), { done });
      };
    }
  }
  return api as unknown as Api;
}
