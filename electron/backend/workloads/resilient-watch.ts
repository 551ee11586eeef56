// List-then-watch that keeps going: the informer pattern with the recovery rules spelled out.
// - Starts with a list (gives the snapshot and a resourceVersion), then watches from that resourceVersion.
// - "live" is said only after a list succeeded; from the first failure until the next successful list the state is
//   "reconnecting" (with the attempt number and the error), so the UI never shows stale rows as current.
// - Every failure re-lists, after a backoff: exponential with full jitter, capped. That covers a failed list, a
//   refused or dropped watch connection, an ERROR event of any code, HTTP 410 Gone (resourceVersion too old, e.g.
//   after etcd compaction or an apiserver restart) whether it comes as the watch request's status or as an ERROR
//   event, and a watch the server ends early (a proxy closing at once would otherwise spin).
// - The attempt counter resets only after a healthy period (a list succeeded and the watch then stayed up), so a
//   connection that flaps keeps backing off instead of starting again at the shortest delay.
// - A watch the server ends normally after a healthy period (its timeoutSeconds) resumes from the last
//   resourceVersion at once: that is routine, not a failure.
// - A stalled watch (no event, not even a bookmark, for longer than the apiserver's bookmark period) is aborted by
//   the client library's inactivity timer and treated as a failure.
// The list has a deadline from the engine's KubeConfig (clusters/deadline-kube-config.ts), as every call has.
// The cache of current objects lives here, so consumers get "snapshot" after each list and upsert/delete between.
import { KubernetesObjectApi, Watch } from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { ErrorEnvelope } from '../../common/errors';
import { EngineError, toEnvelope } from '../errors';
import type { KubeObject } from './kube-object';
import { keyOf } from './kube-object';
import { listKind } from './list-kind';
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
  /** Backoff bounds for reconnects (the delay is drawn uniformly below the exponential bound). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a watch must stay up after a successful list before the attempt counter starts over. */
  healthyAfterMs?: number;
  /** No byte from a watch for this long means it stalled (the apiserver sends a bookmark about every minute). */
  stallMs?: number;
  /** Randomness for the jitter (tests pin it). */
  random?: () => number;
}

type WatchState = 'starting' | 'live' | 'reconnecting';

export class ResilientWatch {
  private readonly cache = new Map<string, KubeObject>();
  private resourceVersion: string | undefined;
  private abort: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private healthyTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private state: WatchState = 'starting';
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
    this.generation++;
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    this.abort?.abort();
  }

  /** Current objects, for consumers that sample (live series). */
  objects(): KubeObject[] {
    return [...this.cache.values()];
  }

  /** The backoff before retry number `attempt` (1-based): full jitter under min·2^(attempt-1), capped at max. */
  backoffMs(attempt: number): number {
    const min = this.options.minBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 10_000;
    const bound = Math.min(max, min * 2 ** Math.min(attempt - 1, 20));
    const random = this.options.random ?? Math.random;
    // Never below min: a zero delay would let a flapping server pull us into a tight loop.
    return Math.max(min, Math.round(bound * random()));
  }

  private async relist(): Promise<void> {
    if (this.stopped) return;
    const generation = ++this.generation;
    const { config, type, namespace, labelSelector } = this.options;
    try {
      const api = KubernetesObjectApi.makeApiClient(config);
      const list = await listKind(api, apiVersionOf(type), type.kind, namespace, labelSelector);
      if (this.stopped || generation !== this.generation) return;
      this.cache.clear();
      for (const item of list.items as KubeObject[]) this.cache.set(keyOf(item), item);
      this.resourceVersion = list.metadata?.resourceVersion;
      this.options.listener.snapshot([...this.cache.values()]);
      if (this.state !== 'live') {
        this.state = 'live';
        this.options.listener.status?.('live', 0, null);
      }
      this.armHealthyTimer();
      await this.watch();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
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
    let failure: unknown = null;
    const startedAt = Date.now();
    const path = collectionPath(this.options.type, this.options.namespace);
    const watcher = new Watch(this.options.config);
    // The library's timer is a connect deadline and then an inactivity limit; it must outlast the bookmark period.
    // (private in the typings, public in the code: the only knob for it).
    const stallMs = this.options.stallMs ?? 90_000;
    (watcher as unknown as { requestTimeoutMs: number }).requestTimeoutMs = stallMs;
    try {
      const abort = await watcher.watch(
        path,
        query,
        (phase, object: KubeObject) => {
          if (generation !== this.generation) return;
          if (phase === 'ERROR') {
            failure = watchErrorOf(object);
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
          if (failure) return this.fail(failure);
          if (error) return this.fail(this.watchFailureOf(error, stallMs));
          // The server ended the watch without an error: its timeout, routine after a healthy run. Ending sooner
          // than that is a server or proxy closing on us, which must back off like any other failure.
          if (Date.now() - startedAt >= this.healthyAfterMs()) void this.watch();
          else
            this.fail(
              new EngineError('unreachable', 'The watch was closed by the server right after it opened.'),
            );
        },
      );
      if (generation === this.generation) this.abort = abort;
      else abort.abort();
    } catch (error) {
      if (generation === this.generation) this.fail(error);
    }
  }

  /** The library's errors, said plainly: an HTTP status keeps its code (410 must be seen), a timeout says how long. */
  private watchFailureOf(error: unknown, timeoutMs: number): unknown {
    const record = (error ?? {}) as { name?: string; statusCode?: number; message?: string };
    const what = `The watch of ${this.options.type.plural}`;
    if (typeof record.statusCode === 'number') {
      return Object.assign(
        new Error(`${what} was refused: HTTP ${record.statusCode} ${record.message ?? ''}`),
        {
          code: record.statusCode,
        },
      );
    }
    if (record.name === 'TimeoutError') {
      return new EngineError(
        'timeout',
        `${what} timed out after ${timeoutMs / 1000} s without a byte from the server.`,
      );
    }
    return error;
  }

  private healthyAfterMs(): number {
    return this.options.healthyAfterMs ?? 30_000;
  }

  private armHealthyTimer(): void {
    clearTimeout(this.healthyTimer);
    // fail() clears this timer, so when it fires nothing has failed since the list.
    this.healthyTimer = setTimeout(() => {
      if (this.state === 'live') this.attempt = 0;
    }, this.healthyAfterMs());
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    this.generation++;
    clearTimeout(this.healthyTimer);
    this.abort?.abort();
    this.abort = undefined;
    const attempt = ++this.attempt;
    this.state = 'reconnecting';
    // A 410 means the resourceVersion is too old; any other failure re-lists too, so "live" always follows a list.
    if (isGone(error)) this.resourceVersion = undefined;
    this.options.listener.status?.('reconnecting', attempt, toEnvelope(error, 'watch'));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.relist(), this.backoffMs(attempt));
  }
}

/** An ERROR event carries a Status; keep its code so a 410 is recognised and the UI sees the server's reason. */
function watchErrorOf(object: unknown): unknown {
  const status = (object ?? {}) as { code?: number; message?: string; reason?: string };
  return { code: status.code, body: { kind: 'Status', ...status }, message: status.message ?? 'watch error' };
}

function isGone(error: unknown): boolean {
  const record = (error ?? {}) as { code?: unknown; statusCode?: unknown };
  return record.code === 410 || record.statusCode === 410;
}
