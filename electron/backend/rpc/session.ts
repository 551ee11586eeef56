// One connection's worth of contract traffic (a WebSocket in web mode, a MessagePort under Electron): reads client
// messages, validates them against the wire format and the contract, routes them to the handler of that name,
// validates what the handler answers, and batches stream events. The UI is untrusted: nothing it sends can reach a
// handler without passing the contract's schema, and nothing it sends can throw out of `receive`.
import { contract, isContractName } from '../../common/contract';
import type { AnySpec } from '../../common/contract-kit';
import { envelope } from '../../common/errors';
import type { ErrorEnvelope } from '../../common/errors';
import { clientMessage } from '../../common/wire';
import type { EngineMessage } from '../../common/wire';
import { toEnvelope, zodToEnvelope } from '../errors';
import type { Disposer, Handlers, StreamSink } from './handlers';

export interface SessionOptions {
  /** Events of all streams are flushed together at most this often (batching keeps the UI's work per second low). */
  flushIntervalMs?: number;
  /** A stream whose unsent events exceed this is ended (the UI is not keeping up); protects engine memory. */
  maxQueuedEvents?: number;
  /** Open subscriptions per connection. */
  maxStreams?: number;
  /** Validate every event against the contract before sending (catches engine bugs; costs a little CPU). */
  validateEvents?: boolean;
  /** Whether the transport's own send buffer is backed up (WebSocket bufferedAmount); see StreamSink.congested. */
  transportCongested?: () => boolean;
  /**
   * Batches of events the client may leave unacknowledged before the session counts as congested. The client
   * (electron/common/reply-router.ts) acks each batch after its listener ran, so this sees a slow UI on any
   * transport, including Electron's MessagePort, which has no bufferedAmount. 0 turns it off.
   */
  ackWindow?: number;
  /** Log for engine-side failures (never the request payloads: they may hold secrets). */
  log?: (line: string) => void;
}

interface ActiveStream {
  name: string;
  controller: AbortController;
  queue: unknown[];
  dispose: Disposer | undefined;
  ended: boolean;
}

type LooseOperation = (request: unknown, signal: AbortSignal) => Promise<unknown>;
type LooseStream = (params: unknown, sink: StreamSink<unknown>) => Disposer | void | Promise<Disposer | void>;

export class EngineSession {
  private readonly streams = new Map<number, ActiveStream>();
  private readonly calls = new Map<number, AbortController>();
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private readonly flushIntervalMs: number;
  private readonly maxQueuedEvents: number;
  private readonly maxStreams: number;
  private readonly validateEvents: boolean;
  private readonly log: (line: string) => void;
  private readonly transportCongested: () => boolean;
  private readonly ackWindow: number;
  /** Batches sent (each `events` message is numbered) and the highest the client acknowledged. */
  private sentBatches = 0;
  private ackedBatches = 0;

  constructor(
    private readonly handlers: Handlers,
    private readonly send: (message: EngineMessage) => void,
    options: SessionOptions = {},
  ) {
    this.flushIntervalMs = options.flushIntervalMs ?? 250;
    this.maxQueuedEvents = options.maxQueuedEvents ?? 50_000;
    this.maxStreams = options.maxStreams ?? 256;
    this.validateEvents = options.validateEvents ?? true;
    this.log = options.log ?? (() => {});
    this.transportCongested = options.transportCongested ?? (() => false);
    this.ackWindow = options.ackWindow ?? 8;
  }

  /** Batches sent and not yet acknowledged by the client. */
  get unackedBatches(): number {
    return this.sentBatches - this.ackedBatches;
  }

  private congested(): boolean {
    return this.transportCongested() || (this.ackWindow > 0 && this.unackedBatches >= this.ackWindow);
  }

  /** Takes one decoded message (JSON already parsed, or a structured-clone value from a MessagePort). */
  receive(raw: unknown): void {
    if (this.closed) return;
    const parsed = clientMessage.safeParse(raw);
    if (!parsed.success) {
      this.safeSend({ t: 'protocol-error', error: zodToEnvelope(parsed.error, 'message') });
      return;
    }
    const message = parsed.data;
    if (message.t === 'ack') {
      // Acks only move forward and never past what was sent (a confused or hostile client cannot unclog itself).
      this.ackedBatches = Math.max(this.ackedBatches, Math.min(message.seq, this.sentBatches));
      return;
    }
    if (message.t === 'unsubscribe') {
      this.stopStream(message.id, null);
      return;
    }
    if (!isContractName(message.name)) {
      const error = envelope('unknown-operation', `No operation or stream is named "${message.name}".`, {
        operation: message.name,
      });
      if (message.t === 'call') this.safeSend({ t: 'failure', id: message.id, error });
      else this.safeSend({ t: 'end', id: message.id, error });
      return;
    }
    const spec: AnySpec = contract[message.name];
    if (message.t === 'call') {
      if (spec.kind !== 'operation') {
        this.safeSend({ t: 'failure', id: message.id, error: this.wrongKind(message.name, 'stream') });
        return;
      }
      void this.runOperation(message.id, message.name, spec, message.payload);
    } else {
      if (spec.kind !== 'stream') {
        this.safeSend({ t: 'end', id: message.id, error: this.wrongKind(message.name, 'operation') });
        return;
      }
      void this.startStream(message.id, message.name, spec, message.params);
    }
  }

