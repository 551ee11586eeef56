// esbuild bundles of this repo's Node entries, published by content into `<cache>/workload-bundles/`: the barrage
// workloads and the probe fixture the virtual node runs as pod containers, and the playground's own Node processes
// (KIngress, FC double, KafkaSource, the API forwarder). Each runs as `node <bundle>/main.mjs`, as the pods' images
// do, not through a TypeScript loader: tsx kept an esbuild service child per process that woke every second to
// ping, for code that never changes while the playground runs.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleBanner } from '../../workloads/bundle-banner';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A new empty scratch folder for one bundle build, private to it. */
export function bundleScratchDir(cache: string, id: string): string {
  const parent = join(cache, 'workload-bundles');
  mkdirSync(parent, { recursive: true });
  return mkdtempSync(join(parent, `${id}.tmp-`));
}

const STALE_BUNDLE_MS = 24 * 3600_000;

/**
 * Moves a finished bundle folder to `<cache>/workload-bundles/<id>-<hash of its files>` and returns that path.
 * Content-addressed because several playgrounds share one cache (the user's, the test suite's, and the private
 * ones some tests start at the same time): a folder, once published, is never rewritten or removed while it is
 * current, so a pod of one playground never loses its files to another playground's `up`, and two builders racing
 * to publish the same bundle both succeed. Other bundles of the same id, and scratch folders a crash left, are
 * pruned once a day old.
 */
export function publishBundle(cache: string, id: string, tmp: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(tmp, { recursive: true, encoding: 'utf8' })
    .map((name) => join(tmp, name))
    .filter((file) => statSync(file).isFile())
    .sort();
  for (const file of files) hash.update(`${relative(tmp, file)}\0`).update(readFileSync(file));
  const parent = join(cache, 'workload-bundles');
  const name = `${id}-${hash.digest('hex').slice(0, 16)}`;
  const target = join(parent, name);
  if (!existsSync(join(target, 'main.mjs'))) {
    try {
      renameSync(tmp, target);
    } catch (error) {
      // Another builder published the same content first: theirs is identical, keep it.
      if (!existsSync(join(target, 'main.mjs'))) throw error;
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  for (const other of readdirSync(parent)) {
    if (other === name || !(other.startsWith(`${id}-`) || other.startsWith(`${id}.tmp-`))) continue;
    const path = join(parent, other);
    if (Date.now() - statSync(path).mtimeMs > STALE_BUNDLE_MS) rmSync(path, { recursive: true, force: true });
  }
  return target;
}

/**
 * Bundles one entry (a path from the repo root, or absolute) as the Dockerfiles do: esbuild, ESM, node24, every dependency
 * inside, and the banner that gives CommonJS dependencies a `require`. Returns the published folder, whose
 * `main.mjs` is the bundle; `addFiles` may put run-time assets into the scratch folder before it is published.
 * Rebuilt on every `up` (well under a second per entry); an unchanged bundle publishes to the same folder.
 */
export async function bundleEntry(
  cache: string,
  id: string,
  entry: string,
  addFiles?: (scratch: string) => void,
): Promise<string> {
  const { build } = await import('esbuild');
  const tmp = bundleScratchDir(cache, id);
  await build({
    entryPoints: [resolve(repoRoot, entry)],
    absWorkingDir: repoRoot,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    outfile: join(tmp, 'main.mjs'),
    legalComments: 'none',
    banner: { js: bundleBanner },
    logLevel: 'silent',
  });
  addFiles?.(tmp);
  return publishBundle(cache, id, tmp);
}
