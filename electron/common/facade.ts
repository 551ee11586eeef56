// The shape the Electron preload exposes as `window.knativeDesk`, derived from the contract: one function per
// operation and one per stream, nested as `facade.<domain>.<verb>`. Results come back settled (`{ok, value}` or
// `{ok: false, error}`) because an Error thrown through the context bridge loses its code and details; the
// renderer's client turns the envelope back into a real Error.
import type {
  Contract,
  EventOf,
  OperationName,
  ParamsInput,
  RequestInput,
  ResponseOf,
  StreamName,
} from './contract';
import type { ErrorEnvelope } from './errors';
import type { Settled } from './wire';

/** The global name the preload exposes the facade under. */
export const FACADE_GLOBAL = 'knativeDesk';

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K extends string> = K extends `${string}:${infer V}` ? V : never;

type FacadeFunction<K extends keyof Contract> = K extends OperationName
  ? (request: RequestInput<K>) => Promise<Settled<ResponseOf<K>>>
  : K extends StreamName
    ? (
        params: ParamsInput<K>,
        onEvents: (events: EventOf<K>[]) => void,
        onEnd: (error: ErrorEnvelope | null) => void,
      ) => () => void
    : never;

export type PreloadFacade = {
  [D in DomainOf<keyof Contract>]: {
    [K in keyof Contract as DomainOf<K> extends D ? VerbOf<K> : never]: FacadeFunction<K>;
  };
};
