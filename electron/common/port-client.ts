// The client end of the wire protocol over a message channel that carries structured-clone values (Electron's
// MessagePort between the preload and the engine's utility process). Routing is the shared ReplyRouter; this file
// only knows the channel's life: messages sent before the first port exists are queued; when the port closes (the
// engine went away) pending calls fail at once with a clear error, finite streams end with it, and open-ended
// streams (when `keep` says so) wait for the next port (the restarted engine), where they are re-subscribed. The
// channel is injected as functions, so this file needs neither DOM nor Electron.
import type { ErrorEnvelope } from './errors';
import { ReplyRouter, type OnEnd, type OnEvents } from './reply-router';
import type { ClientMessage, Settled } from './wire';

export interface PortClientOptions {
  /** Streams to keep across an engine restart (re-subscribed on the next port); others end with the error. */
  keep?: (name: string) => boolean;
}

export class PortClient {
  private post: ((message: ClientMessage) => void) | undefined;
  private readonly queue: ClientMessage[] = [];
  private lost: ErrorEnvelope | undefined;
  private readonly router = new ReplyRouter((message) => this.send(message));

  constructor(private readonly options: PortClientOptions = {}) {}

  /** Called when a port arrives (the first, or the restarted engine's); flushes what was queued. */
  connect(post: (message: ClientMessage) => void): void {
    const reconnected = this.lost !== undefined;
    this.post = post;
    this.lost = undefined;
    for (const message of this.queue.splice(0)) post(message);
    if (reconnected) this.router.resubscribe();
  }

  /** The engine went away: every pending call fails, and so does every call until the next port arrives. */
  disconnect(reason: string): void {
    this.post = undefined;
    this.queue.length = 0;
    this.lost = { code: 'unreachable', message: reason, details: {} };
    this.router.connectionLost(this.lost, this.options.keep);
  }

  private send(message: ClientMessage): void {
    if (this.post) this.post(message);
    else if (!this.lost) this.queue.push(message);
    // While the engine is gone nothing is queued: calls fail at once (below), kept streams re-subscribe on connect.
  }

  receive(raw: unknown): void {
    this.router.receive(raw);
  }

  call(name: string, payload: unknown): Promise<Settled<unknown>> {
    if (this.lost) return Promise.resolve({ ok: false, error: this.lost });
    return this.router.call(name, payload);
  }

  subscribe(name: string, params: unknown, onEvents: OnEvents, onEnd: OnEnd): () => void {
    const lost = this.lost;
    if (lost && !this.options.keep?.(name)) {
      void Promise.resolve().then(() => onEnd(lost)); // after the caller has its unsubscribe, as for a live end
      return () => {};
    }
    return this.router.subscribe(name, params, onEvents, onEnd);
  }
}
