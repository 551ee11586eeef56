// The loading and failed states of one engine operation (useOperation), as every panel shows them: a spinner
// until the first answer, and the engine's error with a Retry that asks again.
import type { ReactElement } from 'react';
import type { OperationState } from '../engine/engine-context';
import { describeError } from '../engine/engine-client';
import { ErrorState, LoadingState } from './state-views';

export function OperationStatus({
  operation,
  loading,
  failed,
}: {
  operation: Pick<OperationState<unknown>, 'data' | 'error' | 'loading' | 'reload'>;
  /** Label while the first answer is awaited; no spinner when absent. */
  loading?: string;
  /** Title of the error state. */
  failed: string;
}) {
  return (
    <>
      {loading && operation.loading && !operation.data ? <LoadingState label={loading} /> : null}
      {operation.error ? (
        <ErrorState title={failed} error={describeError(operation.error)} onRetry={operation.reload} />
      ) : null}
    </>
  );
}

/**
 * For a panel that shows nothing else until its operation answers: the spinner while the first answer is awaited,
 * the error with Retry after a failure, and null once there is something to show.
 */
export function operationGate(
  operation: Pick<OperationState<unknown>, 'data' | 'error' | 'loading' | 'reload'>,
  loading: string,
  failed: string,
): ReactElement | null {
  if (operation.loading && !operation.data) return <LoadingState label={loading} />;
  if (operation.error)
    return <ErrorState title={failed} error={describeError(operation.error)} onRetry={operation.reload} />;
  return null;
}
