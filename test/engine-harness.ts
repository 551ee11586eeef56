// Integration tests drive the engine exactly as the UI does: the typed client (renderer/src/api/client.ts) over a
// loopback transport into an EngineSession with the real engine, so every request passes the contract's
// validation and every answer the engine's. Only the socket is left out (web-server.spec.ts covers that).
import { playgroundEnginePort } from '../playground/engine-port';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlaygroundInfo } from '../playground/info';
import { createClient } from '../renderer/src/api/client';
import type { Api } from '../renderer/src/api/client';
import { toApiError } from '../renderer/src/api/errors';
import type { Transport } from '../renderer/src/api/transport';
import type { ErrorEnvelope } from '../electron/common/errors';
import type { EngineMessage } from '../electron/common/wire';
import { createEngine } from '../electron/backend/engine';
import type { Engine } from '../electron/backend/engine';
import { EngineSession } from '../electron/backend/rpc/session';

class LoopbackTransport implements Transport {
  private nextId = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly streams = new Map<
    number,
    { onEvents: (events: unknown[]) => void; onEnd: (error: ErrorEnvelope | null) => void }
  >();
  readonly session: EngineSession;

  constructor(engine: Engine) {
    // Messages are cloned as they would be by JSON or structured clone, so nothing is shared by reference.
    this.session = new EngineSession(engine.handlers, (message) => this.receive(structuredClone(message)), {
      flushIntervalMs: 50,
    });
  }

  private receive(message: EngineMessage): void {
    if (message.t === 'result') this.calls.get(message.id)?.resolve(message.value);
    else if (message.t === 'failure') this.calls.get(message.id)?.reject(toApiError(message.error));
    else if (message.t === 'events') this.streams.get(message.id)?.onEvents(message.events);
    else if (message.t === 'end') {
      const stream = this.streams.get(message.id);
      this.streams.delete(message.id);
      stream?.onEnd(message.error);
    }
    if (message.t === 'result' || message.t === 'failure') this.calls.delete(message.id);
  }

  call(name: string, payload: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.calls.set(id, { resolve, reject });
      this.session.receive(structuredClone({ t: 'call', id, name, payload }));
    });
  }

  subscribe(
    name: string,
    params: unknown,
    onEvents: (events: unknown[]) => void,
    onEnd: (error: ErrorEnvelope | null) => void,
  ): () => void {
    const id = this.nextId++;
    this.streams.set(id, { onEvents, onEnd });
    this.session.receive(structuredClone({ t: 'subscribe', id, name, params }));
    return () => {
      if (this.streams.delete(id)) this.session.receive({ t: 'unsubscribe', id });
    };
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
    api: createClient(transport),
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
