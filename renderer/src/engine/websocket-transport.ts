// Web mode: the contract over one WebSocket to electron/web/serve.ts (same origin, token from the page URL).
// One socket carries every call and stream, multiplexed by id. When the socket drops (engine restarted, laptop
// slept), pending calls fail with `unreachable`, finite streams end with that error, and open-ended streams
// (watches) are re-subscribed once the socket is back, with backoff.
// Routing by id is the shared ReplyRouter (electron/common/reply-router.ts); this file owns only the socket.
import type { ErrorEnvelope } from '../../../electron/common/errors';
import type { ClientMessage } from '../../../electron/common/wire';
import { contract, isContractName } from '../../../electron/common/contract';
import { ReplyRouter } from '../../../electron/common/reply-router';
import { RouterTransport } from './router-transport';

/** Minimal WebSocket surface, so tests can pass Node's `ws` and browsers their own. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WebSocketTransportOptions {
  /** `ws://127.0.0.1:PORT/rpc?token=…` */
  url: string;
  createSocket?: (url: string) => WebSocketLike;
  /** Longest wait between reconnect attempts. */
  maxBackoffMs?: number;
}

const OPEN = 1;

function unreachable(message: string): ErrorEnvelope {
  return { code: 'unreachable', message, details: {} };
}

export class WebSocketTransport extends RouterTransport {
  private socket: WebSocketLike | undefined;
  protected readonly router = new ReplyRouter((message) => this.send(message), {
    // The engine could not read one of our messages; it names the problem, but no id to route it to.
    onProtocolError: (error) => console.error(`engine protocol error: ${error.message}`),
  });
  private readonly outbox: string[] = [];
  private attempt = 0;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WebSocketTransportOptions) {
    super();
    this.connect();
  }

  /** Builds the URL from the page the browser loaded: `http://127.0.0.1:P/?token=T` → `ws://127.0.0.1:P/rpc?token=T`. */
  static urlFromLocation(location: { protocol: string; host: string; search: string }): string {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/rpc?token=${encodeURIComponent(token)}`;
  }

  /** Closes the socket for good; everything pending fails with `cancelled`. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.close(1000, 'client closed');
    this.failAll(
      { code: 'cancelled', message: 'The connection to the engine was closed.', details: {} },
      true,
    );
  }

  private send(message: ClientMessage): void {
    const text = JSON.stringify(message);
    if (this.socket?.readyState === OPEN) this.socket.send(text);
    else this.outbox.push(text);
  }

  private connect(): void {
    const create =
      this.options.createSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
    const socket = create(this.options.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      for (const text of this.outbox.splice(0)) socket.send(text);
    };
    socket.onmessage = (event) => this.receive(event.data);
    socket.onerror = () => {
      // The close event follows and does the work; an error event alone carries no detail in browsers.
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (this.closed) return;
      this.failAll(unreachable('Lost the connection to the engine; reconnecting.'), false);
      const delay = Math.min(this.options.maxBackoffMs ?? 10_000, 250 * 2 ** Math.min(this.attempt++, 8));
      this.reconnectTimer = setTimeout(() => this.connect(), delay);
    };
  }

  /**
   * Pending calls and finite streams fail; open-ended streams are queued to re-subscribe (with the same id) unless
   * the transport is closing.
   */
  private failAll(error: ErrorEnvelope, includeOpenEnded: boolean): void {
    this.outbox.length = 0;
    this.router.connectionLost(error, (name) => {
      if (includeOpenEnded) return false;
      const spec = isContractName(name) ? contract[name] : undefined;
      return !(spec?.kind === 'stream' && spec.finite);
    });
    // Queued until the socket is open again (the outbox is flushed on open).
    this.router.resubscribe();
  }

  private receive(data: unknown): void {
    let decoded: unknown;
    try {
      decoded = JSON.parse(String(data));
    } catch {
      return; // Not JSON: nothing we could route it to.
    }
    this.router.receive(decoded);
  }
}
