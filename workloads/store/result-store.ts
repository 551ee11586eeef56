// The result store: processing writes each result once (keyed by barrage id), HomePage reads them in write
// order. Two adapters implement it: SQLite (one file shared by every local process; the playground default)
// and Alibaba Tablestore.
import type { BarrageResult, StoredBarrageResult } from '../shared/barrage-message';

export interface PutOutcome {
  /** False when a result with this id was already stored (a redelivery): nothing was changed. */
  readonly created: boolean;
}

export interface ResultStore {
  /** Stores the result unless one with its id exists; resolves only once the write is durable. */
  put(result: BarrageResult): Promise<PutOutcome>;
  /** Results written after `cursor` (from the start when undefined), oldest first, at most `limit`. */
  listAfter(cursor: string | undefined, limit: number): Promise<StoredBarrageResult[]>;
  /** Cursor of the newest stored result (undefined when empty): where a live stream starts. */
  latestCursor(): Promise<string | undefined>;
  /**
   * How many results of `user` were sent in [since, before), not counting `excludeId`, counting no further than
   * `atMost`: the rate limit only asks "at least N?", and a user sending fast has far more rows in the window than
   * that (100 users at 1,000 msg/s: ~100 rows each in 10 s, each scanned for every message).
   */
  countByUserSentBetween(query: UserWindowQuery): Promise<number>;
  /** Throws when the store cannot be reached (for /readyz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A user's results sent in [since, before), one id left out, counted no further than `atMost`. */
export interface UserWindowQuery {
  user: string;
  since: Date;
  before: Date;
  excludeId: string;
  atMost: number;
}

export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}
