// Runs one scenario of the UI bench page (renderer/bench.html, built with `vite build --mode bench`) in headless
// Chromium and returns its per-second frame counts. Used by bench/ui-monitor.bench.ts and ui-viewer.bench.ts.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { viteBuildRenderer } from '../test/support/vite-build';
import { framesPerSecond, launchChromium, serveStatic } from './ui-support';

const repoRoot = join(import.meta.dirname, '..');
const benchDist = join(repoRoot, 'dist', 'renderer-bench');

/** Builds the bench page once per process (it is not part of the shipped UI). */
export function buildBenchPage(): void {
  if (process.env.UI_BENCH_SKIP_BUILD === '1' && existsSync(join(benchDist, 'bench.html'))) return;
  viteBuildRenderer('bench');
}

export interface ScenarioResult {
  fps: number[];
  onScreen: number;
  /** Comments dropped during the measured seconds. */
  dropped: number;
}

/**
 * Opens `scenario`, waits until `ready` holds in the page (or `warmupMs` passes), then records frames for
 * `seconds`. The viewport is fixed (1600×1100) so runs compare.
 */
export async function runScenario(
  scenario: 'idle' | 'monitor' | 'viewer',
  options: { seconds: number; warmupMs: number; readyOnScreen?: number },
): Promise<ScenarioResult> {
  const server = await serveStatic(benchDist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/bench.html?scenario=${scenario}`);
    await page.waitForFunction(
      () => (globalThis as unknown as { __bench?: { ready: boolean } }).__bench?.ready === true,
    );
    const deadline = Date.now() + options.warmupMs;
    while (Date.now() < deadline) {
      const onScreen = await page.evaluate(
        () => (globalThis as unknown as { __bench: { onScreen: number } }).__bench.onScreen,
      );
      if (options.readyOnScreen !== undefined && onScreen >= options.readyOnScreen) break;
      await page.waitForTimeout(250);
    }
    const droppedBefore = await page.evaluate(() => {
      const state = (globalThis as unknown as { __bench: { frames: number[]; dropped: number } }).__bench;
      state.frames = [];
      return state.dropped;
    });
    await page.waitForTimeout(options.seconds * 1000 + 1000);
    const result = await page.evaluate(() => {
      const state = (
        globalThis as unknown as { __bench: { frames: number[]; onScreen: number; dropped: number } }
      ).__bench;
      return { frames: state.frames, onScreen: state.onScreen, dropped: state.dropped };
    });
    if (errors.length > 0) throw new Error(`bench page errors: ${errors.join('; ')}`);
    return {
      fps: framesPerSecond(result.frames),
      onScreen: result.onScreen,
      dropped: result.dropped - droppedBefore,
    };
  } finally {
    await browser.close();
    await server.close();
  }
}
