// The client end of the wire protocol over a message channel that carries structured-clone values (Electron's
// MessagePort between the preload and the engine's utility process). Messages sent before the port exists are
// queued; the channel is injected as functions, so this file needs neither DOM nor Electron.
import type { ErrorEnvelope } from './errors';
import type { ClientMessage, EngineMessage, Settled } from './wire';
import { engineMessage } from './wire';

interface OpenStream {
  onEvents: (events: unknown[]) => void;
  onEnd: (error: ErrorEnvelope | null) => void;
}

export class PortClient {
  private post: ((message: ClientMessage) => void) | undefined;
  private readonly queue: ClientMessage[] = [];
  private nextId = 1;
  private readonly calls = new Map<number, (settled: Settled<unknown>) => void>();
  private readonly streams = new Map<number, OpenStream>();

  /** Called once the port arrives; flushes what was queued. */
  connect(post: (message: ClientMessage) => void): void {
    this.post = post;
    for (const message of this.queue.splice(0)) post(message);
  }

  /** The engine went away: every pending call and stream fails. */
  disconnect(reason: string): void {
    this.post = undefined;
    const error: ErrorEnvelope = { code: 'unreachable', message: reason, details: {} };
    for (const [id, settle] of this.calls) {
      this.calls.delete(id);
      settle({ ok: false, error });
    }
    for (const [id, stream] of this.streams) {
      this.streams.delete(id);
      stream.onEnd(error);
    }
  }

  private send(message: ClientMessage): void {
    if (this.post) this.post(message);
    else this.queue.push(message);
  }

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
        this.streams.get(message.id)?.onEvents(message.events);
        return;
      case 'end': {
        const stream = this.streams.get(message.id);
        this.streams.delete(message.id);
        stream?.onEnd(message.error);
        return;
      }
      case 'protocol-error':
        return;
    }
  }

  call(name: string, payload: unknown): Promise<Settled<unknown>> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.calls.set(id, resolve);
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
    this.streams.set(id, { onEvents, onEnd });
    this.send({ t: 'subscribe', id, name, params });
    return () => {
      if (this.streams.delete(id)) this.send({ t: 'unsubscribe', id });
    };
  }
}
