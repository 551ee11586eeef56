import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPlaygroundInfo, runtimeFilePath, stateFilePath, type PlaygroundInfo } from './info';

const root = mkdtempSync(join(tmpdir(), 'knd-info-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function stateIn(dir: string, parts: PlaygroundInfo['parts']): PlaygroundInfo {
  return {
    dir,
    kubeconfig: join(dir, 'kubeconfig'),
    contexts: { admin: 'knative-desk-playground', viewer: 'knative-desk-playground-viewer' },
    apiServer: 'https://127.0.0.1:1',
    kafkaBrokers: [],
    viewerNamespace: 'knative-desk-demo',
    parts,
    versions: {},
  };
}

describe('readPlaygroundInfo', () => {
  it('is undefined where no playground was ever started', () => {
    expect(readPlaygroundInfo(join(root, 'none'))).toBeUndefined();
  });

  it('refreshes running from the pid and merges runtime.json, keeping the playground fields', () => {
    const dir = mkdtempSync(join(root, 'pg-'));
    const part = { running: false, pid: process.pid, log: 'x', startedAt: '' };
    const dead = { running: true, pid: 2 ** 22 + 12345, log: 'y', startedAt: '' };
    writeFileSync(stateFilePath(dir), JSON.stringify(stateIn(dir, { alive: part, dead })));
    writeFileSync(
      runtimeFilePath(dir),
      JSON.stringify({ pid: 1, fc: { endpoint: 'http://x' }, dir: '/elsewhere' }),
    );
    const info = readPlaygroundInfo(dir)!;
    expect(info.parts.alive?.running).toBe(true);
    expect(info.parts.dead?.running).toBe(false);
    expect(info.fc).toEqual({ endpoint: 'http://x' });
    expect(info.dir).toBe(dir);
  });

  it('ignores a half-written runtime.json rather than hiding the playground', () => {
    const dir = mkdtempSync(join(root, 'pg-'));
    writeFileSync(stateFilePath(dir), JSON.stringify(stateIn(dir, {})));
    writeFileSync(runtimeFilePath(dir), '{"fc": ');
    expect(readPlaygroundInfo(dir)?.kubeconfig).toBe(join(dir, 'kubeconfig'));
  });

  it('reports a corrupt state file with its path', () => {
    const dir = mkdtempSync(join(root, 'pg-'));
    writeFileSync(stateFilePath(dir), 'not json');
    expect(() => readPlaygroundInfo(dir)).toThrow(stateFilePath(dir));
    writeFileSync(stateFilePath(dir), '{"hello": 1}');
    expect(() => readPlaygroundInfo(dir)).toThrow(/not a playground state file/);
  });
});
