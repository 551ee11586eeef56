// The barrage viewer: follows HomePage's server-sent event stream, reconnecting with backoff (and Last-Event-ID,
// so nothing is replayed or skipped), and hands messages on through a bounded drop-oldest buffer: when the UI is
// slower than the stream, the oldest unsent messages are dropped and counted, never queued without bound.
import type { BarrageMessage, BarrageViewEvent } from '../../common/schemas/barrage';
import { fetch } from 'undici';
import { RingBuffer } from '../../common/ring-buffer';
import { gatewayAwareAgent } from '../net/service-target';
import { homepageUrl, STREAM_PATH } from './homepage-api';
import { SseParser } from './sse-parser';

export interface ViewerOptions {
  url: string;
  bufferSize: number;
  emit: (event: BarrageViewEvent) => void;
  /** True while the UI side is backed up: hold messages (and drop oldest) instead of pushing. */
  congested?: () => boolean;
  flushIntervalMs?: number;
  maxBackoffMs?: number;
  /** The gateway a cluster-local URL is followed through (net/service-target.ts); null when none is known. */
  gateway?: string | null;
}

/**
 * Never reconnect sooner than this, whatever the server's `retry:` says (0 would be a hot loop against a HomePage
 * that closes every stream at once).
 */
export const MIN_RECONNECT_MS = 250;

function toMessage(data: string, id: string | null): BarrageMessage {
  let parsed: unknown = data;
  try {
    parsed = JSON.parse(data);
  } catch {
    // Plain-text events are shown as they are.
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  return {
    id: typeof record.id === 'string' ? record.id : id,
    text: typeof record.text === 'string' ? record.text : data,
    data: parsed,
    receivedAt: Date.now(),
  };
}

export class BarrageViewer {
  private readonly buffer: RingBuffer<BarrageMessage>;
  private readonly abort = new AbortController();
  private flushTimer: ReturnType<typeof setInterval> | undefined;
  private lastEventId: string | null = null;
  private attempt = 0;
  private stopped = false;

  constructor(private readonly options: ViewerOptions) {
    this.buffer = new RingBuffer(options.bufferSize);
  }

  start(): this {
    this.flushTimer = setInterval(() => this.flush(), this.options.flushIntervalMs ?? 100);
    void this.run();
    return this;
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.flushTimer);
    this.abort.abort();
  }

  /** Messages dropped so far because the buffer was full. */
  get dropped(): number {
    return this.buffer.dropped;
  }

  private flush(): void {
    if (this.buffer.size === 0 || this.options.congested?.()) return;
    this.options.emit({ type: 'messages', messages: this.buffer.drain(), dropped: this.buffer.dropped });
  }

  private async run(): Promise<void> {
    const url = homepageUrl(this.options.url, STREAM_PATH);
    const dispatcher = gatewayAwareAgent(this.options.gateway);
    while (!this.stopped) {
      if (this.attempt === 0)
        this.options.emit({ type: 'status', state: 'connecting', attempt: 0, error: null });
      const parser = new SseParser();
      let failure: string;
      try {
        const response = await fetch(url, {
          dispatcher,
          headers: {
            accept: 'text/event-stream',
            ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
          },
          signal: this.abort.signal,
        });
        if (!response.ok || !response.body)
          throw new Error(`HomePage answered ${response.status} for ${url}`);
        if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
          throw new Error(
            `${url} is not an event stream (content-type ${response.headers.get('content-type')})`,
          );
        }
        this.options.emit({ type: 'status', state: 'open', attempt: this.attempt, error: null });
        let received = false;
        // undici's stream type and the DOM lib's differ only in typing; at run time both are web streams.
        const body = response.body as unknown as ReadableStream<Uint8Array>;
        const reader = body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          for (const event of parser.feed(value)) {
            // A stream that delivers is healthy: the backoff starts over. One that closes at once keeps backing off.
            if (!received) {
              received = true;
              this.attempt = 0;
            }
            if (event.event !== 'message' && event.event !== 'barrage' && event.event !== 'result') continue;
            this.buffer.push(toMessage(event.data, event.id));
          }
          if (parser.lastEventId) this.lastEventId = parser.lastEventId;
        }
        failure = 'the stream ended';
      } catch (error) {
        if (this.stopped) return;
        failure = (error as Error).message;
      }
      if (this.stopped) return;
      this.attempt++;
      const backoff = MIN_RECONNECT_MS * 2 ** Math.min(this.attempt - 1, 6);
      const delay = Math.min(
        this.options.maxBackoffMs ?? 10_000,
        Math.max(MIN_RECONNECT_MS, parser.retryMs ?? backoff, this.attempt > 1 ? backoff : 0),
      );
      this.options.emit({ type: 'status', state: 'reconnecting', attempt: this.attempt, error: failure });
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
