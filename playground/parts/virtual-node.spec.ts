// The virtual node's part: its per-dir network (no two playgrounds share a bridge or a name prefix), the source
// hash that decides rebuilds, and the Go unit tests of the node's pure parts (probe logic, image map, env, restart
// policy, pod status, logs, the hosts file), run with `go test` so `.ci/run` reaches them.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../info';
import { nodeNetwork, sourceHash } from './virtual-node';

const moduleDir = fileURLToPath(new URL('../virtual-node', import.meta.url));

describe('virtual node part', () => {
  it('gives the default playground the bridge on the board, and other dirs their own prefix and /24', () => {
    expect(nodeNetwork(join(defaultCacheDir(), 'playground'))).toEqual({
      prefix: 'kd',
      bridgeCidr: '10.213.0.1/16',
      internalIp: '10.213.0.1',
    });
    const a = nodeNetwork('/work/a/.test-playground');
    const b = nodeNetwork('/work/b/.test-playground');
    for (const n of [a, b]) {
      expect(n.prefix).toMatch(/^kd[a-z0-9]{3}$/);
      expect(n.bridgeCidr).toMatch(/^10\.(2(0\d|1[0-2]))\.\d{1,3}\.1\/24$/);
      expect(n.bridgeCidr.startsWith(n.internalIp)).toBe(true);
    }
    expect(a.prefix).not.toBe(b.prefix);
    expect(nodeNetwork('/work/a/.test-playground')).toEqual(a);
  });

  it('hashes the Go sources and pins, so only their change rebuilds the binary', () => {
    expect(sourceHash()).toMatch(/^[0-9a-f]{16}$/);
    expect(sourceHash()).toBe(sourceHash());
  });

  it('passes the Go unit tests of the node', () => {
    const go = spawnSync('go', ['test', './...'], {
      cwd: moduleDir,
      env: { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod' },
      encoding: 'utf8',
    });
    if (go.error) throw new Error(`could not run 'go test' (is Go >= 1.26 installed?): ${go.error.message}`);
    expect(go.status, `${go.stdout}\n${go.stderr}`).toBe(0);
    expect(go.stdout).toContain(join('virtual-node', 'probe'));
  }, 900_000);
});
