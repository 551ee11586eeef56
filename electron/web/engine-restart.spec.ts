// Web mode when the engine goes away and comes back (the server on the same port and token, with a new engine):
// a call in flight fails at once with a clear "unreachable" error instead of hanging, the page's open-ended
// streams re-subscribe by themselves, and app:engine then names another engine, which is what the UI's
// "engine restarted" banner reads (renderer/src/app/engine-restart.ts, spec beside it).
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngineClient } from '../../renderer/src/engine/engine-client';
import { UnreachableError } from '../../renderer/src/engine/errors';
import { WebSocketTransport } from '../../renderer/src/engine/websocket-transport';
import type { WebSocketLike } from '../../renderer/src/engine/websocket-transport';
import { contractApi } from '../../test/support/contract-api';
import { scratchDir, scratchEngine } from '../../test/support/scratch-engine';
import type { Engine } from '../backend/engine';
import type { Handlers } from '../backend/rpc/handlers';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';

const temp = scratchDir('web-restart');
const token = 'restart-test-token-0123456789abcdefghijklmnop';
const open: { server: WebServer; engine: Engine }[] = [];

async function serve(port = 0) {
  const engine = scratchEngine('web', temp);
  // One operation that never answers, to have a call in flight when the engine goes away.
  const handlers: Handlers = { ...engine.handlers, 'app:info': () => new Promise(() => {}) };
  const server = await startWebServer({ handlers, root: join(temp, 'no-build'), port, token });
  open.push({ server, engine });
  return server;
}
afterAll(async () => {
  for (const { server, engine } of open) {
    await server.close().catch(() => {});
    await engine.dispose();
  }
});

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};

describe('web mode across an engine restart', () => {
  it('fails the call in flight, re-subscribes streams, and the new engine id reads as a restart', async () => {
    const first = await serve();
    const transport = new WebSocketTransport({
      url: first.rpcUrl,
      createSocket: (url) => new WebSocket(url, { origin: first.origin }) as unknown as WebSocketLike,
      maxBackoffMs: 200,
    });
    const api = contractApi(createEngineClient(transport));
    const hellos: string[] = [];
    const stop = api.app.engine({}, (hello) => {
      hellos.push(hello.engineId);
    });
    try {
      await until(() => hellos.length === 1, 'the first hello');
      const inFlight = api.app.info({}).then(
        () => null,
        (error: unknown) => error,
      );
      await first.close(); // the engine goes away
      const failure = await inFlight;
      expect(failure).toBeInstanceOf(UnreachableError);
      expect((failure as Error).message).toMatch(/Lost the connection to the engine/);

      await serve(first.port); // back, with a new engine
      await until(() => hellos.length === 2, 'the hello of the new engine');
      expect(hellos[1]).not.toBe(hellos[0]); // what the banner's onEngineHello reads as a restart
    } finally {
      stop();
      transport.close();
    }
  });
});
