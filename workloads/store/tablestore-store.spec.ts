// The Tablestore result store through the real `tablestore` SDK against the contract double
// (test/support/tablestore-double.ts): every request below is encoded, signed and sent by the SDK, and decoded, verified and
// answered by the double. No real Tablestore is involved.
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidCursorError } from './cursor';
import { openResultStore, StoreConfigError } from './open-store';
import { StoreUnavailableError } from './result-store';
import { startTablestoreDouble, type TablestoreDouble } from '../../test/support/tablestore-double';
import {
  TablestoreResultStore,
  tablestorePrimaryKeys,
  type TablestoreStoreOptions,
} from './tablestore-store';
import { sampleResult } from './sample-result';

const tableName = 'barrage_results';
const credentials = { accessKeyId: 'LTAI-test-key', accessKeySecret: 'test-secret-0123456789' };
let double: TablestoreDouble;
const stores: TablestoreResultStore[] = [];

beforeEach(async () => {
  double = await startTablestoreDouble({
    instanceName: 'barrage',
    ...credentials,
    tables: tablestorePrimaryKeys(tableName),
  });
});

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  await double.close();
});

function open(overrides: Partial<TablestoreStoreOptions> = {}): TablestoreResultStore {
  const store = new TablestoreResultStore({
    endpoint: double.endpoint,
    instanceName: 'barrage',
    tableName,
    ...credentials,
    ...overrides,
  });
  stores.push(store);
  return store;
}

