// A cluster without Knative Serving gets a clear banner (from API discovery) instead of an empty table.
import { useOperation } from '../engine/engine-context';

export function KnativeBanner({ context }: { context: string }) {
  const knative = useOperation('manage:knative', { context }, `knative:${context}`);
  if (!knative.data || knative.data.serving) return null;
  return (
    <div className="banner warn" role="alert" data-testid="knative-missing">
      <strong>Knative is not installed here.</strong> {knative.data.message}
      {knative.data.missing.length > 0 ? (
        <div className="muted">Missing APIs: {knative.data.missing.join(', ')}</div>
      ) : null}
    </div>
  );
}
