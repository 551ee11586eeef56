// The barrage load run lives at app level, not in the Barrage screen: a user starts the sender and then goes to
// Monitor to watch pods and lag react, and leaving the screen must neither stop the load nor lose its numbers.
// The Monitor's shared timeline reads the per-second samples from here. React reads it through
// useSyncExternalStore (snapshot-store.ts).
import type { EventOf, ParamsInput } from '../../../electron/common/contract';
import type { EngineClient, EngineError } from '../engine/engine-client';
import { monitorPodsParams } from '../monitor/pods-params';
import { SnapshotStore, useSnapshot } from './snapshot-store';

type SendEvent = EventOf<'barrage:send'>;
export type SecondSample = Extract<SendEvent, { type: 'second' }>;
export type SendSummary = Extract<SendEvent, { type: 'done' }>;

export interface LoadRunSnapshot {
  state: 'idle' | 'running' | 'stopping' | 'done' | 'failed';
  params: ParamsInput<'barrage:send'> | null;
  startedAt: number | null;
  /** Per-second stats of the current (or last) run, bounded. */
  seconds: readonly SecondSample[];
  summary: SendSummary | null;
  error: EngineError | null;
}

/** One hour of per-second samples is plenty for a demo run and bounds memory. */
const maxSeconds = 3600;

export class LoadRun extends SnapshotStore<LoadRunSnapshot> {
  private unsubscribe: (() => void) | null = null;
  private unfollow: (() => void) | null = null;

  constructor() {
    super({ state: 'idle', params: null, startedAt: null, seconds: [], summary: null, error: null });
  }

  protected override changed(snapshot: LoadRunSnapshot): void {
    if (snapshot.state !== 'running' && snapshot.state !== 'stopping') this.stopFollowing();
  }

  private stopFollowing(): void {
    const unfollow = this.unfollow;
    this.unfollow = null;
    unfollow?.();
  }

  /**
   * Starts the load. `follow` names the namespace whose pods it drives (the target's): its Monitor pod series runs
   * while the load does, so the Monitor opened later draws the pods from the first second.
   */
  start(
    engine: EngineClient,
    params: ParamsInput<'barrage:send'>,
    now: number = Date.now(),
    follow?: { context: string; namespace: string },
  ): void {
    if (this.getSnapshot().state === 'running' || this.getSnapshot().state === 'stopping') {
      throw new Error('A barrage run is already in progress; stop it first.');
    }
    this.set({ state: 'running', params, startedAt: now, seconds: [], summary: null, error: null });
    // Its events are the Monitor's to draw; a failure here is the Monitor's to show, not the load's.
    this.unfollow = follow
      ? engine.subscribe('live:pods', monitorPodsParams(follow.context, follow.namespace), {
          onEvent: () => {},
          onError: () => {},
        })
      : null;
    this.unsubscribe = engine.subscribe('barrage:send', params, {
      onEvent: (event) => {
        if (event.type === 'second') {
          const seconds = [...this.getSnapshot().seconds, event];
          this.set({ seconds: seconds.length > maxSeconds ? seconds.slice(-maxSeconds) : seconds });
        } else {
          this.unsubscribe = null;
          this.set({ state: event.reason === 'failed' ? 'failed' : 'done', summary: event });
        }
      },
      onError: (error) => {
        this.unsubscribe = null;
        this.set({ state: 'failed', error });
      },
      onEnd: () => {
        this.unsubscribe = null;
        if (this.getSnapshot().state === 'running' || this.getSnapshot().state === 'stopping')
          this.set({ state: 'done' });
      },
    });
  }

  /** Stops the load (unsubscribing is the contract's stop). */
  stop(): void {
    if (!this.unsubscribe) return;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    this.set({ state: 'stopping' });
    unsubscribe();
    if (this.getSnapshot().state === 'stopping') this.set({ state: 'done' });
  }
}

export const loadRun = new LoadRun();

export function useLoadRun(): LoadRunSnapshot {
  return useSnapshot(loadRun);
}
