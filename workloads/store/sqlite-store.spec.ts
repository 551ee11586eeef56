import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidCursorError } from './cursor';
import { StoreUnavailableError } from './result-store';
import { SqliteResultStore } from './sqlite-store';
import { sampleResult } from './sample-result';

const run = promisify(execFile);
const directories: string[] = [];

function freshPath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'barrage-sqlite-'));
  directories.push(directory);
  return join(directory, 'nested', 'results.sqlite');
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('SqliteResultStore', () => {
  it('stores a result once per id and lists in write order with resumable cursors', async () => {
    const store = new SqliteResultStore(freshPath());
    // Written out of id order, as unordered delivery does: the cursor follows writes, not ids.
    expect(await store.put(sampleResult('01J00000000000000000000003'))).toEqual({ created: true });
    expect(await store.put(sampleResult('01J00000000000000000000001'))).toEqual({ created: true });
    expect(await store.put(sampleResult('01J00000000000000000000003', { text: 'changed' }))).toEqual({
      created: false,
    });

    const all = await store.listAfter(undefined, 10);
    expect(all.map((item) => [item.id, item.text])).toEqual([
      ['01J00000000000000000000003', 'text of 01J00000000000000000000003'],
      ['01J00000000000000000000001', 'text of 01J00000000000000000000001'],
    ]);
    expect(all[0]).toMatchObject({ color: '#ff8800', mode: 'top', user: 'alice', flags: [] });
    expect(await store.latestCursor()).toBe(all[1]!.cursor);
    expect(await store.listAfter(all[0]!.cursor, 10)).toEqual([all[1]]);
    expect(await store.listAfter(all[1]!.cursor, 10)).toEqual([]);
    expect((await store.listAfter(undefined, 1)).length).toBe(1);
    await store.close();
  });

  it('counts a user’s messages inside a window, excluding the message itself', async () => {
    const store = new SqliteResultStore(freshPath());
    await store.put(sampleResult('01J0000000000000000000000A', { sentAt: '2026-01-01T00:00:01.000Z' }));
    await store.put(sampleResult('01J0000000000000000000000B', { sentAt: '2026-01-01T00:00:05.000Z' }));
    await store.put(sampleResult('01J0000000000000000000000C', { sentAt: '2026-01-01T00:00:09.000Z' }));
    await store.put(
      sampleResult('01J0000000000000000000000D', { sentAt: '2026-01-01T00:00:06.000Z', user: 'bob' }),
    );
    const since = new Date('2026-01-01T00:00:02.000Z');
    const before = new Date('2026-01-01T00:00:09.000Z');
    const count = (user: string, from: Date, to: Date, excludeId: string, atMost: number) =>
      store.countByUserSentBetween({ user, since: from, before: to, excludeId, atMost });
    expect(await count('alice', since, before, 'x', 100)).toBe(1);
    expect(await count('alice', new Date(0), before, '01J0000000000000000000000B', 100)).toBe(1);
    expect(await count('carol', new Date(0), before, 'x', 100)).toBe(0);
    // Counting stops at atMost, and the excluded id does not use up the allowance.
    const everything = new Date('2026-01-01T00:00:10.000Z');
    expect(await count('alice', new Date(0), everything, 'x', 100)).toBe(3);
    expect(await count('alice', new Date(0), everything, 'x', 2)).toBe(2);
    expect(await count('alice', new Date(0), everything, '01J0000000000000000000000A', 2)).toBe(2);
    expect(await count('alice', new Date(0), everything, '01J0000000000000000000000A', 3)).toBe(2);
    await store.close();
  });

  it('shares one file between two handles (HomePage reads what processing wrote)', async () => {
    const path = freshPath();
    const writer = new SqliteResultStore(path);
    const reader = new SqliteResultStore(path);
    expect(await reader.latestCursor()).toBeUndefined();
    await writer.put(sampleResult('01J00000000000000000000009'));
    expect((await reader.listAfter(undefined, 10)).map((item) => item.id)).toEqual([
      '01J00000000000000000000009',
    ]);
    await writer.close();
    await reader.close();
  });

  it('rejects a cursor it never handed out', async () => {
    const store = new SqliteResultStore(freshPath());
    await expect(store.listAfter('not-a-cursor', 10)).rejects.toBeInstanceOf(InvalidCursorError);
    await store.close();
  });

  it('reports failures as StoreUnavailableError', async () => {
    const store = new SqliteResultStore(freshPath());
    await store.close();
    await expect(store.put(sampleResult('01J00000000000000000000001'))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    const notADirectory = freshPath();
    new SqliteResultStore(notADirectory).close();
    expect(() => new SqliteResultStore(join(notADirectory, 'x.sqlite'))).toThrow(StoreUnavailableError);
  });

  it('keeps every write exactly once with four processes writing at the same time', async () => {
    const path = freshPath();
    new SqliteResultStore(path).close();
    const writers = [1, 2, 3, 4].map((seed) =>
      run(
        process.execPath,
        ['--import', 'tsx', 'test/support/workloads/sqlite-writer.ts', path, String(seed), '150'],
        {
          cwd: process.cwd(),
        },
      ),
    );
    const outputs = await Promise.all(writers);
    expect(outputs.map((output) => Number(output.stdout.trim()))).toEqual([150, 150, 150, 150]);
    const store = new SqliteResultStore(path);
    const rows = await store.listAfter(undefined, 1000);
    expect(rows.length).toBe(600);
    expect(new Set(rows.map((row) => row.id)).size).toBe(600);
    const cursors = rows.map((row) => Number(row.cursor));
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    await store.close();
  });

  it('waits for a lock another process holds without freezing its own event loop, then writes', async () => {
    const path = freshPath();
    const store = new SqliteResultStore(path);
    const other = new DatabaseSync(path);
    other.exec('BEGIN EXCLUSIVE');
    // A timer due every 10 ms: with SQLite's blocking busy handler it could not fire until the put returned.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 10);
    const writing = store.put(sampleResult('01J00000000000000000000042'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ticksWhileLocked = ticks;
    other.exec('COMMIT');
    other.close();
    expect(await writing).toEqual({ created: true });
    clearInterval(ticker);
    expect(ticksWhileLocked).toBeGreaterThanOrEqual(10);
    expect((await store.listAfter(undefined, 10)).map((row) => row.id)).toEqual([
      '01J00000000000000000000042',
    ]);
    await store.close();
  });

  it('gives up with StoreUnavailableError once the lock stays taken for the whole busy timeout', async () => {
    const path = freshPath();
    const store = new SqliteResultStore(path, { busyTimeoutMs: 200 });
    const other = new DatabaseSync(path);
    other.exec('BEGIN EXCLUSIVE');
    const began = performance.now();
    await expect(store.put(sampleResult('01J00000000000000000000043'))).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
    expect(performance.now() - began).toBeGreaterThanOrEqual(150);
    other.exec('ROLLBACK');
    other.close();
    await store.close();
  });
});
