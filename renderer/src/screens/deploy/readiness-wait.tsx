// After "Deploy all": the Knative Services it applied, until each says Ready. Sending barrage before HomePage has a
// ready revision only collects 503s ("no ready revision"), so the next step is offered once all are Ready. Bounded:
// it looks every 2 s for at most 5 minutes, then says which Service is not Ready and why.
import { useEffect, useState } from 'react';
import type { WorkloadRow } from '../../../../electron/common/schemas/workloads';
import { Badge } from '../../components/badge';
import { useEngine } from '../../engine/engine-context';
import { routeHash } from '../../app/routes';
import { homePageFirst } from '../barrage/homepage-choices';

const POLL_MS = 2000;
const GIVE_UP_MS = 5 * 60_000;

export function ReadinessWait({
  context,
  namespace,
  services,
}: {
  context: string;
  namespace: string;
  /** Names of the Knative Services the run applied. */
  services: readonly string[];
}) {
  const engine = useEngine();
  const [rows, setRows] = useState<Record<string, WorkloadRow | undefined>>({});
  const [gaveUp, setGaveUp] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const key = services.join(',');
  const allReady = services.length > 0 && services.every((name) => rows[name]?.ready === 'True');

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const started = Date.now();
    const look = async () => {
      try {
        const listed = await engine.call('workloads:list', { context, namespace });
        if (stopped) return;
        setListError(null);
        const byName = Object.fromEntries(listed.rows.map((row) => [row.name, row]));
        setRows(byName);
        if (services.every((name) => byName[name]?.ready === 'True')) return;
      } catch (error) {
        if (stopped) return;
        setListError((error as Error).message);
      }
      if (Date.now() - started > GIVE_UP_MS) {
        setGaveUp(true);
        return;
      }
      timer = setTimeout(() => void look(), POLL_MS);
    };
    void look();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // `key` stands for `services`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [engine, context, namespace, key]);

  return (
    <div style={{ marginTop: 8 }} data-testid="deploy-all-readiness">
      <div className="row">
        <strong>{allReady ? 'Ready' : gaveUp ? 'Not Ready after 5 minutes' : 'Waiting for Ready…'}</strong>
        {services.map((name) => {
          const row = rows[name];
          return (
            <span key={name} title={row?.message ?? undefined}>
              <span className="mono">{name}</span>{' '}
              <Badge tone={row?.ready === 'True' ? 'ok' : gaveUp ? 'bad' : 'info'}>
                {row?.ready === 'True' ? 'Ready' : (row?.reason ?? 'waiting')}
              </Badge>
            </span>
          );
        })}
      </div>
      {gaveUp ? (
        <p style={{ color: 'var(--bad)' }}>
          {services
            .filter((name) => rows[name]?.ready !== 'True')
            .map((name) => `${name}: ${rows[name]?.message ?? 'no status yet'}`)
            .join(' · ')}
          . The Workloads screen shows why a Service is not Ready.
        </p>
      ) : null}
      {listError ? <p className="muted">Could not list Services: {listError} (trying again)</p> : null}
      {allReady ? (
        <a
          className="btn primary"
          href={routeHash({ screen: 'barrage', params: [namespace, homePageOf(services, rows)] })}
          data-testid="deploy-all-next"
          style={{ marginTop: 8 }}
        >
          Send barrage →
        </a>
      ) : null}
    </div>
  );
}

/** The Service "Send barrage →" preselects, in the Barrage screen's order (homePageFirst). */
export function homePageOf(
  services: readonly string[],
  rows: Record<string, WorkloadRow | undefined>,
): string {
  const known = services.map((name) => ({ name, kind: rows[name]?.kind }));
  return [...known].sort(homePageFirst)[0]?.name ?? '';
}
