// Frame rate of the danmaku viewer in headless Chromium (software rendering): the real DanmakuViewer with
// 1,000+ comments on screen and 200 new comments per second. Reference: the same page with nothing mounted,
// measured in the same run; the ratio is viewer / reference. Goal: 60 fps median.
import { median } from './ui-support';
import { buildBenchPage, runScenario } from './ui-bench-page';

const seconds = Number(process.env.UI_BENCH_SECONDS ?? 10);

buildBenchPage();
const reference = await runScenario('idle', { seconds, warmupMs: 1000 });
const viewer = await runScenario('viewer', { seconds, warmupMs: 20_000, readyOnScreen: 1000 });
const referenceFps = median(reference.fps);
const viewerFps = median(viewer.fps);
console.log(
  `ui-viewer-fps (${viewer.onScreen} comments on screen, 200 new/s): ${viewerFps.toFixed(1)} fps median ` +
    `(${referenceFps.toFixed(1)} fps empty page, ${(viewerFps / referenceFps).toFixed(2)})`,
);
// Comments that found no free lane in time, per second, against the 200/s offered: the stage is full at 1,000+
// comments, so the surplus is dropped and counted rather than drawn over other comments.
const droppedPerSecond = viewer.dropped / (seconds + 1);
console.log(
  `ui-viewer-dropped: ${droppedPerSecond.toFixed(1)} comments/s (200 comments/s offered, ${(droppedPerSecond / 200).toFixed(2)})`,
);
