// Whether the engine answering now is another one than the UI first met: each engine start has its own id, sent
// on every (re-)subscription to app:engine. A different id means it restarted; the UI says so once per restart.
import type { EventOf } from '../../../electron/common/contract';

type Hello = EventOf<'app:engine'>;

export interface EngineIdentity {
  /** The id of the engine currently answering (null before the first hello). */
  engineId: string | null;
  /** Set when the engine changed under the UI; cleared when the user dismisses the notice. */
  restartedAt: number | null;
}

export const initialEngineIdentity: EngineIdentity = { engineId: null, restartedAt: null };

export function onEngineHello(state: EngineIdentity, hello: Hello): EngineIdentity {
  if (state.engineId === null || state.engineId === hello.engineId) {
    return { ...state, engineId: hello.engineId };
  }
  return { engineId: hello.engineId, restartedAt: hello.startedAt };
}
