// Which images the playground can run, and the entry each runs: the barrage images (workloads/images.ts) plus the
// runtime's own probe fixture for its tests and benches. Anything else cannot run here (no registry, no container
// engine), and the Revision says so. The barrage images run the esbuild bundle their Dockerfile builds once the
// runtime has made it (`useBundledEntries`, at its start), else their TypeScript source through tsx.

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barrageImages, sourceForImage } from '../../workloads/images';
import { PROBE_ENTRY, PROBE_IMAGE } from '../probe/probe-image';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export { PROBE_IMAGE } from '../probe/probe-image';

/** Image → bundled entry (`main.mjs`), set once by the runtime after bundling. */
const bundledEntries = new Map<string, string>();

export function useBundledEntries(entries: Record<string, string>): void {
  for (const [image, entry] of Object.entries(entries)) bundledEntries.set(image, entry);
}

export function entryForImage(image: string): string | undefined {
  const trimmed = image.trim();
  if (trimmed === PROBE_IMAGE || trimmed.endsWith(`/${PROBE_IMAGE}`)) return PROBE_ENTRY;
  const barrage = sourceForImage(trimmed);
  if (!barrage) return undefined;
  return bundledEntries.get(barrage.image) ?? resolve(repoRoot, barrage.entry);
}

export function runnableImages(): string[] {
  return [...Object.values(barrageImages).map((image) => image.image), PROBE_IMAGE];
}
