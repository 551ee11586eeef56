// Web mode's guards and the full client path (typed client → WebSocket → session → engine handlers), with the real
// engine in a temp config dir. No cluster is needed for these operations.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createEngineClient } from '../../renderer/src/engine/engine-client';
import { PreconditionError, ValidationError } from '../../renderer/src/engine/errors';
import { WebSocketTransport } from '../../renderer/src/engine/websocket-transport';
import type { WebSocketLike } from '../../renderer/src/engine/websocket-transport';
import { contractApi } from '../../test/support/contract-api';
import { scratchDir, scratchEngine } from '../../test/support/scratch-engine';
import { startWebServer } from './web-server';
import type { WebServer } from './web-server';

let server: WebServer;
const temp = scratchDir('web');

beforeAll(async () => {
  const engine = scratchEngine('web', temp);
  server = await startWebServer({ handlers: engine.handlers, root: join(temp, 'no-build') });
});
afterAll(async () => server.close());

/** Opens a raw socket and reports whether the upgrade was accepted (and the HTTP status when not). */
function tryUpgrade(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

function client() {
  return contractApi(
    createEngineClient(
      new WebSocketTransport({
        url: server.rpcUrl,
        createSocket: (url) => new WebSocket(url, { origin: server.origin }) as unknown as WebSocketLike,
      }),
    ),
  );
}

describe('web mode guards', () => {
  it('listens on 127.0.0.1 only and prints a tokened URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
  });

  it('accepts its own origin with the token', async () => {
    expect(await tryUpgrade(server.rpcUrl, { Origin: server.origin })).toBe(101);
  });

  it('refuses another origin even with the token', async () => {
    expect(await tryUpgrade(server.rpcUrl, { Origin: 'http://evil.example' })).toBe(403);
  });

  it('refuses a missing origin', async () => {
    expect(await tryUpgrade(server.rpcUrl, {})).toBe(403);
  });

  it('refuses a wrong or missing token', async () => {
    const base = server.rpcUrl.replace(/token=.*/, '');
    expect(await tryUpgrade(`${base}token=nope`, { Origin: server.origin })).toBe(401);
    expect(await tryUpgrade(base, { Origin: server.origin })).toBe(401);
  });

  it('refuses a rebound Host name', async () => {
    expect(
      await tryUpgrade(server.rpcUrl, { Origin: server.origin, Host: `attacker.example:${server.port}` }),
    ).toBe(421);
  });

  it('serves a page with a CSP and no path escape', async () => {
    const page = await fetch(server.origin + '/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const escape = await fetch(server.origin + '/..%2f..%2fetc%2fpasswd');
    expect([403, 404]).toContain(escape.status);
  });
});

describe('typed client over WebSocket', () => {
  it('calls an operation and gets the typed answer', async () => {
    const info = await client().app.info({});
    expect(info.mode).toBe('web');
    expect(info.secretStorage).toBe('file');
    expect(info.warnings.join(' ')).toMatch(/0600/);
  });

  it('turns engine errors into Error subclasses with code and details', async () => {
    const api = client();
    const error = await api.app.openExternal({ url: 'https://example.com' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreconditionError);
    expect((error as PreconditionError).code).toBe('precondition');
  });

  it('rejects bad requests before sending, naming the field', async () => {
    const error = await client()
      .clusters.check({ context: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldMessages.join()).toMatch(/^context:/);
  });

  it('saves a profile without ever returning its secret', async () => {
    const api = client();
    const { profile } = await api.fc.saveProfile({
      name: 'test',
      accountId: '1234',
      region: 'cn-shanghai',
      accessKeyId: 'AK',
      accessKeySecret: 'super-secret-value',
    });
    expect(profile.hasSecret).toBe(true);
    const listed = await api.fc.profiles({});
    expect(JSON.stringify(listed)).not.toContain('super-secret-value');
  });
});
