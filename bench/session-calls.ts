// Engine operations called straight through an EngineSession, as a transport would deliver them but without one,
// so a bench times the engine's own work: each call resolves when the session answers `result` and rejects with the
// whole message on `failure`.
import type { Engine } from '../electron/backend/engine';
import { EngineSession } from '../electron/backend/rpc/session';

export interface SessionCalls {
  call(name: string, payload: unknown): Promise<void>;
  close(): void;
}

export function sessionCalls(engine: Engine): SessionCalls {
  const replies = new Map<number, (message: { t: string }) => void>();
  const session = new EngineSession(engine.handlers, (message) =>
    replies.get(message.t === 'result' || message.t === 'failure' ? message.id : -1)?.(message),
  );
  let id = 1;
  return {
    call: (name, payload) =>
      new Promise<void>((resolve, reject) => {
        const callId = id++;
        replies.set(callId, (message) => {
          replies.delete(callId);
          if (message.t === 'result') resolve();
          else reject(new Error(JSON.stringify(message)));
        });
        session.receive({ t: 'call', id: callId, name, payload });
      }),
    close: () => session.close(),
  };
}
