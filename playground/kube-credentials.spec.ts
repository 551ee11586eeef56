import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_USER, ensureKubeCredentials } from './kube-credentials';

const dir = mkdtempSync(join(tmpdir(), 'knd-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the playground kube credentials', () => {
  it('keeps its tokens, and leaves the token file kube-apiserver reads alone when it is already right', () => {
    const first = ensureKubeCredentials(dir);
    const past = new Date('2026-01-01T00:00:00Z');
    utimesSync(first.tokenFile, past, past);
    const again = ensureKubeCredentials(dir);
    expect(again.adminToken).toBe(first.adminToken);
    // Not rewritten: a kube-apiserver starting now must never read it half written (every readiness probe asks).
    expect(statSync(again.tokenFile).mtime).toEqual(past);
    expect(readFileSync(again.tokenFile, 'utf8')).toContain(`${first.adminToken},${ADMIN_USER},1,`);
  });

  it('replaces a token file that is wrong (here: emptied) with a whole one', () => {
    const { tokenFile, adminToken, viewerToken } = ensureKubeCredentials(dir);
    writeFileSync(tokenFile, '');
    ensureKubeCredentials(dir);
    const lines = readFileSync(tokenFile, 'utf8').trim().split('\n');
    expect(lines.map((line) => line.split(',')[0])).toEqual([adminToken, viewerToken]);
  });
});
