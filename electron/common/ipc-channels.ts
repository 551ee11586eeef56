// The only IPC channel names between main and preload, and the messages between main and the engine process.
// Contract traffic never uses these: it flows over the MessagePort handed out on ENGINE_PORT_CHANNEL.

/** main → preload: carries the renderer's end of a MessageChannel to the engine. */
export const ENGINE_PORT_CHANNEL = 'knative-desk:engine-port';

/** engine → main requests (the engine may not import Electron, so it asks the main process). */
export type EngineToMain =
  | { type: 'cipher'; id: number; op: 'encrypt' | 'decrypt'; value: string }
  | { type: 'open-external'; id: number; url: string }
  | { type: 'ready' };

/** main → engine messages. */
export type MainToEngine =
  | { type: 'connect'; windowId: number }
  | { type: 'reply'; id: number; ok: boolean; value?: string; error?: string };
