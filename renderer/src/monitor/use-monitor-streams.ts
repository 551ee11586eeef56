// The Monitor's live inputs in one hook: live:pods, kafka:watchLag for the chosen source, and the app-level
// sender run, all written into one bounded series store. Bursts of stream batches are coalesced into at most one
// re-render per animation frame, and the "now" numbers (pods table, lag panel) are applied in the same frame as
// the charts, so a number beside a chart never shows a sample the chart does not have yet.
import { useEffect, useRef, useState } from 'react';
import type { LoadRunSnapshot } from '../app/load-run';
import type { EngineError } from '../engine/engine-client';
import { useEngine } from '../engine/engine-context';
import type { LagState } from './lag-panel';
import { SeriesStore } from './series-store';
import { recordLag, recordPods, recordSender, type LagSourceOption, type PodNow } from './timeline';

/** One hour at one sample per second. */
const storeCapacity = 3600;

export interface MonitorStreams {
  store: SeriesStore;
  /** Changes whenever the store got new samples. */
  version: number;
  podsNow: Record<string, PodNow>;
  podsError: EngineError | null;
  lag: LagState | null;
  lagError: EngineError | null;
}

export function useMonitorStreams({
  context,
  namespace,
  kafkaProfileId,
  lagSource,
  senderSeconds,
}: {
  context: string;
  namespace: string;
  kafkaProfileId: string | null;
  lagSource: LagSourceOption | undefined;
  senderSeconds: LoadRunSnapshot['seconds'];
}): MonitorStreams {
  const engine = useEngine();
  const storeRef = useRef(new SeriesStore(storeCapacity));
  const [version, setVersion] = useState(0);
  const [podsNow, setPodsNow] = useState<Record<string, PodNow>>({});
  const [podsError, setPodsError] = useState<EngineError | null>(null);
  const [lag, setLag] = useState<LagState | null>(null);
  const [lagError, setLagError] = useState<EngineError | null>(null);

  const pendingRender = useRef(false);
  const pendingPods = useRef<Record<string, PodNow>>({});
  const pendingLag = useRef<LagState | null>(null);
  const requestRender = () => {
    if (pendingRender.current) return;
    pendingRender.current = true;
    requestAnimationFrame(() => {
      pendingRender.current = false;
      const pods = pendingPods.current;
      pendingPods.current = {};
      if (Object.keys(pods).length > 0) setPodsNow((previous) => ({ ...previous, ...pods }));
      const nextLag = pendingLag.current;
      pendingLag.current = null;
      if (nextLag) setLag(nextLag);
      setVersion((n) => n + 1);
    });
  };

  useEffect(() => {
    setPodsError(null);
    return engine.subscribe(
      'live:pods',
      { context, namespace, capacity: 600 },
      {
        onEvent: (event) => {
          pendingPods.current = { ...pendingPods.current, ...recordPods(storeRef.current, event) };
          requestRender();
        },
        onError: setPodsError,
      },
    );
  }, [engine, context, namespace]);

  const topic = lagSource?.topic;
  const group = lagSource?.group;
  useEffect(() => {
    setLag(null);
    pendingLag.current = null;
    setLagError(null);
    if (!kafkaProfileId || !topic || !group) return;
    return engine.subscribe(
      'kafka:watchLag',
      { profileId: kafkaProfileId, topic, groupId: group, intervalMs: 1000 },
      {
        onEvent: (event) => {
          pendingLag.current = recordLag(storeRef.current, event);
          requestRender();
        },
        onError: setLagError,
      },
    );
  }, [engine, kafkaProfileId, topic, group]);

  useEffect(() => {
    recordSender(storeRef.current, senderSeconds);
    requestRender();
  }, [senderSeconds]);

  return { store: storeRef.current, version, podsNow, podsError, lag, lagError };
}
