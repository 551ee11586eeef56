// The barrage viewer's stream lives at app level, as the sender's run does (load-run.ts): a user sends, watches the
// Monitor, and comes back to the Barrage screen to a viewer that kept its connection and its count, not one that
// starts over at 0 received. It stays connected until its URL or context changes or the user disconnects; with no
// stage on screen the comments are counted, not drawn (a stage shows what arrives while it exists). React reads it
// through useSyncExternalStore (snapshot-store.ts).
import type { EventOf } from '../../../electron/common/contract';
import type { EngineClient, EngineError } from '../engine/engine-client';
import { SnapshotStore, useSnapshot } from './snapshot-store';

type ViewEvent = EventOf<'barrage:view'>;
export type BarrageMessages = Extract<ViewEvent, { type: 'messages' }>['messages'];

export interface BarrageWatchSnapshot {
  /** What is watched; null when nothing is (no URL, or disconnected). */
  target: { url: string; context: string | null } | null;
  /** False once the user disconnected; a new URL does not reconnect by itself. */
  watching: boolean;
  state: 'idle' | Extract<ViewEvent, { type: 'status' }>['state'];
  /** The stream's last reported problem (it reconnects by itself), or null. */
  streamError: string | null;
  /** The subscription failed for good (e.g. an invalid URL): shown until the target changes. */
  failure: EngineError | null;
  /** Comments received since this target was first watched, drawn or not. */
  received: number;
  /** Of those, the ones that arrived with no stage on screen (counted, never drawn). */
  offScreen: number;
  /** Comments the engine's bounded buffer dropped for this target. */
  engineDropped: number;
}

const idle: BarrageWatchSnapshot = {
  target: null,
  watching: true,
  state: 'idle',
  streamError: null,
  failure: null,
  received: 0,
  offScreen: 0,
  engineDropped: 0,
};

const sameTarget = (a: BarrageWatchSnapshot['target'], url: string, context: string | null) =>
  a !== null && a.url === url && a.context === context;

export class BarrageWatch extends SnapshotStore<BarrageWatchSnapshot> {
  private unsubscribe: (() => void) | null = null;
  /** The engine the stream runs on: another one (a new connection, a spec's fake) starts over. */
  private engine: EngineClient | null = null;
  private sink: ((messages: BarrageMessages) => void) | null = null;

  constructor() {
    super(idle);
  }

  /**
   * Watches `url` (through `context`'s gateway when given). The same target again keeps the stream and its counts;
   * another one starts over; an empty URL stops. Does nothing while the user has disconnected.
   */
  watch(engine: EngineClient, url: string, context: string | null): void {
    if (!this.getSnapshot().watching) return;
    if (!url) {
      this.close();
      if (this.getSnapshot().target !== null) this.set({ ...idle });
      return;
    }
    const same = sameTarget(this.getSnapshot().target, url, context) && this.engine === engine;
    if (same && (this.unsubscribe || this.getSnapshot().failure)) return;
    this.close();
    this.engine = engine;
    this.set({ ...idle, target: { url, context }, state: 'connecting' });
    const unsubscribe = engine.subscribe('barrage:view', context ? { url, context } : { url }, {
      onEvent: (event) => {
        if (this.unsubscribe !== unsubscribe) return;
        if (event.type === 'status') {
          this.set({ state: event.state, streamError: event.error });
          return;
        }
        const { received, offScreen } = this.getSnapshot();
        this.sink?.(event.messages);
        this.set({
          received: received + event.messages.length,
          offScreen: this.sink ? offScreen : offScreen + event.messages.length,
          engineDropped: event.dropped,
        });
      },
      onError: (error) => {
        if (this.unsubscribe !== unsubscribe) return;
        this.unsubscribe = null;
        this.set({ failure: error, state: 'idle' });
      },
      onEnd: () => {
        if (this.unsubscribe !== unsubscribe) return;
        this.unsubscribe = null;
        this.set({ state: 'idle' });
      },
    });
    this.unsubscribe = unsubscribe;
  }

  /** Disconnect (false) stops the stream and forgets its counts; connect (true) lets the next watch() start one. */
  setWatching(engine: EngineClient, watching: boolean, url: string, context: string | null): void {
    if (watching === this.getSnapshot().watching) return;
    if (!watching) {
      this.close();
      this.set({ ...idle, watching: false });
      return;
    }
    this.set({ watching: true });
    this.watch(engine, url, context);
  }

  /** Where comments go while a stage is on screen; returns the detach. One stage at a time: the newest wins. */
  attach(sink: (messages: BarrageMessages) => void): () => void {
    this.sink = sink;
    return () => {
      if (this.sink === sink) this.sink = null;
    };
  }

  private close(): void {
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    unsubscribe?.();
  }
}

export const barrageWatch = new BarrageWatch();

export function useBarrageWatch(): BarrageWatchSnapshot {
  return useSnapshot(barrageWatch);
}
