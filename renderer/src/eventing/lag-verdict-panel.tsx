// Beside the lag-in-seconds chart: the group's verdict (OK / WARN / STALL / STOP / REWIND) with its reason in words,
// the time to catch up (or "not catching up"), and per partition its lag in records and seconds and its verdict.
import type { LagSnapshot, LagVerdict } from '../../../electron/common/schemas/kafka';
import { Badge } from '../components/badge';
import { DataTable } from '../components/data-table';
import { catchUpText, formatSeconds, statusTone } from './verdict-view';

export function LagVerdictPanel({
  latest,
  verdict,
  catchUpSeconds,
}: {
  latest: LagSnapshot;
  verdict: LagVerdict | undefined;
  catchUpSeconds: number | null;
}) {
  const byPartition = new Map(verdict?.partitions.map((p) => [p.partition, p]) ?? []);
  return (
    <div className="panel" data-testid="lag-verdict-panel">
      <h2>Health</h2>
      <div className="stat-grid">
        <div className="stat">
          <div className="value" data-testid="lag-verdict">
            <Badge tone={statusTone[verdict?.status ?? 'UNKNOWN']}>{verdict?.status ?? 'UNKNOWN'}</Badge>
          </div>
          <div className="label">verdict</div>
        </div>
        <div className="stat">
          <div
            className="value"
            data-testid="lag-seconds-total"
            data-seconds={latest.totalLagSeconds ?? undefined}
          >
            {formatSeconds(latest.totalLagSeconds)}
          </div>
          <div className="label">behind (oldest unread)</div>
        </div>
        <div className="stat">
          <div className="value">{latest.totalLag}</div>
          <div className="label">records behind</div>
        </div>
        <div className="stat">
          <div className="value" data-testid="lag-catch-up">
            {catchUpText(catchUpSeconds, latest.totalLag)}
          </div>
          <div className="label">to catch up</div>
        </div>
      </div>
      <p className="hint" data-testid="lag-verdict-reason">
        {verdict?.reason ?? 'Collecting samples…'}
      </p>
      <DataTable
        caption="Lag per partition"
        compact
        testId="lag-seconds-partitions"
        rows={latest.partitions}
        rowKey={(p) => String(p.partition)}
        columns={[
          { key: 'p', header: 'Partition', render: (p) => p.partition },
          { key: 'lag', header: 'Records', render: (p) => p.lag },
          { key: 's', header: 'Behind', render: (p) => <strong>{formatSeconds(p.lagSeconds)}</strong> },
          {
            key: 'v',
            header: 'Verdict',
            render: (p) => {
              const v = byPartition.get(p.partition);
              return v ? (
                <Badge tone={statusTone[v.status]} title={v.reason}>
                  {v.status}
                </Badge>
              ) : (
                '–'
              );
            },
          },
          { key: 'c', header: 'Committed', render: (p) => p.committed ?? 'none' },
          { key: 'e', header: 'End', render: (p) => p.high },
        ]}
      />
    </div>
  );
}
