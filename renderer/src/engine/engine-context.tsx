// Hands the EngineClient to every screen, plus two hooks that cover what screens do with it: load something once
// (with loading/error/reload) and hold a stream open while a component is mounted.
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type * as C from '../../../electron/common/contract';
import { toEngineError, type EngineClient, type EngineError } from './engine-client';
import { useRestart } from './use-restart';

const EngineContext = createContext<EngineClient | null>(null);

export function EngineProvider({ client, children }: { client: EngineClient; children: ReactNode }) {
  return <EngineContext.Provider value={client}>{children}</EngineContext.Provider>;
}

export function useEngine(): EngineClient {
  const client = useContext(EngineContext);
  if (!client) throw new Error('useEngine() outside <EngineProvider>');
  return client;
}

export interface OperationState<T> {
  data: T | null;
  error: EngineError | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Calls `name` with `request` when `key` changes (pass null to skip). `key` is a string so callers decide what a
 * "different request" is without deep-comparing objects on every render.
 */
export function useOperation<K extends C.OperationName>(
  name: K,
  request: C.RequestInput<K> | null,
  key: string | null,
): OperationState<C.ResponseOf<K>> {
  const engine = useEngine();
  const [state, setState] = useState<{
    data: C.ResponseOf<K> | null;
    error: EngineError | null;
    loading: boolean;
  }>({
    data: null,
    error: null,
    loading: key !== null,
  });
  const [generation, reload] = useRestart();
  const requestRef = useRef(request);
  requestRef.current = request;

  useEffect(() => {
    if (key === null || requestRef.current === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true, error: null }));
    engine.call(name, requestRef.current).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) => current && setState({ data: null, error: toEngineError(error), loading: false }),
    );
    return () => {
      current = false;
    };
  }, [engine, name, key, generation]);

  return { ...state, reload };
}

/**
 * Holds the stream `name` open while the component is mounted and `key` stays the same (pass null to hold none).
 * `onEvent`/`onError`/`onEnd` may change on every render: the latest ones are called, without re-subscribing. A
 * finite run started by a click is a stream keyed by that run (e.g. `run-3`), so leaving the screen stops it too.
 */
export function useStream<K extends C.StreamName>(
  name: K,
  params: C.ParamsInput<K> | null,
  key: string | null,
  onEvent: (event: C.EventOf<K>) => void,
  onError?: (error: EngineError) => void,
  /** A finite stream ended by itself. */
  onEnd?: () => void,
): void {
  const engine = useEngine();
  const paramsRef = useRef(params);
  paramsRef.current = params;
  const handlers = useRef({ onEvent, onError, onEnd });
  handlers.current = { onEvent, onError, onEnd };
  useEffect(() => {
    if (key === null || paramsRef.current === null) return;
    return engine.subscribe(name, paramsRef.current, {
      onEvent: (event) => handlers.current.onEvent(event),
      onError: (error) => handlers.current.onError?.(error),
      onEnd: () => handlers.current.onEnd?.(),
    });
  }, [engine, name, key]);
}
