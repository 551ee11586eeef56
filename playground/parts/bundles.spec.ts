// How bundles are published into a cache several playgrounds share, and that a playground process's bundle runs
// as `node main.mjs` with its CommonJS dependencies inside.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import { bundleEntry, bundleScratchDir, publishBundle } from './bundles';

const newCache = tempDirs('bundle-cache');

function built(cache: string, id: string, code: string): string {
  const tmp = bundleScratchDir(cache, id);
  writeFileSync(join(tmp, 'main.mjs'), code);
  return tmp;
}

describe('bundles', () => {
  it('publishes a bundle by content: a racing builder of the same bundle succeeds, a changed one leaves the old in place', () => {
    const cache = newCache();
    // Two playgrounds built the same bundle at once (the CI failure this guards: one removed the folder the other
    // was renaming into).
    const first = built(cache, 'homepage', 'console.log(1)');
    const second = built(cache, 'homepage', 'console.log(1)');
    const a = publishBundle(cache, 'homepage', first);
    const b = publishBundle(cache, 'homepage', second);
    expect(b).toBe(a);
    expect(readFileSync(join(a, 'main.mjs'), 'utf8')).toBe('console.log(1)');
    expect(existsSync(first) || existsSync(second)).toBe(false);
    // A new version goes beside the old one, which a running pod may still use.
    const c = publishBundle(cache, 'homepage', built(cache, 'homepage', 'console.log(2)'));
    expect(c).not.toBe(a);
    expect(readFileSync(join(a, 'main.mjs'), 'utf8')).toBe('console.log(1)');
    // Once a day old, other versions of that bundle are pruned; other ids are not touched.
    const probe = publishBundle(cache, 'probe', built(cache, 'probe', 'console.log(1)'));
    const dayAgo = (Date.now() - 25 * 3600_000) / 1000;
    utimesSync(a, dayAgo, dayAgo);
    utimesSync(probe, dayAgo, dayAgo);
    expect(publishBundle(cache, 'homepage', built(cache, 'homepage', 'console.log(2)'))).toBe(c);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(probe)).toBe(true);
  });

  // The playground's own processes run as these bundles (node-script.ts). Run without a state file, each loads every
  // module it bundles (the kube client, kafkajs and their CommonJS dependencies through the banner's `require`)
  // before it reaches its usage line; a bundle that cannot load fails with another error, or exit 1.
  it.each([
    ['kingress', 'playground/kingress/kingress-main.ts'],
    ['fc', 'playground/fc/fc-main.ts'],
    ['kafka-source', 'playground/kafka-source/kafka-source-main.ts'],
  ])(
    'bundles the %s process so that it loads and runs as node main.mjs',
    async (name, script) => {
      const folder = await bundleEntry(newCache(), `playground-${name}`, script);
      const run = spawnSync(process.execPath, [join(folder, 'main.mjs')], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(run.stderr).toContain(`usage: node <bundle of ${script}> <playground-dir>/state.json`);
      expect(run.status).toBe(2);
    },
    60_000,
  );
});
