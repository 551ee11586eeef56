// The UI benchmark page (bench.html). `?scenario=monitor|viewer|idle` mounts one real component over the synthetic
// engine and reports frame times on window.__bench for bench/ui-*.bench.ts to read:
// - monitor: the Monitor timeline (10 series, 600 points each, one new point per series per second);
// - viewer: the danmaku viewer fed 200 comments per second until 1,000+ are on screen;
// - idle: an empty page running the same frame counter — the reference the others are compared with.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { SessionProvider } from '../app/session';
import { DanmakuViewer } from '../barrage/danmaku-viewer';
import type { DanmakuStage } from '../barrage/danmaku-stage';
import { EngineProvider } from '../engine/engine-context';
import { MonitorView } from '../screens/monitor-screen';
import '../styles/app.css';
import { createSyntheticEngine } from './synthetic-engine';

interface BenchState {
  frames: number[];
  onScreen: number;
  dropped: number;
  ready: boolean;
}
const bench: BenchState = { frames: [], onScreen: 0, dropped: 0, ready: false };
(window as unknown as { __bench: BenchState }).__bench = bench;

function countFrames(now: number): void {
  bench.frames.push(now);
  requestAnimationFrame(countFrames);
}
requestAnimationFrame(countFrames);

const search = new URLSearchParams(window.location.search);
const scenario = search.get('scenario') ?? 'idle';
const commentsPerSecond = Number(search.get('rate') ?? 200);
const engine = createSyntheticEngine({ services: 1, historyPoints: 600, commentsPerSecond });
document.documentElement.dataset.theme = search.get('theme') === 'light' ? 'light' : 'dark';

function ViewerBench() {
  return (
    <DanmakuViewer
      height={window.innerHeight - 140}
      initialFontSize={14}
      onStage={(stage: DanmakuStage | null) => {
        if (!stage) return;
        let sequence = 0;
        // 200 per second in 20 ms slices, like a stream delivered in small batches.
        setInterval(() => {
          for (let i = 0; i < commentsPerSecond / 50; i += 1) {
            sequence += 1;
            stage.emit({
              text: `弹幕 ${sequence % 1000}`,
              mode: 'scroll',
              color: sequence % 3 ? '#ffffff' : '#ffd166',
            });
          }
          const stats = stage.stats();
          bench.onScreen = stats.onScreen;
          bench.dropped = stats.dropped;
        }, 20);
      }}
    />
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('bench.html has no #root');
createRoot(root).render(
  <StrictMode>
    <EngineProvider client={engine}>
      <SessionProvider>
        <div style={{ padding: 12 }}>
          {scenario === 'monitor' ? (
            <MonitorView context="playground-admin" namespace="demo" kafkaProfileId="playground" />
          ) : null}
          {scenario === 'viewer' ? <ViewerBench /> : null}
        </div>
      </SessionProvider>
    </EngineProvider>
  </StrictMode>,
);
bench.ready = true;
