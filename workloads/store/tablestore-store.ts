// Alibaba Tablestore (OTS) result store, through the `tablestore` SDK. Same contract as the SQLite store: put is
// idempotent per barrage id, listAfter pages in write order with a resumable cursor, and the rate limit counts a
// user's results by sentAt. Tested against a contract double (test/support/tablestore-double.ts), never against the real
// service: no Tablestore can run on this machine.
//
// Tables (create them once per instance; TABLE_NAME is the seed's name, the other two are derived from it):
//
// 1. `<TABLE_NAME>` — one row per result; the idempotency guard.
//      primary key: id STRING (the barrage ULID)
//      columns:     seq INTEGER (its entry in the write log), sent_at_ms INTEGER, user STRING (absent without a user),
//                   body STRING (the BarrageResult as JSON)
//    Written with PutRow, condition EXPECT_NOT_EXIST: a redelivery fails with OTSConditionCheckFail, which put()
//    turns into {created: false}; nothing is overwritten.
//
// 2. `<TABLE_NAME>_log` — the write order, i.e. the cursor.
//      primary key: shard INTEGER (always 0: one partition key, so one ordered sequence),
//                   seq INTEGER AUTO_INCREMENT (assigned by Tablestore, increasing within the partition)
//      columns:     id STRING, logged_at_ms INTEGER
//    A cursor is a `seq`. Auto-increment rows must be written with condition IGNORE, which is why the idempotency
//    guard is the other table. One partition key caps the log at one partition's write rate: plenty for a demo,
//    a known limit for more.
//
// 3. `<TABLE_NAME>_by_user` — the per-user count for the rate limit.
//      primary key: user STRING, sent_at_ms INTEGER, id STRING; no columns
//    Written with condition IGNORE (the key includes the id, so a redelivery rewrites the same row); counted with
//    GetRange over [user, since) .. [user, before).
//
// put() writes by_user, then the log entry (returning its seq), then the guarded row carrying that seq. A crash
// or a redelivery can leave a log entry whose id row is missing or carries another seq; readers check every
// entry against the id rows (BatchGetRow) and:
// - emit it when the id row's seq is this entry's seq (exactly one entry per id qualifies: no duplicates);
// - skip it when the id row carries another seq (a redelivery's orphan);
// - stop before it while the id row is missing and the entry is younger than `pendingGraceMs` (a writer is between
//   its two writes; stopping keeps "a reader that saw seq N saw every result up to N"), and skip it after that (a
//   writer that died between the writes; its message was redelivered and logged again).
// This relies on Tablestore making log rows visible in seq order within the one partition key.
import TableStore, { type DecodedRow, type Int64, type PrimaryKeyInput } from 'tablestore';
import compiledProto from 'tablestore/lib/protocol/tablestore_compiled_proto.js';
import type { BarrageResult, StoredBarrageResult } from '../shared/barrage-message';
import { InvalidCursorError } from './cursor';
import {
  StoreUnavailableError,
  type PutOutcome,
  type ResultStore,
  type UserWindowQuery,
} from './result-store';

export interface TablestoreStoreOptions {
  /** `https://<instance>.<region>.ots.aliyuncs.com` (OTS_ENDPOINT). */
  readonly endpoint: string;
  /** OTS_INSTANCENAME. */
  readonly instanceName: string;
  /** TABLE_NAME: the results table; the log and per-user tables are named after it. */
  readonly tableName: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  /** Per-request socket timeout (ms). */
  readonly timeoutMs?: number;
  /** Retries the SDK makes for retryable errors (it defaults to 20, with up to 3 s between tries). */
  readonly maxRetries?: number;
  /** How long a log entry without its id row is treated as "being written" rather than abandoned (ms). */
  readonly pendingGraceMs?: number;
  readonly now?: () => number;
}

export interface TablestoreTableLayout {
  readonly results: string;
  readonly log: string;
  readonly byUser: string;
}

export type TablestorePrimaryKeySchema = readonly {
  readonly name: string;
  readonly type: 'INTEGER' | 'STRING';
  readonly autoIncrement?: boolean;
}[];

export function tablestoreTableLayout(tableName: string): TablestoreTableLayout {
  return { results: tableName, log: `${tableName}_log`, byUser: `${tableName}_by_user` };
}

