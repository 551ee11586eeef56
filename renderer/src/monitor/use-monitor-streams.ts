// The Monitor's live inputs in one hook: live:pods, kafka:watchLag for the chosen source, and the app-level
// sender run, all written into one bounded series store. Stream batches are coalesced into at most ~4 re-renders a
// second (render-throttle.ts: redrawing the charts on every frame under load starved the page), and the "now" numbers
// (pods table, lag panel) are applied in the same render as the charts, so a number beside a chart never shows a
// sample the chart does not have yet.
import { useEffect, useRef, useState } from 'react';
import type { LoadRunSnapshot } from '../app/load-run';
import type { EngineError } from '../engine/engine-client';
import { useStream } from '../engine/engine-context';
import type { LagState } from './lag-panel';
import { monitorPodsParams } from './pods-params';
import { RenderThrottle } from './render-throttle';
import { SeriesStore } from './series-store';
import { recordLag, recordPods, recordSender, type LagSourceOption, type PodNow } from './timeline';

/** One hour at one sample per second. */
const storeCapacity = 3600;
/** Chart redraws at most every this many ms (~4/s). */
const redrawIntervalMs = 250;

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
  const storeRef = useRef(new SeriesStore(storeCapacity));
  const [version, setVersion] = useState(0);
  const [podsNow, setPodsNow] = useState<Record<string, PodNow>>({});
  const [podsError, setPodsError] = useState<EngineError | null>(null);
  const [lag, setLag] = useState<LagState | null>(null);
  const [lagError, setLagError] = useState<EngineError | null>(null);

  const pendingPods = useRef<Record<string, PodNow>>({});
  const pendingLag = useRef<LagState | null>(null);
  const throttle = useRef<RenderThrottle | null>(null);
  const requestRender = () => throttle.current?.request();
  // Made in an effect (not during render) so StrictMode's mount → unmount → mount leaves a live one.
  useEffect(() => {
    const current = new RenderThrottle(redrawIntervalMs, () => {
      const pods = pendingPods.current;
      pendingPods.current = {};
      if (Object.keys(pods).length > 0) setPodsNow((previous) => ({ ...previous, ...pods }));
      const nextLag = pendingLag.current;
      pendingLag.current = null;
      if (nextLag) setLag(nextLag);
      setVersion((n) => n + 1);
    });
    throttle.current = current;
    return () => {
      current.dispose();
      if (throttle.current === current) throttle.current = null;
    };
  }, []);

  useEffect(() => setPodsError(null), [context, namespace]);
  useStream(
    'live:pods',
    monitorPodsParams(context, namespace),
    `${context}/${namespace}`,
    (event) => {
      pendingPods.current = { ...pendingPods.current, ...recordPods(storeRef.current, event) };
      requestRender();
    },
    setPodsError,
  );

  const topic = lagSource?.topic;
  const group = lagSource?.group;
  const watched =
    kafkaProfileId && topic && group ? { profileId: kafkaProfileId, topic, groupId: group } : null;
  useEffect(() => {
    setLag(null);
    pendingLag.current = null;
    setLagError(null);
  }, [kafkaProfileId, topic, group]);
  useStream(
    'kafka:watchLag',
    watched ? { ...watched, intervalMs: 1000 } : null,
    watched ? `${watched.profileId}/${watched.topic}/${watched.groupId}` : null,
    (event) => {
      pendingLag.current = recordLag(storeRef.current, event);
      requestRender();
    },
    setLagError,
  );

  useEffect(() => {
    recordSender(storeRef.current, senderSeconds);
    requestRender();
  }, [senderSeconds]);

  return { store: storeRef.current, version, podsNow, podsError, lag, lagError };
}
