// Builds the preload facade by walking the contract: one function per operation and per stream, nested as
// `facade.<domain>.<verb>`. Nothing here is a hand-kept list, and nothing generic (`send(channel, …)`) is exposed:
// the page can only call what the contract names, with arguments the engine validates again.
import { perContractEntry } from './contract';
import type { PreloadFacade } from './facade';
import type { PortClient } from './port-client';

export function buildFacade(client: PortClient): PreloadFacade {
  const facade = perContractEntry(
    (name) => (request: unknown) => client.call(name, request),
    (name) => (params: unknown, onEvents: (events: unknown[]) => void, onEnd: (error: unknown) => void) =>
      client.subscribe(name, params, onEvents, onEnd),
  );
  return facade as unknown as PreloadFacade;
}
