// Web mode: the contract over one WebSocket to electron/web/serve.ts (same origin, token from the page URL).
// One socket carries every call and stream, multiplexed by id. When the socket drops (engine restarted, laptop
// slept), pending calls fail with `unreachable`, finite streams end with that error, and open-ended streams
// (watches) are re-subscribed once the socket is back, with backoff.
import type { ErrorEnvelope } from '../../../electron/common/errors';
import { engineMessage } from '../../../electron/common/wire';
import type { ClientMessage } from '../../../electron/common/wire';
import { contract, isContractName } from '../../../electron/common/contract';
import { toApiError } from './errors';
import type { Transport } from './transport';

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}
interface OpenStream {
  name: string;
  params: unknown;
  onEvents: (events: unknown[]) => void;
  onEnd: (error: ErrorEnvelope | null) => void;
}

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

export class WebSocketTransport implements Transport {
  private socket: WebSocketLike | undefined;
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly streams = new Map<number, OpenStream>();
  private readonly outbox: string[] = [];
  private attempt = 0;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: WebSocketTransportOptions) {
    this.connect();
  }

  /** Builds the URL from the page the browser loaded: `http://127.0.0.1:P/?token=T` → `ws://127.0.0.1:P/rpc?token=T`. */
  static urlFromLocation(location: { protocol: string; host: string; search: string }): string {
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${scheme}//${location.host}/rpc?token=${encodeURIComponent(token)}`;
  }

  call(name: string, payload: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.calls.set(id, { resolve, reject });
      this.send({ t: 'call', id, name, payload });
    });
  }

  subscribe(
    name: string,
    params: unknown,
    onEvents: (events: unknown[]) => void,
    onEnd: (error: ErrorEnvelope | null) => void,
  ): () => void {
    const id = this.nextId++;
    this.streams.set(id, { name, params, onEvents, onEnd });
    this.send({ t: 'subscribe', id, name, params });
    return () => {
      if (this.streams.delete(id)) this.send({ t: 'unsubscribe', id });
    };
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
    for (const [id, call] of this.calls) {
      this.calls.delete(id);
      call.reject(toApiError(error));
    }
    for (const [id, stream] of this.streams) {
      const spec = isContractName(stream.name) ? contract[stream.name] : undefined;
      const finite = spec?.kind === 'stream' && spec.finite;
      if (includeOpenEnded || finite) {
        this.streams.delete(id);
        stream.onEnd(error);
      } else {
        this.outbox.push(JSON.stringify({ t: 'subscribe', id, name: stream.name, params: stream.params }));
      }
    }
  }

  private receive(data: unknown): void {
    let parsed: ReturnType<typeof engineMessage.safeParse>;
    try {
      parsed = engineMessage.safeParse(JSON.parse(String(data)));
    } catch {
      return; // Not JSON: nothing we could route it to.
    }
    if (!parsed.success) return;
    const message = parsed.data;
    switch (message.t) {
      case 'result': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        call?.resolve(message.value);
        return;
      }
      case 'failure': {
        const call = this.calls.get(message.id);
        this.calls.delete(message.id);
        call?.reject(toApiError(message.error));
        return;
      }
      case 'events':
        this.streams.get(message.id)?.onEvents(message.events);
        return;
      case 'end': {
        const stream = this.streams.get(message.id);
        this.streams.delete(message.id);
        stream?.onEnd(message.error);
        return;
      }
      case 'protocol-error':
        // The engine could not read one of our messages; it names the problem, but no id to route it to.
        console.error(`engine protocol error: ${message.error.message}`);
        return;
    }
  }
}
