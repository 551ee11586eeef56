// Integration tests drive the engine exactly as the UI does: the renderer's client (renderer/src/engine/engine-client.ts,
// seen as `api.<domain>.<verb>` through test/support/contract-api.ts) over a
// loopback transport into an EngineSession with the real engine, so every request passes the contract's
// validation and every answer the engine's. Only the socket is left out (web-server.spec.ts covers that).
import { playgroundEnginePort } from '../playground/engine-port';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaygroundInfo } from '../playground/info';
import { createEngineClient } from '../renderer/src/engine/engine-client';
import { RouterTransport } from '../renderer/src/engine/router-transport';
import { contractApi } from './support/contract-api';
import type { Api } from './support/contract-api';
import { ReplyRouter } from '../electron/common/reply-router';
import { createEngine } from '../electron/backend/engine';
import type { Engine } from '../electron/backend/engine';
import { EngineSession } from '../electron/backend/rpc/session';

class LoopbackTransport extends RouterTransport {
  readonly session: EngineSession;
  // The same reply router as the preload and the web transport (acks included), so the engine sees a real client.
  protected readonly router = new ReplyRouter((message) => this.session.receive(structuredClone(message)));

  constructor(engine: Engine) {
    super();
    // Messages are cloned as they would be by JSON or structured clone, so nothing is shared by reference.
    this.session = new EngineSession(
      engine.handlers,
      (message) => this.router.receive(structuredClone(message)),
      {
        flushIntervalMs: 50,
      },
    );
  }
}

export interface EngineHarness {
  api: Api;
  engine: Engine;
  close(): Promise<void>;
}

/** A fresh engine (own config dir, no kubeconfig but the playground's) and a client for it. */
export function engineFor(playground: PlaygroundInfo): EngineHarness {
  const temp = mkdtempSync(join(tmpdir(), 'knd-engine-'));
  const engine = createEngine({
    mode: 'web',
    configDir: join(temp, 'config'),
    playground: playgroundEnginePort(playground.dir),
    env: { KUBECONFIG: join(temp, 'no-default-kubeconfig') },
  });
  const transport = new LoopbackTransport(engine);
  return {
    api: contractApi(createEngineClient(transport)),
    engine,
    close: async () => {
      transport.session.close();
      await engine.dispose();
    },
  };
}

/** Polls `read` (sync or async) until `predicate` holds; fails with the last value after `timeoutMs`. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  predicate: (value: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (predicate(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)?.slice(0, 500)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
