// A compact table of a Kafka topic's partitions, one row each, keyed and led by the partition number: the Eventing
// topic panel's offsets and the Monitor's lag per partition say "partition" the same way.
import { DataTable, type Column } from './data-table';

export function PartitionTable<Row extends { partition: number }>({
  caption,
  testId,
  rows,
  columns,
}: {
  caption: string;
  testId: string;
  rows: readonly Row[];
  /** The columns after the partition number. */
  columns: readonly Column<Row>[];
}) {
  return (
    <DataTable
      caption={caption}
      compact
      testId={testId}
      rows={rows}
      rowKey={(row) => String(row.partition)}
      columns={[{ key: 'partition', header: 'Partition', render: (row) => row.partition }, ...columns]}
    />
  );
}
