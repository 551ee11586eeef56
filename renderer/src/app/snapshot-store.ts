// The app-level stores that outlive a screen (the sender's load run, the viewer's stream) as React reads them: an
// immutable snapshot, replaced on every change, and the listeners useSyncExternalStore registers.
import { useSyncExternalStore } from 'react';

export class SnapshotStore<Snapshot extends object> {
  private readonly listeners = new Set<() => void>();

  constructor(private snapshot: Snapshot) {}

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): Snapshot => this.snapshot;

  protected set(changes: Partial<Snapshot>): void {
    this.snapshot = { ...this.snapshot, ...changes };
    this.changed(this.snapshot);
    for (const listener of this.listeners) listener();
  }

  /** Runs after each change, before the listeners hear of it. */
  protected changed(_snapshot: Snapshot): void {}
}

export function useSnapshot<Snapshot extends object>(store: SnapshotStore<Snapshot>): Snapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
