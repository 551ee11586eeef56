// Browse a topic partition: from the end, an offset or a time; key, headers, timestamp and value (JSON
// pretty-printed, binary as hex); a text filter. The engine bounds every page and stops on its own; "Next page"
// continues from where the last one stopped.
import { useState, type FormEvent } from 'react';
import {
  browseRequest,
  type BrowseResponse,
  type RecordValue,
} from '../../../electron/common/schemas/eventing';
import { DataTable } from '../components/data-table';
import { ErrorState, EmptyState, LoadingState } from '../components/state-views';
import { describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine } from '../engine/engine-context';
import { SelectField, TextField } from '../forms/fields';
import { PositionPicker, usePosition, type ChosenPosition } from './position-fields';
import { numberLimits, withinLimits } from '../../../electron/common/schemas/limits';

/** How many records one browse may show, from the contract. */
const browseLimit = numberLimits(browseRequest.shape.limit);

type FromKind = 'end' | 'offset' | 'time';

function ValueView({ value }: { value: RecordValue }) {
  if (value.kind === 'null') return <em>null</em>;
  if (value.kind === 'binary') {
    return (
      <code className="record-binary" title={`${value.bytes} bytes`}>
        {value.hex.replace(/(..)/g, '$1 ').trim()}
        {value.bytes * 2 > value.hex.length ? ' …' : ''}
      </code>
    );
  }
  return <pre className="record-value">{value.text}</pre>;
}

export function MessagesBrowser({
  profileId,
  topic,
  partitions,
}: {
  profileId: string;
  topic: string;
  partitions: number;
}) {
  const engine = useEngine();
  const [partition, setPartition] = useState('0');
  const from = usePosition<FromKind>('end');
  const [limit, setLimit] = useState('20');
  const [filter, setFilter] = useState('');
  const [result, setResult] = useState<BrowseResponse | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [inputError, setInputError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  async function browse(start: ChosenPosition<FromKind>) {
    const count = Number(limit);
    if (!withinLimits(count, browseLimit)) {
      setInputError(`Show between ${browseLimit.min} and ${browseLimit.max} records.`);
      return;
    }
    setInputError(null);
    setLoading(true);
    setError(null);
    try {
      setResult(
        await engine.call('kafka:browse', {
          profileId,
          topic,
          partition: Number(partition),
          from: start,
          limit: count,
          filter,
        }),
      );
    } catch (failure) {
      setError(toEngineError(failure));
      setResult(null);
    } finally {
      setLoading(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const chosen = from.chosen();
    if ('problem' in chosen) setInputError(chosen.problem);
    else void browse(chosen.position);
  }

  return (
    <div className="panel" data-testid="messages-browser">
      <h2>Messages in {topic}</h2>
      <form className="form-grid" onSubmit={submit} aria-label="Browse messages">
        <SelectField
          label="Partition"
          name="browse-partition"
          value={partition}
          options={Array.from({ length: Math.max(1, partitions) }, (_, p) => ({
            value: String(p),
            label: String(p),
          }))}
          onChange={setPartition}
        />
        <PositionPicker
          label="From"
          name="browse-from"
          kinds={['end', 'offset', 'time']}
          position={from}
          prefix="browse"
          timeHint="Local time; the first record at or after it"
        />
        <TextField
          label="Records"
          name="browse-limit"
          type="number"
          value={limit}
          onChange={setLimit}
          hint="At most 500 per page"
        />
        <TextField
          label="Filter"
          name="browse-filter"
          value={filter}
          onChange={setFilter}
          hint="Text in key, headers or value"
        />
        <div className="row">
          <button type="submit" className="btn primary" disabled={loading} data-testid="messages-browse">
            {loading ? 'Reading…' : 'Browse'}
          </button>
          {result && result.stoppedBy !== 'end' ? (
            <button
              type="button"
              className="btn"
              disabled={loading}
              onClick={() => void browse({ kind: 'offset', offset: result.nextOffset })}
            >
              Next page
            </button>
          ) : null}
        </div>
      </form>
      {inputError ? (
        <p className="error" role="alert">
          {inputError}
        </p>
      ) : null}
      {error ? <ErrorState title="Could not read the partition" error={describeError(error)} /> : null}
      {loading && !result ? <LoadingState label="Reading records…" /> : null}
      {result ? (
        <>
          <p className="hint" data-testid="messages-summary">
            {result.records.length} record{result.records.length === 1 ? '' : 's'} shown of {result.scanned}{' '}
            read;{' '}
            {result.stoppedBy === 'end'
              ? `reached the end (offset ${result.endOffset})`
              : result.stoppedBy === 'limit'
                ? `stopped at the page size; next from offset ${result.nextOffset}`
                : `stopped after reading its budget; next from offset ${result.nextOffset}`}
            .
          </p>
          <DataTable
            empty={
              <EmptyState title="No records">Nothing here matches; try another start or filter.</EmptyState>
            }
            caption="Records"
            compact
            testId="messages-table"
            rows={result.records}
            rowKey={(record) => record.offset}
            columns={[
              { key: 'o', header: 'Offset', render: (record) => record.offset },
              {
                key: 't',
                header: 'Time',
                render: (record) => new Date(record.timestamp).toLocaleString([], { hour12: false }),
              },
              { key: 'k', header: 'Key', render: (record) => <ValueView value={record.key} /> },
              {
                key: 'h',
                header: 'Headers',
                render: (record) =>
                  record.headers.map((header, index) => (
                    <div key={index}>
                      <code>{header.name}</code>: {header.value}
                    </div>
                  )),
              },
              { key: 'v', header: 'Value', render: (record) => <ValueView value={record.value} /> },
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
