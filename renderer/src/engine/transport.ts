// What the typed client needs from a channel to the engine. Two implementations: WebSocket (web mode) and the
// Electron preload facade. Both report failures as envelopes; the client turns them into Errors.
import type { ErrorEnvelope } from '../../../electron/common/errors';

export interface Transport {
  /** Sends one operation; resolves with the raw response value, rejects with an ApiError. */
  call(name: string, payload: unknown): Promise<unknown>;
  /**
   * Opens a stream. `onEvents` gets batches (oldest first); `onEnd` is called once when the stream ends by itself
   * or fails (not after the returned unsubscribe is called).
   */
  subscribe(
    name: string,
    params: unknown,
    onEvents: (events: unknown[]) => void,
    onEnd: (error: ErrorEnvelope | null) => void,
  ): () => void;
}
