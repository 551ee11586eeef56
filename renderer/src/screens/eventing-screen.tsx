// Eventing: the namespace's KafkaSources, and for the one chosen how far behind its consumer group is in time (lag
// in seconds, from record timestamps) with a Burrow-style verdict and the time to catch up beside the chart, and a
// browser for its topic's records. The engine samples (kafka:watchLag with seconds) and judges; this screen draws.
// Sources are created and edited here too (the form in ../eventing/source-editor.tsx), and a source's sink can be
// moved to another Service in one step (../eventing/move-sink.tsx).
import { useEffect, useMemo, useState } from 'react';
import type { LagSnapshot, LagVerdict } from '../../../electron/common/schemas/kafka';
import { useSession } from '../app/session';
import { chartColors } from '../charts/chart-colors';
import type { SeriesPoint } from '../charts/downsample';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { ChooseFirst } from '../components/choose-first';
import { DataTable } from '../components/data-table';
import { ScreenHeader } from '../components/screen-header';
import { EmptyState, ErrorState, LoadingState } from '../components/state-views';
import { describeError, type EngineError } from '../engine/engine-client';
import { useOperation, useStream } from '../engine/engine-context';
import { kafkaSourceColumns } from '../eventing/kafka-source-columns';
import { LagVerdictPanel } from '../eventing/lag-verdict-panel';
import { MessagesBrowser } from '../eventing/messages-browser';
import { MoveSinkPanel } from '../eventing/move-sink';
import { SourceEditor } from '../eventing/source-editor';
import { ResetOffsetsPanel, TestRecordPanel, TopicPanel } from '../eventing/source-tools';
import { SelectField } from '../forms/fields';
import { ToolbarSelect } from '../forms/toolbar-select';
import { useFollowedNamespace, type NamespaceChoice } from './deploy/target-namespace';

const windows = [
  { value: '10', label: '10 s' },
  { value: '30', label: '30 s' },
  { value: '60', label: '1 min' },
  { value: '300', label: '5 min' },
] as const;
/** Points kept per series: 15 minutes at one sample a second. */
const keepPoints = 900;

export function EventingScreen() {
  const { context, namespace, kafkaProfileId } = useSession().session;
  if (!context || !kafkaProfileId) {
    return (
      <ChooseFirst
        title="Eventing"
        subtitle="KafkaSources: lag in seconds, health and messages"
        choose="Choose a context and a Kafka profile"
      >
        Eventing follows the KafkaSources of one namespace through a Kafka profile; pick them on the Connect
        screen.
      </ChooseFirst>
    );
  }
  if (!namespace) return <EventingAnyNamespace context={context} profileId={kafkaProfileId} />;
  return <EventingView context={context} namespace={namespace} profileId={kafkaProfileId} />;
}

/**
 * Connect left at "all namespaces" (its default): as the Monitor does, follow one namespace chosen here, starting
 * where Deploy puts the parts then (`default`), instead of an empty screen that sends the user back to Connect.
 */
function EventingAnyNamespace({ context, profileId }: { context: string; profileId: string }) {
  const { namespace, namespaceChoice } = useFollowedNamespace(context);
  return (
    <EventingView
      key={namespace}
      context={context}
      namespace={namespace}
      profileId={profileId}
      namespaceChoice={namespaceChoice}
    />
  );
}

interface LagNow {
  latest: LagSnapshot;
  verdict: LagVerdict | undefined;
  catchUpSeconds: number | null;
}

