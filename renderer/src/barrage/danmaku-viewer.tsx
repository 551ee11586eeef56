// The danmaku viewer: a canvas stage with speed and size controls and the counters that matter when the stream
// outruns the display (shown, dropped, waiting, on screen, fps; and, when the stream outlived an earlier stage, what
// arrived off screen). Comments are pushed in through `onStage`.
import { useEffect, useRef, useState } from 'react';
import { DanmakuStage } from './danmaku-stage';

export function DanmakuViewer({
  onStage,
  height = 420,
  extraDropped = 0,
  received,
  offScreen = 0,
  initialFontSize = 16,
}: {
  /** Receives the stage once it exists (and null when it goes away). */
  onStage: (stage: DanmakuStage | null) => void;
  height?: number;
  /** Drops that happened before the stage (the engine's bounded buffer), added to the counter. */
  extraDropped?: number;
  /** Comments received in all, when the stream outlives the stage (shown instead of the stage's own count). */
  received?: number;
  /** Of `received`, those that arrived while no stage was on screen (counted, never drawn). */
  offScreen?: number;
  initialFontSize?: number;
}) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stageRef = useRef<DanmakuStage | null>(null);
  const [speed, setSpeed] = useState(144);
  const [fontSize, setFontSize] = useState(initialFontSize);
  const [stats, setStats] = useState({ received: 0, shown: 0, dropped: 0, pending: 0, onScreen: 0, fps: 0 });

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const stage = new DanmakuStage(canvas, { fontSize: initialFontSize, speed: 144 });
    stageRef.current = stage;
    stage.start();
    onStage(stage);
    const observer = new ResizeObserver(() => stage.resize());
    observer.observe(canvas);
    // Counters refresh twice a second: often enough to read, rare enough to cost nothing.
    const timer = setInterval(() => setStats(stage.stats()), 500);
    return () => {
      clearInterval(timer);
      observer.disconnect();
      stage.stop();
      onStage(null);
      stageRef.current = null;
    };
    // The stage is created once per mount; speed and font changes go through setters below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => stageRef.current?.setSpeed(speed), [speed]);
  useEffect(() => stageRef.current?.setFontSize(fontSize), [fontSize]);

  return (
    <div>
      <div className="row" style={{ marginBottom: 8 }}>
        <label htmlFor="danmaku-speed">Speed</label>
        <input
          id="danmaku-speed"
          type="range"
          min={48}
          max={480}
          step={12}
          value={speed}
          onChange={(e) => setSpeed(Number(e.target.value))}
          aria-valuetext={`${speed} pixels per second`}
        />
        <span className="mono">{speed} px/s</span>
        <label htmlFor="danmaku-size">Size</label>
        <select id="danmaku-size" value={fontSize} onChange={(e) => setFontSize(Number(e.target.value))}>
          {[12, 14, 16, 20, 24].map((size) => (
            <option key={size} value={size}>
              {size}px
            </option>
          ))}
        </select>
        <button type="button" className="btn" onClick={() => stageRef.current?.clear()}>
          Clear
        </button>
      </div>
      <div className="danmaku-stage" style={{ height }}>
        <canvas
          ref={canvasRef}
          data-testid="danmaku-canvas"
          aria-label="Barrage comments flying across the stage"
          role="img"
        />
      </div>
      <div className="stat-grid" style={{ marginTop: 8 }} data-testid="danmaku-stats">
        <Stat label="received" value={received ?? stats.received} testId="danmaku-received" />
        {offScreen > 0 ? (
          <Stat
            label="arrived off screen"
            value={offScreen}
            testId="danmaku-off-screen"
            title="Received while the Barrage screen was closed: counted, not drawn"
          />
        ) : null}
        <Stat label="shown" value={stats.shown} testId="danmaku-shown" />
        <Stat label="on screen" value={stats.onScreen} testId="danmaku-onscreen" />
        <Stat label="waiting for a lane" value={stats.pending} />
        <Stat label="dropped" value={stats.dropped + extraDropped} testId="danmaku-dropped" />
        <Stat label="fps" value={stats.fps} testId="danmaku-fps" />
      </div>
    </div>
  );
}

function Stat({
  label,
  value,
  testId,
  title,
}: {
  label: string;
  value: number;
  testId?: string;
  title?: string;
}) {
  return (
    <div className="stat" title={title}>
      <div className="value" data-testid={testId}>
        {value}
      </div>
      <div className="label">{label}</div>
    </div>
  );
}
