// Tests' shorthand over the renderer's one client (renderer/src/engine/engine-client.ts): `api.<domain>.<verb>` for
// every entry of the contract, walked from the contract itself, so `api.clusters.list({})` is
// `client.call('clusters:list', {})` and a stream call returns an unsubscribe with a `done` promise that settles
// when a finite stream ends (rejects with its ApiError). Only a view: requests still pass the client's contract
// validation, and the screens use the client directly.
import { perContractEntry } from '../../electron/common/contract';
import type * as C from '../../electron/common/contract';
import type { EngineClient } from '../../renderer/src/engine/engine-client';
import type { ApiError } from '../../renderer/src/engine/errors';

/** What a stream call returns: call it to unsubscribe. `done` settles when the stream ends (finite streams). */
export interface Subscription {
  (): void;
  /** Resolves when the stream ends by itself, rejects with an ApiError when it fails; stays pending if unsubscribed. */
  readonly done: Promise<void>;
}

export interface StreamOptions {
  /** The stream ended by itself (error null) or failed. */
  onEnd?: (error: ApiError | null) => void;
}

type DomainOf<K extends string> = K extends `${infer D}:${string}` ? D : never;
type VerbOf<K extends string> = K extends `${string}:${infer V}` ? V : never;

type ClientFunction<K extends keyof C.Contract> = K extends C.OperationName
  ? (request: C.RequestInput<K>) => Promise<C.ResponseOf<K>>
  : K extends C.StreamName
    ? (
        params: C.ParamsInput<K>,
        onEvent: (event: C.EventOf<K>) => void,
        options?: StreamOptions,
      ) => Subscription
    : never;

/** `api.<domain>.<verb>` for every entry of the contract. */
export type Api = {
  [D in DomainOf<keyof C.Contract>]: {
    [K in keyof C.Contract as DomainOf<K> extends D ? VerbOf<K> : never]: ClientFunction<K>;
  };
};

type LooseClient = {
  call(name: string, request: unknown): Promise<unknown>;
  subscribe(
    name: string,
    params: unknown,
    handlers: { onEvent: (event: unknown) => void; onError?: (error: ApiError) => void; onEnd?: () => void },
  ): () => void;
};

export function contractApi(client: EngineClient): Api {
  const loose = client as unknown as LooseClient;
  const api = perContractEntry(
    (name) => (request: unknown) => loose.call(name, request),
    (name) =>
      (params: unknown, onEvent: (event: unknown) => void, options: StreamOptions = {}): Subscription => {
        let settle: { resolve: () => void; reject: (error: ApiError) => void } | undefined;
        const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
        // Nobody is obliged to await `done`; an unobserved rejection must not surface as an unhandled error.
        done.catch(() => {});
        const unsubscribe = loose.subscribe(name, params, {
          onEvent,
          onError: (error) => {
            options.onEnd?.(error);
            settle?.reject(error);
          },
          onEnd: () => {
            options.onEnd?.(null);
            settle?.resolve();
          },
        });
        return Object.assign(() => unsubscribe(), { done });
      },
  );
  return api as unknown as Api;
}