export function EventingView({
  context,
  namespace,
  profileId,
  namespaceChoice,
}: {
  context: string;
  namespace: string;
  profileId: string;
  /** Set when Connect says "all namespaces": the header then chooses which namespace is followed. */
  namespaceChoice?: NamespaceChoice;
}) {
  const sources = useOperation(
    'workloads:kafkaSources',
    { context, namespace },
    `ks:${context}/${namespace}`,
  );
  const topics = useOperation('kafka:topics', { profileId }, `topics:${profileId}`);
  const [chosen, setChosen] = useState<string | null>(null);
  const [windowSeconds, setWindowSeconds] = useState<string>('60');
  const [lag, setLag] = useState<LagNow | null>(null);
  const [lagError, setLagError] = useState<EngineError | null>(null);
  const [seconds, setSeconds] = useState<SeriesPoint[]>([]);
  const [records, setRecords] = useState<SeriesPoint[]>([]);
  const [now, setNow] = useState(() => Date.now());
  /** The form, open for a new source (name undefined) or for editing one. */
  const [editing, setEditing] = useState<{ name?: string } | null>(null);

  const list = sources.data?.sources ?? [];
  // While a source is not Ready yet (just created, connecting, refused), the table looks again every 3 s.
  const settling = list.some((row) => row.ready !== 'True');
  const reloadSources = sources.reload;
  useEffect(() => {
    if (!settling) return;
    const timer = setInterval(reloadSources, 3000);
    return () => clearInterval(timer);
  }, [settling, reloadSources]);
  const source = list.find((candidate) => candidate.name === chosen) ?? list[0];
  const topic = source?.topics[0];
  const group = source?.consumerGroup;
  const partitions = useMemo(
    () => topics.data?.topics.find((candidate) => candidate.name === topic)?.partitions ?? 1,
    [topics.data, topic],
  );

  const lagKey = topic && group ? JSON.stringify([profileId, topic, group, windowSeconds]) : null;
  useEffect(() => {
    setLag(null);
    setLagError(null);
    setSeconds([]);
    setRecords([]);
  }, [profileId, topic, group, windowSeconds]);
  useStream(
    'kafka:watchLag',
    topic && group
      ? {
          profileId,
          topic,
          groupId: group,
          intervalMs: 1000,
          windowSeconds: Number(windowSeconds),
          seconds: true,
        }
      : null,
    lagKey,
    (event) => {
      const added = event.samples;
      setSeconds((previous) =>
        [
          ...previous,
          ...added.flatMap((s) =>
            typeof s.totalLagSeconds === 'number' ? [{ t: s.at, v: s.totalLagSeconds }] : [],
          ),
        ].slice(-keepPoints),
      );
      setRecords((previous) =>
        [...previous, ...added.map((s) => ({ t: s.at, v: Number(s.totalLag) }))].slice(-keepPoints),
      );
      setLag({ latest: event.latest, verdict: event.verdict, catchUpSeconds: event.catchUpSeconds });
      setNow(event.latest.at);
    },
    setLagError,
  );

  // The charts show a few verdict windows (at least a minute), so the window being judged is readable.
  const domain: [number, number] = [now - Math.max(60_000, 4_000 * Number(windowSeconds)), now];

  if (editing) {
    return (
      <SourceEditor
        key={editing.name ?? 'new'}
        context={context}
        namespace={namespace}
        profileId={profileId}
        name={editing.name}
        onCancel={() => setEditing(null)}
        onDone={(saved) => {
          setEditing(null);
          setChosen(saved);
          sources.reload();
        }}
      />
    );
  }

  return (
    <section>
      <ScreenHeader
        title="Eventing"
        subtitle={`KafkaSources in ${namespace}: lag in seconds, health and messages${namespaceChoice ? ' — Connect is at all namespaces: choose the one to follow here' : ''}`}
      >
        {namespaceChoice ? (
          <ToolbarSelect
            id="eventing-namespace"
            label="Namespace"
            value={namespace}
            choices={namespaceChoice.choices}
            onChange={namespaceChoice.follow}
          />
        ) : null}
        <button
          type="button"
          className="btn primary"
          data-testid="new-kafka-source"
          onClick={() => setEditing({})}
        >
          New KafkaSource
        </button>
      </ScreenHeader>
      <div className="panel">
        <h2>KafkaSources</h2>
        {sources.loading && !sources.data ? <LoadingState label="Reading KafkaSources…" /> : null}
        {sources.error ? (
          <ErrorState title="KafkaSources unavailable" error={describeError(sources.error)} />
        ) : null}
        {sources.data ? (
          <DataTable
            empty={
              <EmptyState title="No KafkaSources in this namespace">
                Deploy the barrage demo (Deploy screen) or create one with “New KafkaSource” to see its lag
                here.
              </EmptyState>
            }
            caption="KafkaSources (Enter opens one)"
            testId="eventing-sources"
            rows={list}
            rowKey={(row) => row.name}
            selectedKey={source?.name ?? null}
            onOpen={(row) => setChosen(row.name)}
            columns={kafkaSourceColumns}
          />
        ) : null}
        {source && source.ready !== 'True' && source.message ? (
          <p className="error" role="alert" data-testid="source-condition">
            {source.name}: {source.message}
          </p>
        ) : null}
        {source ? (
          <div className="row">
            <button
              type="button"
              className="btn"
              data-testid="edit-kafka-source"
              onClick={() => setEditing({ name: source.name })}
            >
              Edit {source.name}
            </button>
            <button type="button" className="btn" onClick={sources.reload}>
              Refresh
            </button>
          </div>
        ) : null}
      </div>
      {source ? (
        <MoveSinkPanel
          key={`move:${source.name}`}
          context={context}
          namespace={namespace}
          name={source.name}
          currentSink={source.sink}
          onMoved={sources.reload}
        />
      ) : null}
      {source && topic && group ? (
        <>
          <div className="row">
            <h2 className="grow">
              {source.name}: {topic} / {group}
            </h2>
            <SelectField
              label="Verdict window"
              name="lag-window"
              value={windowSeconds}
              options={windows}
              onChange={setWindowSeconds}
            />
          </div>
          <div className="grid-2">
            <div className="panel">
              {lagError ? <ErrorState title="Lag unavailable" error={describeError(lagError)} /> : null}
              {!lagError && !lag ? <LoadingState label="Reading offsets and record timestamps…" /> : null}
              {[
                {
                  title: 'Lag in seconds (age of the oldest unread record)',
                  unit: 's',
                  line: { key: 'seconds', label: 'behind', color: chartColors.lag, points: seconds },
                },
                {
                  title: 'Lag in records',
                  unit: '',
                  line: { key: 'records', label: 'records', color: chartColors.consume, points: records },
                },
              ].map(({ title, unit, line }) => (
                <TimeSeriesChart
                  key={line.key}
                  title={title}
                  unit={unit}
                  testId={`chart-lag-${line.key}`}
                  domain={domain}
                  series={[line]}
                />
              ))}
            </div>
            {lag ? (
              <LagVerdictPanel
                latest={lag.latest}
                verdict={lag.verdict}
                catchUpSeconds={lag.catchUpSeconds}
              />
            ) : (
              <div className="panel">
                <LoadingState label="Judging the window…" />
              </div>
            )}
          </div>
          <div className="grid-2">
            <TestRecordPanel key={`t:${topic}`} profileId={profileId} topic={topic} groupId={group} />
            <ResetOffsetsPanel key={`r:${group}`} profileId={profileId} topic={topic} groupId={group} />
          </div>
          <MessagesBrowser
            key={`${profileId}/${topic}`}
            profileId={profileId}
            topic={topic}
            partitions={partitions}
          />
          <TopicPanel key={`p:${topic}`} profileId={profileId} topic={topic} />
        </>
      ) : null}
    </section>
  );
}
