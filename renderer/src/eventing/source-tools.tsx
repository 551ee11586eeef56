// Tools for one KafkaSource's topic: its partitions and offsets (and creating a topic), sending one test record
// and following it until the source has committed past it (the sink answered 2xx), and resetting the group's
// offsets (the engine refuses while a consumer runs; the refusal is shown as it comes, nothing changes).
import { useEffect, useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../electron/common/contract';
import { PartitionTable } from '../components/partition-table';
import { ErrorState, LoadingState } from '../components/state-views';
import { describeError, toEngineError, type EngineError } from '../engine/engine-client';
import { useEngine, useOperation } from '../engine/engine-context';
import { useAction } from '../engine/use-action';
import { TextField } from '../forms/fields';
import { PositionPicker, usePosition } from './position-fields';
import { NewTopicFields, useNewTopic } from './new-topic-fields';

type Sent = ResponseOf<'kafka:produceTest'>;

/** The topic a KafkaSource reads, its consumer group, and the Kafka profile that reaches them. */
type SourceTopic = { profileId: string; topic: string; groupId: string };

function Failure({ error }: { error: EngineError | null }) {
  return error ? <ErrorState title="Refused" error={describeError(error)} /> : null;
}

export function TopicPanel({ profileId, topic }: { profileId: string; topic: string }) {
  const engine = useEngine();
  const details = useOperation('kafka:topic', { profileId, topic }, `topic:${profileId}/${topic}`);
  const newTopic = useNewTopic();
  const creation = useAction<ResponseOf<'kafka:createTopic'>>();

  function create(event: FormEvent) {
    event.preventDefault();
    void creation.run(() =>
      engine.call('kafka:createTopic', {
        profileId,
        topic: newTopic.name.trim(),
        partitions: Number(newTopic.partitions),
      }),
    );
  }

  return (
    <div className="panel" data-testid="topic-panel">
      <h2>Topic {topic}</h2>
      {details.loading ? <LoadingState label="Reading partitions…" /> : null}
      {details.error ? <ErrorState title="Topic unavailable" error={describeError(details.error)} /> : null}
      {details.data ? (
        <PartitionTable
          caption="Partitions and offsets"
          testId="topic-partitions"
          rows={details.data.partitions}
          columns={[
            { key: 'l', header: 'Earliest offset', render: (p) => p.low },
            { key: 'h', header: 'End offset', render: (p) => p.high },
          ]}
        />
      ) : null}
      <button type="button" className="btn" onClick={details.reload}>
        Refresh
      </button>
      <form className="form-grid" onSubmit={create} aria-label="Create a topic">
        <NewTopicFields topic={newTopic} nameInput="new-topic" />
        <div className="row">
          <button type="submit" className="btn" disabled={newTopic.name.trim() === ''}>
            Create topic
          </button>
        </div>
      </form>
      {creation.result ? (
        <p className="hint">
          Created {creation.result.topic} with {creation.result.partitions.length} partitions.
        </p>
      ) : null}
      <Failure error={creation.error} />
    </div>
  );
}

export function TestRecordPanel({ profileId, topic, groupId }: SourceTopic) {
  const engine = useEngine();
  const [key, setKey] = useState('test-key');
  const [headerName, setHeaderName] = useState('');
  const [headerValue, setHeaderValue] = useState('');
  const [value, setValue] = useState('{"text": "hello from knative-desk"}');
  const sending = useAction<Sent>();
  const sent = sending.result;
  const [delivered, setDelivered] = useState(false);

  // Follow the record: the source commits past it only after the sink answered 2xx (at-least-once).
  useEffect(() => {
    if (!sent || delivered) return;
    let stopped = false;
    const timer = setInterval(() => {
      void engine.call('kafka:lag', { profileId, groupId, topic }).then(
        (lag) => {
          const partition = lag.partitions.find((p) => p.partition === sent.partition);
          if (!stopped && partition?.committed && BigInt(partition.committed) > BigInt(sent.offset)) {
            setDelivered(true);
          }
        },
        () => undefined,
      );
    }, 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [engine, sent, delivered, profileId, groupId, topic]);

  function send(event: FormEvent) {
    event.preventDefault();
    setDelivered(false);
    void sending.run(() =>
      engine.call('kafka:produceTest', {
        profileId,
        topic,
        key,
        headers: headerName.trim() ? [{ name: headerName.trim(), value: headerValue }] : [],
        value,
      }),
    );
  }

  return (
    <div className="panel" data-testid="test-record-panel">
      <h2>Send a test record</h2>
      <form className="form-grid" onSubmit={send} aria-label="Send a test record">
        <TextField label="Key" name="test-key" value={key} onChange={setKey} />
        <TextField label="Header name" name="test-header-name" value={headerName} onChange={setHeaderName} />
        <TextField
          label="Header value"
          name="test-header-value"
          value={headerValue}
          onChange={setHeaderValue}
        />
        <TextField label="Value (JSON)" name="test-value" value={value} onChange={setValue} />
        <div className="row">
          <button type="submit" className="btn primary" data-testid="test-record-send">
            Send
          </button>
        </div>
      </form>
      {sent ? (
        <p className="hint" data-testid="test-record-status" role="status">
          Sent to partition {sent.partition} at offset {sent.offset} (event id <code>{sent.eventId}</code>):{' '}
          {delivered
            ? 'delivered — the source committed past it after the sink answered.'
            : 'waiting for the sink…'}
        </p>
      ) : null}
      <Failure error={sending.error} />
    </div>
  );
}

export function ResetOffsetsPanel({ profileId, topic, groupId }: SourceTopic) {
  const engine = useEngine();
  const to = usePosition<'earliest' | 'latest' | 'time' | 'offset'>('latest');
  const resetting = useAction<ResponseOf<'kafka:resetOffsets'>>();

  function reset(event: FormEvent) {
    event.preventDefault();
    const chosen = to.chosen();
    if ('problem' in chosen) {
      resetting.fail(toEngineError({ code: 'invalid', message: `${chosen.problem} Nothing was changed.` }));
      return;
    }
    const at = chosen.position;
    const target =
      at.kind === 'offset'
        ? { to: at.kind, offset: at.offset }
        : at.kind === 'time'
          ? { to: at.kind, at: at.at }
          : { to: at.kind };
    void resetting.run(() => engine.call('kafka:resetOffsets', { profileId, groupId, topic, target }));
  }

  return (
    <div className="panel" data-testid="reset-offsets-panel">
      <h2>Reset offsets of {groupId}</h2>
      <p className="hint">
        Allowed only while the source is stopped (no consumer in the group); the console checks right before.
      </p>
      <form className="form-grid" onSubmit={reset} aria-label="Reset offsets">
        <PositionPicker
          label="Reset to"
          name="reset-to"
          kinds={['earliest', 'latest', 'time', 'offset']}
          position={to}
          prefix="reset"
        />
        <div className="row">
          <button type="submit" className="btn danger" data-testid="reset-offsets-submit">
            Reset offsets
          </button>
        </div>
      </form>
      {resetting.result ? (
        <p className="hint" role="status">
          Reset: {resetting.result.partitions.map((p) => `partition ${p.partition} → ${p.offset}`).join(', ')}
          .
        </p>
      ) : null}
      <Failure error={resetting.error} />
    </div>
  );
}