/** The primary keys of the three tables, as documented above (the double enforces them). */
export function tablestorePrimaryKeys(tableName: string): Record<string, TablestorePrimaryKeySchema> {
  const layout = tablestoreTableLayout(tableName);
  return {
    [layout.results]: [{ name: 'id', type: 'STRING' }],
    [layout.log]: [
      { name: 'shard', type: 'INTEGER' },
      { name: 'seq', type: 'INTEGER', autoIncrement: true },
    ],
    [layout.byUser]: [
      { name: 'user', type: 'STRING' },
      { name: 'sent_at_ms', type: 'INTEGER' },
      { name: 'id', type: 'STRING' },
    ],
  };
}

/** A Tablestore error answer (OTSAuthFailed, OTSConditionCheckFail, …), as a store-unavailable error. */
export class TablestoreRequestError extends StoreUnavailableError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const maxInt64 = 2n ** 63n - 1n;
const batchGetLimit = 100;
const maxPagesPerCall = 10;

function parseCursor(cursor: string): bigint {
  if (!/^\d{1,19}$/.test(cursor)) throw new InvalidCursorError(cursor);
  const value = BigInt(cursor);
  if (value > maxInt64) throw new InvalidCursorError(cursor);
  return value;
}

function int64(value: bigint | number): Int64 {
  return TableStore.Long.fromString(String(value));
}

function bigintOf(value: unknown): bigint | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (value && typeof (value as Int64).toBuffer === 'function') return BigInt((value as Int64).toString(10));
  return undefined;
}

function column(row: Pick<DecodedRow, 'attributes'> | null | undefined, name: string): unknown {
  return row?.attributes?.find((attribute) => attribute.columnName === name)?.columnValue;
}

const protoError = compiledProto.main.proto.Error!;

/**
 * The error code and message of an SDK failure. Table operations answer errors as a protobuf `Error {code,
 * message}`; the SDK (5.6) does not decode it and leaves `code` = HTTP status, `message` = the body as text plus
 * " requestId:…", so the protobuf is decoded again here. Network failures keep the SDK's code (NetworkingError).
 */
export function tablestoreErrorOf(error: unknown): { code: string; message: string } {
  const raw = error as { code?: unknown; message?: unknown };
  const text = typeof raw.message === 'string' ? raw.message : String(error);
  if (typeof raw.code === 'string') return { code: raw.code, message: text };
  const body = text.replace(/ requestId:[^ ]*$/, '');
  try {
    const decoded = protoError.decode(Buffer.from(body, 'utf8'));
    if (typeof decoded.code === 'string' && /^OTS\w+$/.test(decoded.code)) {
      return { code: decoded.code, message: typeof decoded.message === 'string' ? decoded.message : '' };
    }
  } catch {
    // not a protobuf Error: fall through
  }
  const match = /OTS[A-Za-z]+/.exec(text);
  return { code: match?.[0] ?? String(raw.code ?? 'UnknownError'), message: text };
}

interface LogEntry {
  readonly seq: bigint;
  readonly id: string;
  readonly loggedAtMs: number;
}

export class TablestoreResultStore implements ResultStore {
  readonly #client: InstanceType<typeof TableStore.Client>;
  readonly #layout: TablestoreTableLayout;
  readonly #endpoint: string;
  readonly #instanceName: string;
  readonly #pendingGraceMs: number;
  readonly #now: () => number;
  #closed = false;

