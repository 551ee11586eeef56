// SQLite result store (node:sqlite, built into Node 24: nothing native to compile). One file is shared by HomePage
// and every processing process on the machine, so:
// - WAL lets readers (HomePage's stream) run while one writer commits;
// - a writer that finds the lock taken waits for it without blocking its process: node:sqlite is synchronous, and
//   SQLite's own busy handler sleeps inside the call, so with busy_timeout alone a processing replica froze its
//   whole event loop (both requests in flight, its HTTP server) for up to 1.6 s per write while 7 replicas wrote at
//   once (the e2e bench); now SQLite waits at most LOCK_SPIN_MS and the rest of the wait is async retries with
//   backoff, up to `busyTimeoutMs` in all, then StoreUnavailableError (processing answers 503, Knative redelivers);
// - synchronous=NORMAL in WAL mode: a commit survives any process crash (SIGKILL included: the fault run kills
//   replicas) before put() resolves and processing answers 2xx, but is only fsynced at checkpoints, so an OS crash
//   or power loss can lose the last commits. That is the guarantee the rest of the path has too: the one playground
//   Kafka broker acknowledges acks=all without fsync (log.flush.* at Kafka's defaults). FULL fsynced every put, which
//   serialised every replica behind the disk (1.2 ms a put alone, 7-11 ms average and 1.6 s worst with 7 writers);
// - `seq` (AUTOINCREMENT, assigned inside the write transaction) is the cursor: writers are serialised, so seq order
//   is commit order and a reader that has seen seq N has seen every result up to N, whatever order ids arrive in.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { BarrageResult, StoredBarrageResult } from '../shared/barrage-message';
import { InvalidCursorError } from './cursor';
import {
  StoreUnavailableError,
  type PutOutcome,
  type ResultStore,
  type UserWindowQuery,
} from './result-store';

export interface SqliteStoreOptions {
  /** How long a writer waits for the lock held by another process before failing (ms). */
  readonly busyTimeoutMs?: number;
}

/** The longest SQLite's own (blocking) busy handler may wait; beyond it the wait is async (see above). */
const LOCK_SPIN_MS = 2;
const SQLITE_BUSY = 5;
const SQLITE_LOCKED = 6;

const schema = `
CREATE TABLE IF NOT EXISTS barrage_results (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,
  user       TEXT,
  sent_at_ms INTEGER NOT NULL,
  body       TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS barrage_results_user_sent ON barrage_results (user, sent_at_ms);
`;

function parseCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) throw new InvalidCursorError(cursor);
  return Number(cursor);
}

export class SqliteResultStore implements ResultStore {
  readonly #database: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #listAfter: StatementSync;
  readonly #latest: StatementSync;
  readonly #countByUser: StatementSync;
  readonly #busyTimeoutMs: number;

  constructor(path: string, options: SqliteStoreOptions = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    this.#busyTimeoutMs = busyTimeoutMs;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      // Opening (WAL switch, schema) is once per process and may wait the whole busy timeout, blocking.
      this.#database = new DatabaseSync(path, { timeout: busyTimeoutMs });
      this.#database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      this.#database.exec('PRAGMA journal_mode = WAL');
      this.#database.exec('PRAGMA synchronous = NORMAL');
      this.#database.exec(schema);
      this.#database.exec(`PRAGMA busy_timeout = ${Math.min(LOCK_SPIN_MS, busyTimeoutMs)}`);
    } catch (error) {
      throw new StoreUnavailableError(`cannot open SQLite store ${path}: ${(error as Error).message}`);
    }
    this.#insert = this.#database.prepare(
      'INSERT INTO barrage_results (id, user, sent_at_ms, body) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
    );
    this.#listAfter = this.#database.prepare(
      'SELECT seq, body FROM barrage_results WHERE seq > ? ORDER BY seq LIMIT ?',
    );
    this.#latest = this.#database.prepare('SELECT MAX(seq) AS seq FROM barrage_results');
    this.#countByUser = this.#database.prepare(
      'SELECT COUNT(*) AS n FROM (SELECT 1 FROM barrage_results' +
        ' WHERE user = ? AND sent_at_ms >= ? AND sent_at_ms < ? AND id <> ? LIMIT ?)',
    );
  }

  async put(result: BarrageResult): Promise<PutOutcome> {
    const outcome = await this.#waitingForLock(() =>
      this.#insert.run(result.id, result.user ?? null, Date.parse(result.sentAt), JSON.stringify(result)),
    );
    return { created: Number(outcome.changes) === 1 };
  }

  async listAfter(cursor: string | undefined, limit: number): Promise<StoredBarrageResult[]> {
    const after = cursor === undefined ? 0 : parseCursor(cursor);
    const rows = await this.#waitingForLock(() =>
      this.#listAfter.all(after, Math.max(1, Math.min(limit, 1000))),
    );
    return rows.map((row) => ({
      ...(JSON.parse(String(row.body)) as BarrageResult),
      cursor: String(row.seq),
    }));
  }

  async latestCursor(): Promise<string | undefined> {
    const row = await this.#waitingForLock(() => this.#latest.get());
    return row?.seq === null || row?.seq === undefined ? undefined : String(row.seq);
  }

  async countByUserSentBetween({ user, since, before, excludeId, atMost }: UserWindowQuery): Promise<number> {
    const row = await this.#waitingForLock(() =>
      this.#countByUser.get(user, since.getTime(), before.getTime(), excludeId, Math.max(0, atMost)),
    );
    return Number(row?.n ?? 0);
  }

  async ping(): Promise<void> {
    await this.#waitingForLock(() => this.#latest.get());
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
  }

  /** Runs `operation`, retrying while another process holds the lock (async backoff, `busyTimeoutMs` in all). */
  async #waitingForLock<T>(operation: () => T): Promise<T> {
    const deadline = performance.now() + this.#busyTimeoutMs;
    for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 50)) {
      try {
        return operation();
      } catch (error) {
        const code = (error as { errcode?: number }).errcode;
        const primary = (code ?? 0) & 0xff; // extended codes (e.g. SQLITE_BUSY_SNAPSHOT) keep it in the low byte
        const busy = primary === SQLITE_BUSY || primary === SQLITE_LOCKED;
        if (!busy || !this.#database.isOpen || performance.now() + delayMs > deadline) {
          return this.#run(() => {
            throw error;
          });
        }
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  #run<T>(operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      if (error instanceof InvalidCursorError) throw error;
      throw new StoreUnavailableError(`SQLite store: ${(error as Error).message}`);
    }
  }
}
