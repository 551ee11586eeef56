// A context whose kubeconfig user runs a program for credentials (exec plugin, auth-provider): the engine runs
// nothing until the user has seen the command line and confirmed it for that file's current content. Confirming
// covers every context of that file; any later edit of the file asks again.
import { useState } from 'react';
import type { ResponseOf } from '../../../../electron/common/contract';
import { ErrorState } from '../../components/state-views';
import { describeError, toEngineError, type EngineError } from '../../engine/engine-client';
import { useEngine } from '../../engine/engine-context';
import { BusyButton } from '../../components/busy-button';

type KubeContext = ResponseOf<'clusters:list'>['contexts'][number];

export function CredentialCommandConfirm({
  context,
  onConfirmed,
}: {
  context: KubeContext;
  onConfirmed: () => void;
}) {
  const engine = useEngine();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);

  async function confirm(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await engine.call('clusters:confirmCredentialCommands', { source: context.source });
      onConfirmed();
    } catch (e) {
      setError(toEngineError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="state warn" role="alert" style={{ marginTop: 12 }} data-testid="credential-command">
      <div>
        <div className="title">{context.name} runs a command to get its credentials</div>
        <p>
          Its kubeconfig (<span className="mono">{context.source}</span>) asks to run, with your rights:
        </p>
        <pre className="mono" data-testid="credential-command-line">
          {context.credentialCommand}
        </pre>
        <p>Nothing has run yet. Run it only if you know this file and expect this command.</p>
        <BusyButton
          primary
          testId="credential-command-confirm"
          busy={busy}
          busyLabel="Confirming…"
          onClick={() => void confirm()}
        >
          Allow this command for this file
        </BusyButton>
        {error ? <ErrorState title="Could not confirm" error={describeError(error)} /> : null}
      </div>
    </div>
  );
}
