// Which images the playground can run, and the source entry each runs: the barrage images (workloads/images.ts)
// plus the runtime's own probe fixture for its tests and benches. Anything else cannot run here (no registry, no
// container engine), and the Revision says so.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barrageImages, sourceForImage } from '../../workloads/images';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const PROBE_IMAGE = 'knative-desk/playground-probe:0.1.0';
const PROBE_ENTRY = 'playground/runtime/fixtures/probe-server.ts';

export function entryForImage(image: string): string | undefined {
  const trimmed = image.trim();
  if (trimmed === PROBE_IMAGE || trimmed.endsWith(`/${PROBE_IMAGE}`)) return resolve(repoRoot, PROBE_ENTRY);
  const barrage = sourceForImage(trimmed);
  return barrage ? resolve(repoRoot, barrage.entry) : undefined;
}

export function runnableImages(): string[] {
  return [...Object.values(barrageImages).map((image) => image.image), PROBE_IMAGE];
}
