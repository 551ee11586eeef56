// The playground as the console engine sees it: the full PlaygroundPort (electron/backend/playground/
// playground-port.ts) — state reader plus start/stop/status — built from the same functions as
// `npm run -s playground -- up|down|status`. Wired only by the web/dev entry and the tests: playground/ may not be
// imported by the engine itself (see eslint.config.js), so the packaged desktop bundle never carries it.
import { defaultPlaygroundDir, readPlaygroundInfo } from './info';
import { downPlayground, playgroundStatus, upPlayground } from './playground';

export function playgroundEnginePort(dir: string = defaultPlaygroundDir()) {
  return {
    dir,
    readState: () => readPlaygroundInfo(dir),
    control: {
      status: () => playgroundStatus({ dir }),
      up: (options: { kafka: boolean; progress: (line: string) => void }) =>
        upPlayground({ dir, ...options }),
      down: (options: { progress: (line: string) => void }) => downPlayground({ dir, ...options }),
    },
  };
}
