// The banner the console shows after its engine restarted (the desktop shell restarts a dead engine; web mode's
// server may come back): calls in flight at the time failed with a clear error, open views re-subscribed.
import { useState } from 'react';
import { useStream } from '../engine/engine-context';
import { initialEngineIdentity, onEngineHello } from './engine-restart';

export function EngineRestartBanner() {
  const [identity, setIdentity] = useState(initialEngineIdentity);
  useStream('app:engine', {}, 'app:engine', (hello) => setIdentity((state) => onEngineHello(state, hello)));
  if (identity.restartedAt === null) return null;
  return (
    <div className="banner warn" role="alert" data-testid="engine-restarted">
      The engine restarted at {new Date(identity.restartedAt).toLocaleTimeString()}. Open views reconnected;
      an action that was running when it stopped failed and can be tried again.{' '}
      <button
        type="button"
        className="btn"
        onClick={() => setIdentity((state) => ({ ...state, restartedAt: null }))}
      >
        Dismiss
      </button>
    </div>
  );
}
