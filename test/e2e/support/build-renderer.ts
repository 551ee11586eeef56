// Vitest globalSetup for e2e: builds the renderer once (web mode serves dist/renderer), so the tests always drive
// the UI of this checkout rather than a stale build.
import { viteBuildRenderer } from '../../support/vite-build';

export default function setup(): void {
  viteBuildRenderer();
}
