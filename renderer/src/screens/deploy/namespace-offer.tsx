// A namespace typed on Connect that does not exist yet: say so before a deploy fails with "namespaces not found",
// and offer to create it when the context may (a SelfSubjectAccessReview says so); otherwise say who can.
import { useState } from 'react';
import { ErrorState } from '../../components/state-views';
import { describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine, useOperation } from '../../engine/engine-context';
import { BusyButton } from '../../components/busy-button';

export function NamespaceOffer({ context, namespace }: { context: string; namespace: string }) {
  const engine = useEngine();
  const status = useOperation('deploy:namespace', { context, namespace }, `ns:${context}:${namespace}`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  if (!status.data || status.data.exists !== false) return null;

  async function create(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await engine.call('deploy:createNamespace', { context, namespace });
      status.reload();
    } catch (e) {
      setError(toEngineError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="state warn" role="status" data-testid="namespace-missing">
      <div>
        <div className="title">Namespace {namespace} does not exist yet</div>
        {status.data.canCreate ? (
          <>
            <p>
              Everything deploys into it. Create it now (it gets the label
              app.kubernetes.io/managed-by=knative-desk).
            </p>
            <BusyButton
              primary
              testId="create-namespace"
              busy={busy}
              busyLabel="Creating…"
              onClick={() => void create()}
            >
              Create namespace {namespace}
            </BusyButton>
          </>
        ) : (
          <p>
            {context} may not create namespaces. Ask a cluster administrator to create {namespace}, or choose
            an existing namespace on the Connect screen.
          </p>
        )}
        {error ? <ErrorState title="Could not create the namespace" error={describeError(error)} /> : null}
      </div>
    </div>
  );
}