  constructor(options: TablestoreStoreOptions) {
    this.#endpoint = options.endpoint;
    this.#instanceName = options.instanceName;
    this.#layout = tablestoreTableLayout(options.tableName);
    this.#pendingGraceMs = options.pendingGraceMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    try {
      this.#client = new TableStore.Client({
        accessKeyId: options.accessKeyId,
        secretAccessKey: options.accessKeySecret,
        endpoint: options.endpoint,
        instancename: options.instanceName,
        maxRetries: options.maxRetries ?? 2,
        httpOptions: { timeout: options.timeoutMs ?? 5_000 },
      });
    } catch (error) {
      throw new StoreUnavailableError(`Tablestore endpoint ${options.endpoint}: ${(error as Error).message}`);
    }
  }

  get layout(): TablestoreTableLayout {
    return this.#layout;
  }

  async put(result: BarrageResult): Promise<PutOutcome> {
    const sentAtMs = Date.parse(result.sentAt);
    if (result.user !== undefined) {
      await this.#call('PutRow', this.#layout.byUser, () =>
        this.#client.putRow({
          tableName: this.#layout.byUser,
          condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
          primaryKey: [{ user: result.user! }, { sent_at_ms: int64(sentAtMs) }, { id: result.id }],
          attributeColumns: [],
        }),
      );
    }
    const logged = await this.#call('PutRow', this.#layout.log, () =>
      this.#client.putRow({
        tableName: this.#layout.log,
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.IGNORE, null),
        primaryKey: [{ shard: int64(0) }, { seq: TableStore.PK_AUTO_INCR }],
        attributeColumns: [{ id: result.id }, { logged_at_ms: int64(this.#now()) }],
        returnContent: { returnType: TableStore.ReturnType.Primarykey },
      }),
    );
    const seq = bigintOf(logged.row.primaryKey?.find((key) => key.name === 'seq')?.value);
    if (seq === undefined) {
      throw new StoreUnavailableError(`Tablestore returned no seq for the log entry of ${result.id}`);
    }
    const attributes: Record<string, unknown>[] = [
      { seq: int64(seq) },
      { sent_at_ms: int64(sentAtMs) },
      { body: JSON.stringify(result) },
    ];
    if (result.user !== undefined) attributes.push({ user: result.user });
    try {
      await this.#client.putRow({
        tableName: this.#layout.results,
        condition: new TableStore.Condition(TableStore.RowExistenceExpectation.EXPECT_NOT_EXIST, null),
        primaryKey: [{ id: result.id }],
        attributeColumns: attributes,
      });
      return { created: true };
    } catch (error) {
      if (tablestoreErrorOf(error).code === 'OTSConditionCheckFail') return { created: false };
      throw this.#wrap(error, 'PutRow', this.#layout.results);
    }
  }

  async listAfter(cursor: string | undefined, limit: number): Promise<StoredBarrageResult[]> {
    const wanted = Math.max(1, Math.min(limit, 1000));
    let after = cursor === undefined ? undefined : parseCursor(cursor);
    const out: StoredBarrageResult[] = [];
    for (let page = 0; page < maxPagesPerCall && out.length < wanted; page += 1) {
      const { entries, more } = await this.#readLog(after, wanted - out.length);
      const rows = await this.#resultRows(entries.map((entry) => entry.id));
      for (const entry of entries) {
        const row = rows.get(entry.id);
        if (row === undefined) {
          if (this.#now() - entry.loggedAtMs < this.#pendingGraceMs) return out; // being written: stop here
        } else if (bigintOf(column(row, 'seq')) === entry.seq) {
          out.push({
            ...(JSON.parse(String(column(row, 'body'))) as BarrageResult),
            cursor: String(entry.seq),
          });
        }
        after = entry.seq;
      }
      if (!more) break;
    }
    return out;
  }

  async latestCursor(): Promise<string | undefined> {
    const response = await this.#call('GetRange', this.#layout.log, () =>
      this.#client.getRange({
        tableName: this.#layout.log,
        direction: TableStore.Direction.BACKWARD,
        inclusiveStartPrimaryKey: [{ shard: int64(0) }, { seq: TableStore.INF_MAX }],
        exclusiveEndPrimaryKey: [{ shard: int64(0) }, { seq: TableStore.INF_MIN }],
        limit: 50,
        maxVersions: 1,
      }),
    );
    const entries = response.rows.map((row) => this.#logEntry(row)).reverse(); // oldest first
    if (entries.length === 0) return undefined;
    const rows = await this.#resultRows(entries.map((entry) => entry.id));
    // A stream starting at the newest entry would miss an older entry still being written: start before it.
    const pending = entries.find(
      (entry) => !rows.has(entry.id) && this.#now() - entry.loggedAtMs < this.#pendingGraceMs,
    );
    return String(pending === undefined ? entries[entries.length - 1]!.seq : pending.seq - 1n);
  }

  async countByUserSentBetween({ user, since, before, excludeId, atMost }: UserWindowQuery): Promise<number> {
    if (before.getTime() <= since.getTime() || atMost <= 0) return 0;
    let start: PrimaryKeyInput = [
      { user },
      { sent_at_ms: int64(since.getTime()) },
      { id: TableStore.INF_MIN },
    ];
    const end: PrimaryKeyInput = [
      { user },
      { sent_at_ms: int64(before.getTime()) },
      { id: TableStore.INF_MIN },
    ];
    let count = 0;
    for (let page = 0; page < maxPagesPerCall; page += 1) {
      const response = await this.#call('GetRange', this.#layout.byUser, () =>
        this.#client.getRange({
          tableName: this.#layout.byUser,
          direction: TableStore.Direction.FORWARD,
          inclusiveStartPrimaryKey: start,
          exclusiveEndPrimaryKey: end,
          limit: Math.min(5000, atMost - count + 1), // + 1: the excluded id may be among them
          maxVersions: 1,
        }),
      );
      for (const row of response.rows) {
        if (row.primaryKey.find((key) => key.name === 'id')?.value !== excludeId) count += 1;
      }
      if (count >= atMost) return atMost;
      if (!response.nextStartPrimaryKey) break;
      start = response.nextStartPrimaryKey.map((key) => ({ [key.name]: key.value as string | Int64 }));
    }
    return count;
  }

  async ping(): Promise<void> {
    const { tableNames } = await this.#call('ListTable', '', () => this.#client.listTable({}));
    const missing = Object.values(this.#layout).filter((name) => !tableNames.includes(name));
    if (missing.length > 0) {
      throw new StoreUnavailableError(
        `Tablestore instance ${this.#instanceName} has no table ${missing.join(', ')} ` +
          '(create them as documented in workloads/store/tablestore-store.ts)',
      );
    }
  }

  async close(): Promise<void> {
    // The SDK keeps no connection of its own (Node's global agent does); nothing to release.
    this.#closed = true;
  }

  async #readLog(after: bigint | undefined, limit: number): Promise<{ entries: LogEntry[]; more: boolean }> {
    const response = await this.#call('GetRange', this.#layout.log, () =>
      this.#client.getRange({
        tableName: this.#layout.log,
        direction: TableStore.Direction.FORWARD,
        inclusiveStartPrimaryKey: [
          { shard: int64(0) },
          { seq: after === undefined ? TableStore.INF_MIN : int64(after + 1n) },
        ],
        exclusiveEndPrimaryKey: [{ shard: int64(0) }, { seq: TableStore.INF_MAX }],
        limit,
        maxVersions: 1,
      }),
    );
    return {
      entries: response.rows.map((row) => this.#logEntry(row)),
      more: response.nextStartPrimaryKey !== null,
    };
  }

  #logEntry(row: DecodedRow): LogEntry {
    const seq = bigintOf(row.primaryKey.find((key) => key.name === 'seq')?.value);
    const id = column(row, 'id');
    const loggedAt = bigintOf(column(row, 'logged_at_ms'));
    if (seq === undefined || typeof id !== 'string' || loggedAt === undefined) {
      throw new StoreUnavailableError(`Tablestore table ${this.#layout.log} holds a malformed row`);
    }
    return { seq, id, loggedAtMs: Number(loggedAt) };
  }

  /** The id rows of `ids` that exist, by id (BatchGetRow, 100 keys per request). */
  async #resultRows(ids: string[]): Promise<Map<string, Pick<DecodedRow, 'attributes'>>> {
    const found = new Map<string, Pick<DecodedRow, 'attributes'>>();
    const unique = [...new Set(ids)];
    for (let index = 0; index < unique.length; index += batchGetLimit) {
      const chunk = unique.slice(index, index + batchGetLimit);
      const response = await this.#call('BatchGetRow', this.#layout.results, () =>
        this.#client.batchGetRow({
          tables: [
            {
              tableName: this.#layout.results,
              primaryKey: chunk.map((id) => [{ id }]),
              maxVersions: 1,
              columnsToGet: ['seq', 'body'],
            },
          ],
        }),
      );
      for (const item of response.tables[0] ?? []) {
        if (!item.isOk) {
          throw new TablestoreRequestError(
            `Tablestore BatchGetRow on ${this.#layout.results}: ${item.errorCode}: ${item.errorMessage}`,
            item.errorCode ?? 'UnknownError',
          );
        }
        const id = item.primaryKey?.find((key) => key.name === 'id')?.value;
        if (typeof id === 'string' && item.attributes) found.set(id, { attributes: item.attributes });
      }
    }
    return found;
  }

  async #call<T>(operation: string, table: string, send: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError('Tablestore store is closed');
    try {
      return await send();
    } catch (error) {
      throw this.#wrap(error, operation, table);
    }
  }

  #wrap(error: unknown, operation: string, table: string): StoreUnavailableError {
    const { code, message } = tablestoreErrorOf(error);
    const where = `Tablestore ${operation}${table ? ` on ${table}` : ''} at ${this.#endpoint}`;
    if (code === 'NetworkingError' || code === 'TimeoutError') {
      return new TablestoreRequestError(`${where}: unreachable (${message})`, code);
    }
    if (code === 'OTSAuthFailed' || code === 'OTSNoPermissionAccess') {
      return new TablestoreRequestError(
        `${where}: ${code}: the access key in OTS_KEYID / OTS_SECRET was refused (${message})`,
        code,
      );
    }
    return new TablestoreRequestError(`${where}: ${code}: ${message}`, code);
  }
}
