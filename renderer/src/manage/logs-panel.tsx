// Logs of a Service: every pod and container merged with a `pod/container` prefix, or narrowed to one revision, pod or
// container; follow (a stream kept open), pause (lines keep arriving and are held, then shown on resume), search
// (highlights and filters), download (what is held, as text). A bounded buffer keeps the newest 5,000 lines.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogLine } from '../../../electron/common/schemas/manage';
import { Badge } from '../components/badge';
import { EmptyState, ErrorState } from '../components/state-views';
import type { EngineError } from '../engine/engine-client';
import { describeError } from '../engine/engine-client';
import { useOperation, useStream } from '../engine/engine-context';
import { ToolbarSelect } from '../forms/toolbar-select';
import { useRestart } from '../engine/use-restart';

const MAX_LINES = 5000;

export function LogsPanel({
  context,
  namespace,
  name,
  disabledReason,
}: {
  context: string;
  namespace: string;
  name: string;
  disabledReason: string | null;
}) {
  const revisions = useOperation(
    'manage:revisions',
    { context, namespace, name },
    `logs-rev:${namespace}/${name}`,
  );
  const details = useOperation(
    'workloads:get',
    { context, namespace, name },
    `logs-pods:${namespace}/${name}`,
  );
  const [revision, setRevision] = useState('');
  const [pod, setPod] = useState('');
  const [container, setContainer] = useState('');
  const [follow, setFollow] = useState(true);
  const [paused, setPaused] = useState(false);
  const [search, setSearch] = useState('');
  const [lines, setLines] = useState<LogLine[]>([]);
  const held = useRef<LogLine[]>([]);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const [sources, setSources] = useState<Record<string, { state: string; error: string | null }>>({});
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<EngineError | null>(null);
  const [generation, restart] = useRestart();
  const bottom = useRef<HTMLDivElement>(null);

  // One stream per choice of what to follow (and per "Reconnect"): a new key clears the view and re-subscribes.
  const streamKey = disabledReason
    ? null
    : JSON.stringify([context, namespace, name, revision, pod, container, follow, generation]);
  useEffect(() => {
    if (streamKey === null) return;
    setLines([]);
    setSources({});
    setInfo(null);
    setError(null);
    held.current = [];
  }, [streamKey]);
  useStream(
    'manage:logs',
    {
      context,
      namespace,
      name,
      follow,
      tailLines: 200,
      ...(revision ? { revision } : {}),
      ...(pod ? { pod } : {}),
      ...(container ? { container } : {}),
    },
    streamKey,
    (event) => {
      if (event.type === 'lines') {
        if (pausedRef.current) held.current = [...held.current, ...event.lines].slice(-MAX_LINES);
        else setLines((previous) => [...previous, ...event.lines].slice(-MAX_LINES));
      } else if (event.type === 'source') {
        setSources((previous) => ({
          ...previous,
          [`${event.pod}/${event.container}`]: {
            state: event.state,
            error: event.error?.message ?? null,
          },
        }));
      } else {
        setInfo(event.message);
      }
    },
    setError,
  );

  useEffect(() => {
    if (!paused && held.current.length > 0) {
      const waiting = held.current;
      held.current = [];
      setLines((previous) => [...previous, ...waiting].slice(-MAX_LINES));
    }
  }, [paused]);

  useEffect(() => {
    if (!paused) bottom.current?.scrollIntoView?.({ block: 'nearest' });
  }, [lines, paused]);

  const needle = search.trim().toLowerCase();
  const shown = useMemo(
    () =>
      needle
        ? lines.filter((l) => `${l.pod}/${l.container} ${l.text}`.toLowerCase().includes(needle))
        : lines,
    [lines, needle],
  );

  function download() {
    const text = lines.map((l) => `${l.time ?? ''} ${l.pod}/${l.container} ${l.text}`).join('\n');
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${namespace}-${name}${revision ? `-${revision}` : ''}.log`;
    a.click();
    URL.revokeObjectURL(url);
  }

  if (disabledReason) return <EmptyState title="Logs are not available">{disabledReason}</EmptyState>;
  return (
    <div data-testid="logs-panel">
      <div className="row" style={{ marginBottom: 8 }} role="group" aria-label="Log options">
        <ToolbarSelect
          id="logs-revision"
          label="Revision"
          value={revision}
          all="All revisions (merged)"
          choices={(revisions.data?.revisions ?? []).map((r) => r.name)}
          onChange={setRevision}
        />
        <ToolbarSelect
          id="logs-pod"
          label="Pod"
          value={pod}
          all="All pods"
          choices={(details.data?.pods ?? [])
            .filter((p) => !revision || p.revision === revision)
            .map((p) => ({ value: p.name, label: `${p.name} (${p.state})` }))}
          onChange={setPod}
          maxWidth={420}
        />
        <ToolbarSelect
          id="logs-container"
          label="Container"
          value={container}
          all="All containers"
          choices={['user-container', 'queue-proxy']}
          onChange={setContainer}
        />
        <label>
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />{' '}
          Follow
        </label>
        <button
          type="button"
          className="btn"
          aria-pressed={paused}
          data-testid="logs-pause"
          onClick={() => setPaused((p) => !p)}
        >
          {paused ? `Resume (${held.current.length} held)` : 'Pause'}
        </button>
        <input
          type="search"
          aria-label="Search logs"
          placeholder="Search"
          value={search}
          data-testid="logs-search"
          onChange={(event) => setSearch(event.target.value)}
        />
        <button type="button" className="btn" onClick={download} disabled={lines.length === 0}>
          Download
        </button>
        <button type="button" className="btn" onClick={restart}>
          Reload
        </button>
      </div>
      <div className="row" style={{ marginBottom: 6 }}>
        {Object.entries(sources).map(([key, source]) => (
          <span key={key} title={source.error ?? undefined}>
            <Badge
              tone={source.state === 'error' ? 'bad' : source.state === 'open' ? 'ok' : 'neutral'}
            >{`${key}: ${source.state}`}</Badge>
          </span>
        ))}
      </div>
      {Object.entries(sources)
        .filter(([, s]) => s.error)
        .map(([key, s]) => (
          <p key={key} className="error">
            {key}: {s.error}
          </p>
        ))}
      {info ? (
        <p className="muted" data-testid="logs-info">
          {info}
        </p>
      ) : null}
      {error ? <ErrorState title="Logs stopped" error={describeError(error)} onRetry={restart} /> : null}
      <pre className="logs mono" data-testid="logs-lines" aria-label="Log lines" tabIndex={0}>
        {shown.length === 0 ? (
          <span className="muted">
            {lines.length === 0 ? 'No log lines (yet).' : `No line matches “${search}”.`}
          </span>
        ) : null}
        {shown.map((line, index) => (
          <span key={index} className="line">
            <span className="log-prefix">
              {line.pod}/{line.container}
            </span>{' '}
            {line.text}
          </span>
        ))}
        <div ref={bottom} />
      </pre>
      <p className="muted">
        {shown.length} of {lines.length} lines{needle ? ` match “${search}”` : ''}
        {paused ? ' (paused)' : ''}
      </p>
    </div>
  );
}
