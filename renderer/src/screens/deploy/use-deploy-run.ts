// Runs a DeployRun against the engine: subscribes to the part the reducer says is current, one stream at a time,
// and unsubscribes when the screen goes away. `requestFor` is read when a part starts, so it sees the form as it
// was when the user pressed the button's render.
import { useEffect, useReducer, useRef } from 'react';
import type { ParamsInput } from '../../../../electron/common/contract';
import { toEngineError } from '../../engine/engine-client';
import { useEngine } from '../../engine/engine-context';
import { currentPart, deployRunReducer, type DeployRun, type RunKind } from './deploy-run';

export type PartRequest = ParamsInput<'deploy:apply'>;

export function useDeployRun(requestFor: (part: string) => PartRequest | null): {
  run: DeployRun | null;
  start: (kind: RunKind, parts: readonly string[]) => void;
} {
  const engine = useEngine();
  const [run, dispatch] = useReducer(deployRunReducer, null);
  const requestForRef = useRef(requestFor);
  requestForRef.current = requestFor;
  const generation = useRef(0);
  const subscribed = useRef<string | null>(null);
  const unsubscribe = useRef<(() => void) | null>(null);
  useEffect(() => () => unsubscribe.current?.(), []);

  const part = currentPart(run);
  const partIndex = run?.partIndex ?? -1;
  const kind = run?.kind ?? 'apply';
  useEffect(() => {
    if (!part) return;
    const key = `${generation.current}:${partIndex}`;
    if (subscribed.current === key) return;
    subscribed.current = key;
    const request = requestForRef.current(part);
    if (!request) {
      const message = `${part}: some fields need attention first.`;
      dispatch({ type: 'error', error: toEngineError({ code: 'invalid-request', message, details: {} }) });
      return;
    }
    unsubscribe.current?.();
    unsubscribe.current = engine.subscribe(kind === 'apply' ? 'deploy:apply' : 'deploy:undeploy', request, {
      onEvent: (event) => dispatch({ type: 'event', event }),
      onError: (error) => dispatch({ type: 'error', error }),
      onEnd: () => {},
    });
  }, [engine, part, partIndex, kind]);

  return {
    run,
    start: (runKind, parts) => {
      generation.current++;
      dispatch({ type: 'start', kind: runKind, parts });
    },
  };
}
