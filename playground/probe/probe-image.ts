// The playground's probe image, a tiny workload of ours for tests and benches (probe-server.ts says what it
// does). No registry can be reached here, so the image name maps to this entry: the virtual node runs its esbuild
// bundle (parts/upstream-parts.ts), as it runs the barrage images' bundles.
import { fileURLToPath } from 'node:url';

export const PROBE_IMAGE = 'knative-desk/playground-probe:0.1.0';

/** Absolute path of the probe's TypeScript entry. */
export const PROBE_ENTRY = fileURLToPath(new URL('./probe-server.ts', import.meta.url));
