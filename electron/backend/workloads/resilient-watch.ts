// List-then-watch that keeps going: the informer pattern with the recovery rules spelled out.
// - Starts with a list (gives the snapshot and a resourceVersion), then watches from that resourceVersion.
// - A watch that ends normally (server timeout) resumes from the last resourceVersion seen.
// - 410 Gone (resourceVersion too old, e.g. after etcd compaction or an apiserver restart) → full re-list.
// - A failed connection (apiserver down, restarting) → retry with exponential backoff, resuming when possible.
// - Stalled watches (no event, not even a bookmark, for longer than the server's own timeout) are aborted and
//   retried: long idle watches can hang silently behind proxies.
// The cache of current objects lives here, so consumers get "snapshot" after each list and upsert/delete between.
import { KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ErrorEnvelope } from '../../common/errors';
import { toEnvelope } from '../errors';
import type { KubeObject } from './kube-object';
import { keyOf } from './kube-object';
import { apiVersionOf, collectionPath } from '../../../knative/resources';
import type { ResourceType } from '../../../knative/resources';

export interface WatchListener {
  snapshot(objects: KubeObject[]): void;
  upsert(object: KubeObject): void;
  remove(object: KubeObject): void;
  status?(state: 'live' | 'reconnecting', attempt: number, error: ErrorEnvelope | null): void;
}

export interface ResilientWatchOptions {
  config: KubeConfig;
  type: ResourceType;
  namespace?: string;
  labelSelector?: string;
  listener: WatchListener;
  /** Server-side watch timeout; the watch is renewed after it. */
  timeoutSeconds?: number;
  /** Backoff bounds for reconnects. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export class ResilientWatch {
  private readonly cache = new Map<string, KubeObject>();
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private stopped = false;
  private generation = 0;
  private readonly timeoutSeconds: number;

  constructor(private readonly options: ResilientWatchOptions) {
    this.timeoutSeconds = options.timeoutSeconds ?? 240;
  }

  start(): this {
    void this.relist();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.stallTimer);
    this.abort?.abort();
  }

  /** Current objects, for consumers that sample (live series). */
  objects(): KubeObject[] {
    return [...this.cache.values()];
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const { config, type, namespace, labelSelector } = this.options;
    try {
      const api = KubernetesObjectApi.makeApiClient(config);
      const list = await api.list(
        apiVersionOf(type),
        type.kind,
        namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      if (this.stopped) return;
      this.cache.clear();
      for (const item of list.items as KubeObject[]) this.cache.set(keyOf(item), item);
      this.resourceVersion = list.metadata?.resourceVersion;
      this.options.listener.snapshot([...this.cache.values()]);
      await this.watch();
    } catch (error) {
      this.retry(error, true);
    }
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    const query: Record<string, string | number | boolean> = {
      allowWatchBookmarks: true,
      timeoutSeconds: this.timeoutSeconds,
    };
    if (this.resourceVersion) query.resourceVersion = this.resourceVersion;
    if (this.options.labelSelector) query.labelSelector = this.options.labelSelector;
    let gone = false;
    const path = collectionPath(this.options.type, this.options.namespace);
    try {
      this.abort = await new Watch(this.options.config).watch(
        path,
        query,
        (phase, object: KubeObject) => {
          if (generation !== this.generation) return;
          this.armStallTimer();
          if (phase === 'ERROR') {
            // Status object: 410 Gone means our resourceVersion is too old to resume from.
            const status = object as { code?: number };
            if (status.code === 410) gone = true;
            this.abort?.abort();
            return;
          }
          const resourceVersion = object?.metadata?.resourceVersion;
          if (resourceVersion) this.resourceVersion = resourceVersion;
          if (phase === 'BOOKMARK') return;
          if (phase === 'DELETED') {
            this.cache.delete(keyOf(object));
            this.options.listener.remove(object);
          } else {
            this.cache.set(keyOf(object), object);
            this.options.listener.upsert(object);
          }
        },
        (error) => {
          if (generation !== this.generation || this.stopped) return;
          clearTimeout(this.stallTimer);
          if (gone) {
            this.resourceVersion = undefined;
            this.retry(null, true, 0);
          } else if (error && (error as Error).name !== 'AbortError') {
            this.retry(error, false);
          } else {
            // Normal end (server-side timeout) or our own stall abort: resume where we were.
            void this.watch();
          }
        },
      );
      this.armStallTimer();
      if (this.attempt > 0 || generation === 1) this.options.listener.status?.('live', 0, null);
      this.attempt = 0;
    } catch (error) {
      if (generation === this.generation) this.retry(error, false);
    }
  }

  private armStallTimer(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => this.abort?.abort(), (this.timeoutSeconds + 30) * 1000);
  }

  private retry(error: unknown, relist: boolean, delayOverride?: number): void {
    if (this.stopped) return;
    this.generation++;
    this.abort?.abort();
    const attempt = ++this.attempt;
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 5000;
    const delay = delayOverride ?? Math.min(max, min * 2 ** Math.min(attempt - 1, 10));
    this.options.listener.status?.('reconnecting', attempt, error ? toEnvelope(error, 'watch') : null);
    clearTimeout(this.retryTimer);
    // After a failed connection the resourceVersion may still be valid (resume); after 410 it is not (re-list).
    this.retryTimer = setTimeout(
      () => void (relist || !this.resourceVersion ? this.relist() : this.watch()),
      delay,
    );
  }
}
