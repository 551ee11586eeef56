// Watches the result store for new results and wakes the SSE streams. Processing runs in other processes (or on
// other machines) and writes straight to the store, so HomePage learns about new results by polling one cheap
// query (the newest cursor) per tick for the whole process, not one per connected browser; each stream then
// reads only what is new for it.
import { EventEmitter } from 'node:events';
import type { ResultStore } from '../store/result-store';

/** Node's own newListener/removeListener events are named so the feed can arm its timer on the first listener. */
interface ResultFeedEvents {
  changed: [];
  error: [Error];
  newListener: [event: string | symbol];
  removeListener: [event: string | symbol];
}

export class ResultFeed extends EventEmitter<ResultFeedEvents> {
  readonly #store: ResultStore;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #latest: string | undefined;
  #polling = false;
  #started = false;

  // 50 ms: the poll is the last leg of a barrage's way to the screen (the e2e bench measured 130-160 ms p50 for
  // stored → SSE at 200 ms); one `MAX(seq)` per tick for the whole process, only while a stream listens.
  constructor(store: ResultStore, intervalMs = 50) {
    super();
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.setMaxListeners(0); // one listener per open stream
    // The timer runs only while a stream listens: an idle HomePage (nobody watching) then wakes for nothing.
    this.on('newListener', (event) => {
      if (event === 'changed') queueMicrotask(() => this.#arm());
    });
    this.on('removeListener', (event) => {
      if (event === 'changed' && this.listenerCount('changed') === 0) this.#disarm();
    });
  }

  /** Polls while started and at least one stream listens. */
  start(): void {
    this.#started = true;
    this.#arm();
  }

  stop(): void {
    this.#started = false;
    this.#disarm();
  }

  /** Whether the poll timer is armed (for tests). */
  get polling(): boolean {
    return this.#timer !== undefined;
  }

  #arm(): void {
    if (!this.#started || this.listenerCount('changed') === 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.#poll(), this.#intervalMs);
    this.#timer.unref();
  }

  #disarm(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.listenerCount('changed') === 0) return;
    this.#polling = true;
    try {
      const latest = await this.#store.latestCursor();
      if (latest !== this.#latest) {
        this.#latest = latest;
        this.emit('changed');
      }
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error as Error);
    } finally {
      this.#polling = false;
    }
  }
}
