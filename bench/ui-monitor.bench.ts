// Frame rate of the Monitor timeline in headless Chromium (software rendering, --disable-gpu): 10 series of 600
// points each, one new point per series every second, pushed through the real MonitorView by the synthetic
// engine. Reference: the same page with nothing mounted, measured in the same run (what this machine's
// compositor gives at best); the ratio is monitor / reference. Goal: 60 fps median.
import { median } from './ui-support';
import { buildBenchPage, runScenario } from './ui-bench-page';

const seconds = Number(process.env.UI_BENCH_SECONDS ?? 10);

buildBenchPage();
const reference = await runScenario('idle', { seconds, warmupMs: 1000 });
const monitor = await runScenario('monitor', { seconds, warmupMs: 3000 });
const referenceFps = median(reference.fps);
const monitorFps = median(monitor.fps);
console.log(
  `ui-monitor-fps (10 series x 600 points, 1 update/s): ${monitorFps.toFixed(1)} fps median ` +
    `(${referenceFps.toFixed(1)} fps empty page, ${(monitorFps / referenceFps).toFixed(2)})`,
);
console.log(
  `ui-monitor-fps-min: ${Math.min(...monitor.fps)} fps (${Math.min(...reference.fps)} fps empty page, ${(Math.min(...monitor.fps) / Math.min(...reference.fps)).toFixed(2)})`,
);
