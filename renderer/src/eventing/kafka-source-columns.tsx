// The columns of a KafkaSource table, the same wherever KafkaSources are listed (the Eventing screen, a workload's
// Event sources panel): name, topics, consumer group, sink and Ready with its reason.
import type { KafkaSourceInfo } from '../../../electron/common/schemas/workloads';
import { Badge, conditionTone } from '../components/badge';
import type { Column } from '../components/data-table';

export const kafkaSourceColumns: readonly Column<KafkaSourceInfo>[] = [
  { key: 'name', header: 'Name', render: (row) => <strong>{row.name}</strong> },
  { key: 'topics', header: 'Topics', render: (row) => row.topics.join(', ') },
  { key: 'group', header: 'Consumer group', render: (row) => row.consumerGroup ?? '–' },
  { key: 'sink', header: 'Sink', render: (row) => row.sink ?? '–' },
  {
    key: 'ready',
    header: 'Ready',
    render: (row) => (
      <>
        <Badge tone={conditionTone(row.ready)} title={row.reason ?? undefined}>
          {row.ready}
        </Badge>
        {row.reason && row.ready !== 'True' ? <span className="muted"> {row.reason}</span> : null}
      </>
    ),
  },
];
