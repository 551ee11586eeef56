// The one reply router of the client end of the wire protocol, shared by every client: the preload's PortClient
// (Electron MessagePort), the renderer's WebSocketTransport (web mode) and the tests' loopback harness. It hands
// out ids, routes each engine message to the call or stream of that id, acknowledges each batch of events once
// its listener has run (the engine counts unacknowledged batches to tell a slow UI: rpc/session.ts), and fails
// or keeps what is open when the connection goes away. Transports only move messages; nothing here knows about
// sockets, ports, DOM or Node.
import type { ErrorEnvelope } from './errors';
import type { ClientMessage, EngineMessage, Settled } from './wire';
import { engineMessage } from './wire';

/** A stream's listeners: each batch of events, then its end (null when it completed, else why it failed). */
export type OnEvents = (events: unknown[]) => void;
export type OnEnd = (error: ErrorEnvelope | null) => void;

interface RoutedStream {
  name: string;
  params: unknown;
  onEvents: OnEvents;
  onEnd: OnEnd;
}

export interface ReplyRouterOptions {
  /** Told about engine messages that could not be routed (protocol errors name the problem but carry no id). */
  onProtocolError?: (error: ErrorEnvelope) => void;
}

export class ReplyRouter {
  private nextId = 1;
  private readonly calls = new Map<number, (settled: Settled<unknown>) => void>();
  private readonly streams = new Map<number, RoutedStream>();

  constructor(
    private readonly post: (message: ClientMessage) => void,
    private readonly options: ReplyRouterOptions = {},
  ) {}

  call(name: string, payload: unknown): Promise<Settled<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.calls.set(id, resolve);
      this.post({ t: 'call', id, name, payload });
    });
  }

  /** Opens a stream; the returned function unsubscribes (after which `onEnd` is not called). */
  subscribe(name: string, params: unknown, onEvents: OnEvents, onEnd: OnEnd): () => void {
    const id = this.nextId++;
    this.streams.set(id, { name, params, onEvents, onEnd });
    this.post({ t: 'subscribe', id, name, params });
    return () => {
      if (this.streams.delete(id)) this.post({ t: 'unsubscribe', id });
    };
  }

  /** Routes one engine message (already decoded from JSON or structured clone); anything malformed is ignored. */
  receive(raw: unknown): void {
    const parsed = engineMessage.safeParse(raw);
    if (!parsed.success) return;
    const message: EngineMessage = parsed.data;
    switch (message.t) {
      case 'result':
      case 'failure': {
        const settle = this.calls.get(message.id);
        this.calls.delete(message.id);
        settle?.(
          message.t === 'result' ? { ok: true, value: message.value } : { ok: false, error: message.error },
        );
        return;
      }
      case 'events':
        try {
          this.streams.get(message.id)?.onEvents(message.events);
        } finally {
          // Acknowledged once handled (or found unwanted): the engine's count of batches in flight goes down.
          if (message.seq !== undefined) this.post({ t: 'ack', seq: message.seq });
        }
        return;
      case 'end': {
        const stream = this.streams.get(message.id);
        this.streams.delete(message.id);
        stream?.onEnd(message.error);
        return;
      }
      case 'protocol-error':
        this.options.onProtocolError?.(message.error);
        return;
    }
  }

  /**
   * The connection went away: every pending call fails with `error`; each open stream either ends with it or, when
   * `keep(name)` says so (open-ended watches), stays registered to be re-subscribed by `resubscribe()`.
   */
  connectionLost(error: ErrorEnvelope, keep: (name: string) => boolean = () => false): void {
    for (const [id, settle] of this.calls) {
      this.calls.delete(id);
      settle({ ok: false, error });
    }
    for (const [id, stream] of this.streams) {
      if (keep(stream.name)) continue;
      this.streams.delete(id);
      stream.onEnd(error);
    }
  }

  /** Sends `subscribe` again (same id, same params) for every stream still open, e.g. on a new connection. */
  resubscribe(): void {
    for (const [id, stream] of this.streams) {
      this.post({ t: 'subscribe', id, name: stream.name, params: stream.params });
    }
  }

  get pending(): { calls: number; streams: number } {
    return { calls: this.calls.size, streams: this.streams.size };
  }
}
