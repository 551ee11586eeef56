// Kafka consumer lag now: total with a trend marker (growing / shrinking / steady, judged by the engine over its
// window), produce and consume rates, time to catch up, and the lag of every partition.
import type { LagSample, LagSnapshot } from '../../../electron/common/schemas/kafka';
import { Badge, type BadgeTone } from '../components/badge';
import { PartitionTable } from '../components/partition-table';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { describeError, type EngineError } from '../engine/engine-client';

export interface LagState {
  latest: LagSnapshot;
  trend: 'growing' | 'shrinking' | 'steady' | 'unknown';
  catchUpSeconds: number | null;
  last: LagSample | null;
}

const trendMarker: Record<LagState['trend'], { symbol: string; tone: BadgeTone }> = {
  growing: { symbol: '▲ growing', tone: 'bad' },
  shrinking: { symbol: '▼ shrinking', tone: 'ok' },
  steady: { symbol: '► steady', tone: 'neutral' },
  unknown: { symbol: '? unknown', tone: 'neutral' },
};

function rate(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${value.toFixed(1)}/s`;
}

export function LagPanel({
  lag,
  peakLag,
  error,
  hint,
}: {
  lag: LagState | null;
  /** Highest total lag in the kept history. */
  peakLag: number;
  error: EngineError | null;
  hint: string | null;
}) {
  return (
    <div className="panel" data-testid="lag-panel">
      <h2>Kafka lag</h2>
      {hint ? <EmptyState title="No lag to show">{hint}</EmptyState> : null}
      {!hint && error ? <ErrorState title="Lag unavailable" error={describeError(error)} /> : null}
      {!hint && !error && !lag ? <LoadingState label="Reading offsets…" /> : null}
      {!hint && lag ? (
        <>
          <div className="stat-grid">
            <div className="stat">
              <div className="value" data-testid="lag-total">
                {lag.latest.totalLag}
              </div>
              <div className="label">total lag</div>
            </div>
            <div className="stat">
              <div className="value" data-testid="lag-peak">
                {peakLag}
              </div>
              <div className="label">peak lag</div>
            </div>
            <div className="stat">
              <div className="value" data-testid="lag-trend">
                <Badge tone={trendMarker[lag.trend].tone}>{trendMarker[lag.trend].symbol}</Badge>
              </div>
              <div className="label">trend</div>
            </div>
            <div className="stat">
              <div className="value">{rate(lag.last?.produceRate)}</div>
              <div className="label">produced</div>
            </div>
            <div className="stat">
              <div className="value">{rate(lag.last?.consumeRate)}</div>
              <div className="label">consumed</div>
            </div>
            <div className="stat">
              <div className="value">
                {lag.catchUpSeconds === null ? '–' : `${Math.ceil(lag.catchUpSeconds)} s`}
              </div>
              <div className="label">to catch up</div>
            </div>
          </div>
          <PartitionTable
            caption="Lag per partition"
            testId="lag-partitions"
            rows={lag.latest.partitions}
            columns={[
              { key: 'lag', header: 'Lag', render: (p) => <strong>{p.lag}</strong> },
              { key: 'committed', header: 'Committed', render: (p) => p.committed ?? 'none' },
              { key: 'high', header: 'End offset', render: (p) => p.high },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
