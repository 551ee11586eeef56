import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isPortFree, pickPorts, randomFreePort } from './ports';

const servers: Server[] = [];
function occupy(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    servers.push(server);
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => resolve((server.address() as { port: number }).port));
  });
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('ports', () => {
  it('tells a taken port from a free one', async () => {
    const taken = await occupy();
    expect(await isPortFree(taken)).toBe(false);
    const free = await randomFreePort();
    expect(await isPortFree(free)).toBe(true);
  });

  it('keeps a preferred port that is free, so a restarted part keeps its address', async () => {
    const wish = await randomFreePort();
    expect(await pickPorts(['client'], { client: wish })).toEqual({ client: wish });
  });

  it('replaces a preferred port that is taken by another free one', async () => {
    const taken = await occupy();
    const { client, peer } = await pickPorts(['client', 'peer'], { client: taken });
    expect(client).not.toBe(taken);
    expect(await isPortFree(client)).toBe(true);
    expect(peer).not.toBe(client);
  });

  it('never gives two roles the same port, even when both prefer it', async () => {
    const wish = await randomFreePort();
    const ports = await pickPorts(['a', 'b'], { a: wish, b: wish });
    expect(ports.a).toBe(wish);
    expect(ports.b).not.toBe(wish);
  });
});
