// This window's channel to the engine, picked once: the Electron preload facade when present, otherwise the web
// mode's WebSocket (token taken from the page URL).
import { FACADE_GLOBAL } from '../../../electron/common/facade';
import type { PreloadFacade } from '../../../electron/common/facade';
import { PreloadTransport } from './preload-transport';
import type { Transport } from './transport';
import { WebSocketTransport } from './websocket-transport';

export function windowTransport(): Transport {
  const facade = (globalThis as Record<string, unknown>)[FACADE_GLOBAL] as PreloadFacade | undefined;
  if (facade) return new PreloadTransport(facade);
  return new WebSocketTransport({ url: WebSocketTransport.urlFromLocation(globalThis.location) });
}
