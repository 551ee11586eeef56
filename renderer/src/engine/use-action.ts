// A user action that calls the engine (a form submit, a button): its result, its failure as an EngineError and
// whether it is running, so a panel does not write the same setError/try/catch/finally around every call.
import { useCallback, useState } from 'react';
import { toEngineError, type EngineError } from './engine-client';

export interface Action<T> {
  result: T | null;
  error: EngineError | null;
  busy: boolean;
  /** Clears the previous result and error, runs `work`, keeps what it gave; resolves null when it failed. */
  run: (work: () => Promise<T>) => Promise<T | null>;
  /** A failure found before calling the engine (a field that does not parse), shown like the engine's. */
  fail: (error: EngineError) => void;
}

export function useAction<T>(): Action<T> {
  const [state, setState] = useState<{ result: T | null; error: EngineError | null; busy: boolean }>({
    result: null,
    error: null,
    busy: false,
  });
  const run = useCallback(async (work: () => Promise<T>) => {
    setState({ result: null, error: null, busy: true });
    try {
      const result = await work();
      setState({ result, error: null, busy: false });
      return result;
    } catch (caught) {
      setState({ result: null, error: toEngineError(caught), busy: false });
      return null;
    }
  }, []);
  const fail = useCallback((error: EngineError) => setState({ result: null, error, busy: false }), []);
  return { ...state, run, fail };
}
