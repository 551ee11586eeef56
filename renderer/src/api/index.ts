// The one way screens talk to the engine: `import { api } from '../api'`. Picks the transport once: the Electron
// preload facade when present, otherwise the web mode's WebSocket (token from the page URL).
import { FACADE_GLOBAL } from '../../../electron/common/facade';
import type { PreloadFacade } from '../../../electron/common/facade';
import { createClient } from './client';
import type { Api } from './client';
import { PreloadTransport } from './preload-transport';
import { WebSocketTransport } from './websocket-transport';

export type { Api, Subscription, StreamOptions } from './client';
export { createClient } from './client';
export * from './errors';
export type { Transport } from './transport';
export { WebSocketTransport } from './websocket-transport';
export { PreloadTransport } from './preload-transport';
export type * from '../../../electron/common/contract';
export { formatAge } from '../../../electron/common/format';

function defaultTransport() {
  const facade = (globalThis as Record<string, unknown>)[FACADE_GLOBAL] as PreloadFacade | undefined;
  if (facade) return new PreloadTransport(facade);
  return new WebSocketTransport({ url: WebSocketTransport.urlFromLocation(globalThis.location) });
}

let instance: Api | undefined;

/** The client for this window, created on first use. */
export function getApi(): Api {
  instance ??= createClient(defaultTransport());
  return instance;
}

/** Shorthand: `api.clusters.list({})`. Created lazily, so importing this module in tests touches no socket. */
export const api: Api = new Proxy({} as Api, {
  get: (_target, domain) => getApi()[domain as keyof Api],
});
