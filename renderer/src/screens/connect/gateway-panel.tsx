// Where the console sends a context's Knative Service URLs (Barrage sender and viewer, rollout probes): the address
// typed here for this context, else the playground's own gateway on its context, else the one discovered from the
// cluster's config-network. A cluster whose networking layer is not discovered (ASK's own gateway, a port-forward)
// gets its address typed here; the panel says which applies and why discovery found nothing.
import { useEffect, useState } from 'react';
import type { ResponseOf } from '../../../../electron/common/contract';
import { setGatewayRequest } from '../../../../electron/common/schemas/clusters';
import { Badge } from '../../components/badge';
import { ErrorState } from '../../components/state-views';
import { causesByField, describeError } from '../../engine/engine-client';
import { useEngine, useOperation } from '../../engine/engine-context';
import { useAction } from '../../engine/use-action';
import { FieldRowForm } from '../../forms/field-row-form';

type GatewayInfo = ResponseOf<'clusters:gateway'>;

const sourceWords: Record<GatewayInfo['source'], string> = {
  typed: 'typed for this context',
  playground: "the playground's own gateway",
  discovered: 'discovered from config-network',
  none: 'none known',
};

export function GatewayPanel({ context }: { context: string }) {
  const engine = useEngine();
  const [refresh, setRefresh] = useState(0);
  const loaded = useOperation(
    'clusters:gateway',
    refresh ? { context, refresh: true } : { context },
    `gateway:${context}:${refresh}`,
  );
  const saving = useAction<GatewayInfo>();
  // What the engine said last: a save's answer until the next load (a "Discover again") replaces it.
  const [latest, setLatest] = useState<GatewayInfo | null>(null);
  useEffect(() => setLatest(loaded.data), [loaded.data]);
  useEffect(() => {
    if (saving.result) setLatest(saving.result);
  }, [saving.result]);
  const info = latest?.context === context ? latest : loaded.data;
  const [address, setAddress] = useState('');
  // Keyed on the text, not on `typed` itself: the load turns undefined (nothing yet) into null (nothing typed), and
  // resetting on that wiped what the user had typed meanwhile (seen as a flaky spec: the typed address vanished).
  const typedAddress = info?.typed ?? '';
  useEffect(() => setAddress(typedAddress), [typedAddress, context]);

  const [inputError, setInputError] = useState<string | null>(null);

  function save() {
    // Checked here with the contract's own rule, so the mistake shows beside the field before any call.
    const checked = setGatewayRequest.shape.address.safeParse(address.trim() || null);
    if (!checked.success) {
      setInputError(checked.error.issues[0]?.message ?? 'not an address');
      return;
    }
    setInputError(null);
    void saving.run(() => engine.call('clusters:setGateway', { context, address: checked.data }));
  }
  const fieldError = inputError ?? causesByField(saving.error, ['address']).byField.address ?? null;

  return (
    <div className="panel" style={{ marginTop: 12 }} data-testid="gateway-panel">
      <h2>Ingress gateway</h2>
      {loaded.loading && !info ? <p className="muted">finding the gateway…</p> : null}
      {loaded.error ? (
        <ErrorState title="Gateway not found" error={describeError(loaded.error)} onRetry={loaded.reload} />
      ) : null}
      {info ? (
        <>
          <p data-testid="gateway-in-use" style={{ margin: '6px 0' }}>
            Service URLs go to{' '}
            {info.address ? <span className="mono">{info.address}</span> : <strong>no gateway</strong>}{' '}
            <Badge tone={info.address ? 'ok' : 'warn'}>{sourceWords[info.source]}</Badge>
          </p>
          {info.discovered ? (
            <p className="hint" data-testid="gateway-discovered">
              Discovery: {info.discovered.address ?? 'nothing'} — {info.discovered.reason}
            </p>
          ) : null}
          {info.source === 'none' ? (
            <p className="hint">
              Without a gateway, the sender and viewer call the Service URL itself, which only resolves inside
              the cluster. Type the address of the cluster&apos;s ingress gateway (its load balancer, or a
              port-forward such as http://127.0.0.1:8080).
            </p>
          ) : null}
        </>
      ) : null}
      <FieldRowForm
        label="Ingress gateway address"
        onSubmit={save}
        field={{
          label: 'Gateway address for this context',
          name: 'gateway-address',
          value: address,
          placeholder: 'http://203.0.113.7 or a port-forward such as http://127.0.0.1:8080',
          onChange: setAddress,
          error: fieldError ?? saving.error?.message ?? null,
        }}
      >
        <button
          type="submit"
          className="btn"
          // Emptying the field forgets a typed address; with none typed, an empty field has nothing to save.
          disabled={saving.busy || (!address.trim() && !info?.typed)}
          data-testid="gateway-save"
        >
          {address.trim() || !info?.typed ? 'Use this address' : 'Forget the typed address'}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => setRefresh((n) => n + 1)}
          disabled={loaded.loading}
          data-testid="gateway-rediscover"
        >
          Discover again
        </button>
      </FieldRowForm>
    </div>
  );
}