describe('TablestoreResultStore against the contract double', () => {
  it('stores a result once per id: a redelivery is refused by EXPECT_NOT_EXIST and not listed twice', async () => {
    const store = open();
    await store.ping();
    expect(await store.put(sampleResult('01J00000000000000000000003'))).toEqual({ created: true });
    expect(await store.put(sampleResult('01J00000000000000000000003', { text: 'changed' }))).toEqual({
      created: false,
    });
    const guarded = double.requests.filter((request) => request.table === tableName);
    expect(guarded.map((request) => [request.rowExistence, request.status, request.code])).toEqual([
      ['EXPECT_NOT_EXIST', 200, undefined],
      ['EXPECT_NOT_EXIST', 403, 'OTSConditionCheckFail'],
    ]);
    expect(double.rowCount(tableName)).toBe(1);
    const listed = await store.listAfter(undefined, 10);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      id: '01J00000000000000000000003',
      text: 'text of 01J00000000000000000000003',
    });
  });

  it('lists in write order with resumable cursors, across pages', async () => {
    const store = open();
    expect(await store.latestCursor()).toBeUndefined();
    expect(await store.listAfter(undefined, 10)).toEqual([]);
    // Written out of id order, as unordered delivery does: the cursor follows writes, not ids.
    const ids = ['01J00000000000000000000005', '01J00000000000000000000001', '01J00000000000000000000004'];
    for (const id of ids) await store.put(sampleResult(id, { user: undefined }));
    await store.put(sampleResult(ids[1]!)); // redelivery in the middle: an orphan log entry the readers skip
    await store.put(sampleResult('01J00000000000000000000002', { mode: 'bottom' }));

    const all = await store.listAfter(undefined, 10);
    expect(all.map((item) => item.id)).toEqual([...ids, '01J00000000000000000000002']);
    expect(all[0]).toMatchObject({ color: '#ff8800', mode: 'top', flags: [] });
    expect(all[0]!.user).toBeUndefined();
    expect(all[3]).toMatchObject({ mode: 'bottom', user: 'alice' });
    const cursors = all.map((item) => BigInt(item.cursor));
    expect([...cursors].sort((a, b) => (a < b ? -1 : 1))).toEqual(cursors);

    const pages: string[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const items = await store.listAfter(cursor, 2);
      if (items.length === 0) break;
      pages.push(items.map((item) => item.id));
      cursor = items[items.length - 1]!.cursor;
    }
    expect(pages).toEqual([ids.slice(0, 2), [ids[2]!, '01J00000000000000000000002']]);
    expect(await store.latestCursor()).toBe(all[3]!.cursor);
    expect(await store.listAfter(all[3]!.cursor, 10)).toEqual([]);
    await expect(store.listAfter('not-a-cursor', 10)).rejects.toBeInstanceOf(InvalidCursorError);
    await expect(store.listAfter('99999999999999999999', 10)).rejects.toBeInstanceOf(InvalidCursorError);
  });

  it('stops before a log entry whose result row is still being written, and skips it once abandoned', async () => {
    let now = Date.parse('2026-01-01T00:01:00.000Z');
    const store = open({ now: () => now, pendingGraceMs: 30_000 });
    await store.put(sampleResult('01J00000000000000000000001'));
    // A writer that logged its entry and then failed the guarded write (it would be redelivered later).
    double.failNext({ operation: 'PutRow', table: tableName, status: 500, code: 'OTSInternalServerError' });
    await expect(store.put(sampleResult('01J00000000000000000000002'))).rejects.toMatchObject({
      code: 'OTSInternalServerError',
    });
    await store.put(sampleResult('01J00000000000000000000003'));
    const before = await store.listAfter(undefined, 10);
    expect(before.map((item) => item.id)).toEqual(['01J00000000000000000000001']);
    expect(await store.latestCursor()).toBe(before[0]!.cursor);
    now += 31_000;
    expect((await store.listAfter(undefined, 10)).map((item) => item.id)).toEqual([
      '01J00000000000000000000001',
      '01J00000000000000000000003',
    ]);
  });

  it("counts a user's results by sentAt, excluding the one being processed", async () => {
    const store = open();
    const at = (second: number) => `2026-01-01T00:00:${String(second).padStart(2, '0')}.000Z`;
    await store.put(sampleResult('01J00000000000000000000001', { sentAt: at(1) }));
    await store.put(sampleResult('01J00000000000000000000002', { sentAt: at(5) }));
    await store.put(sampleResult('01J00000000000000000000003', { sentAt: at(9) }));
    await store.put(sampleResult('01J00000000000000000000003', { sentAt: at(9) })); // redelivery: same by_user row
    await store.put(sampleResult('01J00000000000000000000004', { sentAt: at(5), user: 'bob' }));
    await store.put(sampleResult('01J00000000000000000000005', { sentAt: at(6), user: undefined }));
    const count = (since: number, before: number, exclude = 'none', atMost = 100, user = 'alice') =>
      store.countByUserSentBetween({
        user,
        since: new Date(at(since)),
        before: new Date(at(before)),
        excludeId: exclude,
        atMost,
      });
    expect(await count(0, 10)).toBe(3);
    expect(await count(1, 9)).toBe(2); // [since, before)
    expect(await count(0, 10, '01J00000000000000000000002')).toBe(2);
    // Counting stops at atMost, and the excluded id does not use up the allowance.
    expect(await count(0, 10, 'none', 2)).toBe(2);
    expect(await count(0, 10, '01J00000000000000000000001', 2)).toBe(2);
    expect(await count(0, 10, '01J00000000000000000000001', 3)).toBe(2);
    expect(await count(0, 10, 'none', 100, 'bob')).toBe(1);
    expect(await count(0, 10, 'none', 100, 'carol')).toBe(0);
  });

  it('reports a wrong secret or key id as OTSAuthFailed, clearly', async () => {
    const wrongSecret = open({ accessKeySecret: 'not-the-secret' });
    const failure = await wrongSecret
      .put(sampleResult('01J00000000000000000000001'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(failure).toMatchObject({ code: 'OTSAuthFailed' });
    expect((failure as Error).message).toMatch(
      /OTSAuthFailed: the access key in OTS_KEYID \/ OTS_SECRET was refused/,
    );
    expect((failure as Error).message).toMatch(/Signature mismatch/);
    await expect(open({ accessKeyId: 'LTAI-other' }).ping()).rejects.toThrow(/OTSAuthFailed.*AccessKeyID/);
    expect(double.rowCount(`${tableName}_by_user`)).toBe(0);
  });

  it('says which table is missing when ping finds the instance without it', async () => {
    await expect(open({ tableName: 'other_results' }).ping()).rejects.toThrow(
      /has no table other_results, other_results_log, other_results_by_user/,
    );
  });

  it('a store outage (every request 503 OTSServerUnavailable) fails the put, writes nothing, then works again', async () => {
    const store = open({ maxRetries: 0 });
    double.setUnavailable(true);
    const failure = await store
      .put(sampleResult('01J00000000000000000000007'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect(double.requests.at(-1)).toMatchObject({ status: 503, code: 'OTSServerUnavailable' });
    expect(double.rowKeys(tableName)).toEqual([]);
    double.setUnavailable(false);
    expect(await store.put(sampleResult('01J00000000000000000000007'))).toEqual({ created: true });
    expect(double.rowKeys(tableName)).toEqual([['01J00000000000000000000007']]);
  });

  it('turns an unreachable endpoint into StoreUnavailableError', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const store = open({ endpoint: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const failure = await store
      .put(sampleResult('01J00000000000000000000001'))
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toMatch(/unreachable.*ECONNREFUSED/);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('is chosen by STORE=tablestore with the seed env names, and names what is missing', async () => {
    const env = {
      STORE: 'tablestore',
      OTS_ENDPOINT: double.endpoint,
      OTS_INSTANCENAME: 'barrage',
      TABLE_NAME: tableName,
      OTS_KEYID: credentials.accessKeyId,
      OTS_SECRET: credentials.accessKeySecret,
    };
    const store = await openResultStore(env);
    expect(store).toBeInstanceOf(TablestoreResultStore);
    stores.push(store as TablestoreResultStore);
    await store.ping();
    for (const name of ['OTS_ENDPOINT', 'OTS_INSTANCENAME', 'TABLE_NAME', 'OTS_KEYID', 'OTS_SECRET']) {
      const failure = await openResultStore({ ...env, [name]: ' ' }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreConfigError);
      expect((failure as Error).message).toBe(`${name} is required when STORE=tablestore`);
    }
    await expect(openResultStore({ ...env, OTS_ENDPOINT: 'barrage.cn-hangzhou.ots' })).rejects.toThrow(
      /OTS_ENDPOINT must be an http\(s\) URL/,
    );
  });
});
