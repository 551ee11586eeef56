// Watches the result store for new results and wakes the SSE streams. Processing runs in other processes (or on
// other machines) and writes straight to the store, so HomePage learns about new results by polling one cheap
// query (the newest cursor) per tick for the whole process, not one per connected browser; each stream then
// reads only what is new for it.
import { EventEmitter } from 'node:events';
import type { ResultStore } from '../store/result-store';

export class ResultFeed extends EventEmitter<{ changed: []; error: [Error] }> {
  readonly #store: ResultStore;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #latest: string | undefined;
  #polling = false;

  // 50 ms: the poll is the last leg of a barrage's way to the screen (the e2e bench measured 130-160 ms p50 for
  // stored → SSE at 200 ms); one `MAX(seq)` per tick for the whole process, only while a stream listens.
  constructor(store: ResultStore, intervalMs = 50) {
    super();
    this.#store = store;
    this.#intervalMs = intervalMs;
    this.setMaxListeners(0); // one listener per open stream
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.#poll(), this.#intervalMs);
    this.#timer.unref();
  }

  stop(): void {
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
