// The messages that carry the contract over a byte/message channel: the web mode's WebSocket and the Electron
// MessagePort between the preload and the engine's utility process speak exactly this. Each message is validated
// on arrival (the engine treats the UI as untrusted, and the UI does not trust a half-broken socket either).
import { z } from 'zod';
import { errorEnvelope } from './errors';

/** Client-chosen correlation id, unique per connection. */
const callId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** Names are checked against the contract by the dispatcher; here only their size is bounded. */
const name = z.string().min(1).max(100);

export const clientMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: callId, name, payload: z.unknown() }),
  z.object({ t: z.literal('subscribe'), id: callId, name, params: z.unknown() }),
  z.object({ t: z.literal('unsubscribe'), id: callId }),
  /** The batch of events numbered `seq` has been handled (see the engine message `events`). */
  z.object({ t: z.literal('ack'), seq: callId }),
]);
export type ClientMessage = z.infer<typeof clientMessage>;

export const engineMessage = z.discriminatedUnion('t', [
  z.object({ t: z.literal('result'), id: callId, value: z.unknown() }),
  z.object({ t: z.literal('failure'), id: callId, error: errorEnvelope }),
  /**
   * A batch of events for one subscription, oldest first. `seq` numbers the batches of the connection; the client
   * acknowledges each, and the engine counts a client that leaves too many unacknowledged as slow (congested).
   */
  z.object({ t: z.literal('events'), id: callId, events: z.array(z.unknown()), seq: callId.optional() }),
  /** The subscription ended: by itself (finite streams), by an error, or as the answer to `unsubscribe`. */
  z.object({ t: z.literal('end'), id: callId, error: errorEnvelope.nullable() }),
  /** Something about the connection itself (a message that could not even be read). */
  z.object({ t: z.literal('protocol-error'), error: errorEnvelope }),
]);
export type EngineMessage = z.infer<typeof engineMessage>;

/** A settled operation result as the preload facade hands it over (errors cannot cross the context bridge intact). */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof errorEnvelope> };
