// SQLite result store (node:sqlite, built into Node 24: nothing native to compile). One file is shared by HomePage
// and every processing process on the machine, so:
// - WAL lets readers (HomePage's stream) run while one writer commits;
// - busy_timeout makes a writer wait for the lock instead of failing when 100 processes write at once;
// - synchronous=FULL makes a commit durable before put() resolves (processing answers 2xx only after that);
// - `seq` (AUTOINCREMENT, assigned inside the write transaction) is the cursor: writers are serialised, so seq order
//   is commit order and a reader that has seen seq N has seen every result up to N, whatever order ids arrive in.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { BarrageResult, StoredBarrageResult } from '../shared/barrage-message';
import { InvalidCursorError } from './cursor';
import { StoreUnavailableError, type PutOutcome, type ResultStore } from './result-store';

export interface SqliteStoreOptions {
  /** How long a writer waits for the lock held by another process before failing (ms). */
  readonly busyTimeoutMs?: number;
}

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

  constructor(path: string, options: SqliteStoreOptions = {}) {
    const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.#database = new DatabaseSync(path, { timeout: busyTimeoutMs });
      this.#database.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
      this.#database.exec('PRAGMA journal_mode = WAL');
      this.#database.exec('PRAGMA synchronous = FULL');
      this.#database.exec(schema);
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
      'SELECT COUNT(*) AS n FROM barrage_results WHERE user = ? AND sent_at_ms >= ? AND sent_at_ms < ? AND id <> ?',
    );
  }

  async put(result: BarrageResult): Promise<PutOutcome> {
    const outcome = this.#run(() =>
      this.#insert.run(result.id, result.user ?? null, Date.parse(result.sentAt), JSON.stringify(result)),
    );
    return { created: Number(outcome.changes) === 1 };
  }

  async listAfter(cursor: string | undefined, limit: number): Promise<StoredBarrageResult[]> {
    const after = cursor === undefined ? 0 : parseCursor(cursor);
    const rows = this.#run(() => this.#listAfter.all(after, Math.max(1, Math.min(limit, 1000))));
    return rows.map((row) => ({
      ...(JSON.parse(String(row.body)) as BarrageResult),
      cursor: String(row.seq),
    }));
  }

  async latestCursor(): Promise<string | undefined> {
    const row = this.#run(() => this.#latest.get());
    return row?.seq === null || row?.seq === undefined ? undefined : String(row.seq);
  }

  async countByUserSentBetween(user: string, since: Date, before: Date, excludeId: string): Promise<number> {
    const row = this.#run(() => this.#countByUser.get(user, since.getTime(), before.getTime(), excludeId));
    return Number(row?.n ?? 0);
  }

  async ping(): Promise<void> {
    this.#run(() => this.#latest.get());
  }

  async close(): Promise<void> {
    if (this.#database.isOpen) this.#database.close();
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
