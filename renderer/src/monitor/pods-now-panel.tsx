// Pods (ECI) and instances (FC) per Service now, with the peak still in the buffer; a row opens that Service's
// pod chart.
import { DataTable } from '../components/data-table';
import { EmptyState } from '../components/state-views';
import type { PodNow } from './timeline';

export function PodsNowPanel({
  pods,
  chosen,
  peakOf,
  onChoose,
}: {
  pods: readonly PodNow[];
  chosen: string | null;
  peakOf: (service: string) => number;
  onChoose: (service: string) => void;
}) {
  return (
    <div className="panel" data-testid="pods-now">
      <h2>Pods (ECI) and instances (FC) per Service</h2>
      <DataTable
        empty={<EmptyState title="No Knative Service in this namespace yet" />}
        caption="Pods per Service"
        compact
        rows={pods}
        rowKey={(row) => row.service}
        selectedKey={chosen}
        onOpen={(row) => onChoose(row.service)}
        columns={[
          { key: 'service', header: 'Service', render: (row) => <strong>{row.service}</strong> },
          {
            key: 'ready',
            header: 'Ready',
            render: (row) => (
              <>
                <span data-testid={`ready-${row.service}`}>{row.ready}</span>
                {row.workload === 'fc-instances' ? (
                  <span className="muted" title="Instances from the Function Compute API">
                    {' '}
                    FC instances
                  </span>
                ) : null}
              </>
            ),
          },
          { key: 'pending', header: 'Pend.', render: (row) => row.pending },
          { key: 'terminating', header: 'Term.', render: (row) => row.terminating },
          { key: 'desired', header: 'Want', render: (row) => row.desired ?? '–' },
          {
            key: 'peak',
            header: 'Peak',
            // Highest ready count still in the buffer: did it scale out while I was not looking?
            render: (row) => <span data-testid={`peak-${row.service}`}>{peakOf(row.service)}</span>,
          },
        ]}
      />
    </div>
  );
}