  /** The connection went away: stop every stream and abort every call. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flushTimer);
    for (const controller of this.calls.values()) controller.abort();
    for (const id of [...this.streams.keys()]) this.stopStream(id, null, false);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  private wrongKind(name: string, is: string): ErrorEnvelope {
    return envelope(
      'invalid-request',
      `"${name}" is a ${is}; use ${is === 'stream' ? 'subscribe' : 'call'}.`,
      {
        operation: name,
      },
    );
  }

  private async runOperation(
    id: number,
    name: string,
    spec: AnySpec & { kind: 'operation' },
    payload: unknown,
  ) {
    const request = spec.request.safeParse(payload);
    if (!request.success) {
      this.safeSend({ t: 'failure', id, error: zodToEnvelope(request.error, name) });
      return;
    }
    const controller = new AbortController();
    this.calls.set(id, controller);
    try {
      const handler = this.handlers[name as keyof Handlers] as unknown as LooseOperation;
      const value = await handler.call(this.handlers, request.data, controller.signal);
      const response = spec.response.safeParse(value);
      if (!response.success) {
        this.log(`engine bug: ${name} answered outside the contract: ${response.error.message}`);
        this.safeSend({
          t: 'failure',
          id,
          error: envelope('internal', `${name} produced an invalid answer.`),
        });
        return;
      }
      this.safeSend({ t: 'result', id, value: response.data });
    } catch (error) {
      const failure = toEnvelope(error, name);
      if (failure.code === 'internal')
        this.log(`${name} failed: ${(error as Error)?.stack ?? String(error)}`);
      this.safeSend({ t: 'failure', id, error: failure });
    } finally {
      this.calls.delete(id);
    }
  }

  private async startStream(
    id: number,
    name: string,
    spec: AnySpec & { kind: 'stream' },
    rawParams: unknown,
  ) {
    if (this.streams.has(id)) {
      // A reconnecting client re-subscribes with the same id; the old one must not leak.
      this.stopStream(id, null, false);
    }
    const params = spec.params.safeParse(rawParams);
    if (!params.success) {
      this.safeSend({ t: 'end', id, error: zodToEnvelope(params.error, name) });
      return;
    }
    if (this.streams.size >= this.maxStreams) {
      this.safeSend({
        t: 'end',
        id,
        error: envelope('precondition', `Too many open streams (${this.maxStreams}).`),
      });
      return;
    }
    const active: ActiveStream = {
      name,
      controller: new AbortController(),
      queue: [],
      dispose: undefined,
      ended: false,
    };
    this.streams.set(id, active);
    const sink: StreamSink<unknown> = {
      signal: active.controller.signal,
      congested: () => this.congested() || active.queue.length > this.maxQueuedEvents / 10,
      emit: (event) => {
        if (active.ended) return;
        if (this.validateEvents) {
          const checked = spec.event.safeParse(event);
          if (!checked.success) {
            this.log(`engine bug: ${name} emitted an event outside the contract: ${checked.error.message}`);
            this.stopStream(id, envelope('internal', `${name} produced an invalid event.`));
            return;
          }
          event = checked.data;
        }
        active.queue.push(event);
        if (active.queue.length > this.maxQueuedEvents) {
          this.stopStream(
            id,
            envelope('precondition', `${name}: the UI fell too far behind; the stream was stopped.`),
          );
          return;
        }
        this.scheduleFlush();
      },
      end: (error) => {
        if (active.ended) return;
        this.stopStream(id, error === undefined || error === null ? null : toEnvelope(error, name));
      },
    };
    try {
      const handler = this.handlers[name as keyof Handlers] as unknown as LooseStream;
      const dispose = await handler.call(this.handlers, params.data, sink);
      if (active.ended) {
        // Ended (or unsubscribed) while starting: release right away.
        if (dispose) await this.runDispose(name, dispose);
      } else if (dispose) {
        active.dispose = dispose;
      }
    } catch (error) {
      const failure = toEnvelope(error, name);
      if (failure.code === 'internal')
        this.log(`${name} failed to start: ${(error as Error)?.stack ?? String(error)}`);
      this.stopStream(id, failure);
    }
  }

  /** Ends one stream: flushes what it queued, tells the UI (unless the connection is gone), disposes. */
  private stopStream(id: number, error: ErrorEnvelope | null, notify = true): void {
    const active = this.streams.get(id);
    if (!active || active.ended) return;
    active.ended = true;
    this.streams.delete(id);
    active.controller.abort();
    if (notify && !this.closed) {
      if (active.queue.length > 0) this.sendEvents(id, active.queue.splice(0));
      this.safeSend({ t: 'end', id, error });
    }
    if (active.dispose) void this.runDispose(active.name, active.dispose);
  }

  private async runDispose(name: string, dispose: Disposer): Promise<void> {
    try {
      await dispose();
    } catch (error) {
      this.log(`${name}: cleanup failed: ${String(error)}`);
    }
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined || this.closed) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, this.flushIntervalMs);
  }

  private flush(): void {
    for (const [id, active] of this.streams) {
      if (active.queue.length > 0) this.sendEvents(id, active.queue.splice(0));
    }
  }

  private sendEvents(id: number, events: unknown[]): void {
    this.safeSend({ t: 'events', id, events, seq: ++this.sentBatches });
  }

  private safeSend(message: EngineMessage): void {
    if (this.closed) return;
    try {
      this.send(message);
    } catch (error) {
      this.log(`could not send to the UI: ${String(error)}`);
    }
  }
}
