// Runs a DeployRun against the engine: holds the stream of the part the reducer says is current (useStream, keyed by
// the run and the part, so one stream at a time) and lets it go when the screen goes away. `requestFor` is read when
// a part starts, so it sees the form as it was when the user pressed the button's render.
import { useEffect, useReducer, useRef } from 'react';
import type { ParamsInput } from '../../../../electron/common/contract';
import type { DeployEvent } from '../../../../electron/common/schemas/deploy';
import { toEngineError, type EngineError } from '../../engine/engine-client';
import { useStream } from '../../engine/engine-context';
import { currentPart, deployRunReducer, type DeployRun, type RunKind } from './deploy-run';

export type PartRequest = ParamsInput<'deploy:apply'>;

export function useDeployRun(requestFor: (part: string) => PartRequest | null): {
  run: DeployRun | null;
  start: (kind: RunKind, parts: readonly string[]) => void;
} {
  const [run, dispatch] = useReducer(deployRunReducer, null);
  const generation = useRef(0);

  const part = currentPart(run);
  const kind = run?.kind ?? 'apply';
  const key = part ? `${generation.current}:${run?.partIndex ?? -1}` : null;
  const request = part ? requestFor(part) : null;
  const requestRef = useRef(request);
  requestRef.current = request;
  useEffect(() => {
    if (!part || requestRef.current) return;
    const message = `${part}: some fields need attention first.`;
    dispatch({ type: 'error', error: toEngineError({ code: 'invalid-request', message, details: {} }) });
  }, [key, part]);

  // A part whose request is invalid holds no stream: the effect above ends the run with that error.
  const held = (wanted: RunKind) => (kind === wanted ? key : null);
  const onEvent = (event: DeployEvent) => dispatch({ type: 'event', event });
  const onError = (error: EngineError) => dispatch({ type: 'error', error });
  useStream('deploy:apply', request, held('apply'), onEvent, onError);
  useStream('deploy:undeploy', request, held('undeploy'), onEvent, onError);

  return {
    run,
    start: (runKind, parts) => {
      generation.current++;
      dispatch({ type: 'start', kind: runKind, parts });
    },
  };
}
