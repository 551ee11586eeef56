// The KIngress gateway on the wire, every protocol pair against real servers on loopback: HTTP/1.1 and h2c clients
// on one port, HTTP/1.1 and h2c backends, gRPC-style trailers and a full-duplex stream, an Upgrade joined byte for
// byte, the gateway's own answers (no route, backend down, redirect) in both protocols, and TLS chosen by SNI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { join } from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/support/temp-dirs';
import {
  closeBackendConnections,
  listenGateway,
  speaksH2c,
  type GatewayServer,
  type Router,
} from './gateway-server';

const newDir = tempDirs('gateway-tls');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  closeBackendConnections();
});

async function listening<S extends http.Server | http2.Http2Server>(server: S): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

/** An HTTP/1.1 backend that says which protocol and Host it was asked with. */
async function http1Backend(): Promise<number> {
  const server = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({
        version: request.httpVersion,
        host: request.headers.host,
        path: request.url,
        added: request.headers['x-added'],
      }),
    );
  });
  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex) => {
    socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
    socket.pipe(socket);
  });
  cleanups.push(() => server.closeAllConnections());
  return listening(server);
}

/** An h2c backend: `/echo` echoes each chunk back at once and ends with gRPC-style trailers; else says who asked. */
async function h2cBackend(): Promise<number> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => sessions.add(session));
  cleanups.push(() => sessions.forEach((session) => session.destroy()));
  server.on('stream', (stream, headers) => {
    if (headers[':path'] === '/echo') {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'fine' }));
      stream.on('data', (chunk: Buffer) => stream.write(chunk));
      stream.on('end', () => stream.end());
      return;
    }
    stream.respond({ ':status': 200, 'content-type': 'application/json' });
    stream.end(
      JSON.stringify({
        version: '2.0',
        host: headers[':authority'],
        path: headers[':path'],
        added: headers['x-added'],
      }),
    );
  });
  return listening(server);
}

async function gateway(route: Router): Promise<{ server: GatewayServer; url: string }> {
  const server = await listenGateway(route);
  cleanups.push(() => server.close());
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

/** A router as kingress-main's: the client's headers, Host rewritten, one header appended. */
function routeTo(port: number, h2c = false): Router {
  return (request) => ({
    target: { host: '127.0.0.1', port, h2c },
    headers: { ...request.headers, host: 'svc.example', 'x-added': 'yes' },
  });
}

async function h1Get(
  url: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  const response = await fetch(url, { headers: { host: 'ignored' } });
  return {
    status: response.status,
    body: await response.text(),
    headers: Object.fromEntries(response.headers),
  };
}

function h2Client(url: string): http2.ClientHttp2Session {
  const session = http2.connect(url);
  cleanups.push(() => session.destroy());
  return session;
}

function h2Get(session: http2.ClientHttp2Session, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':path': path, ':authority': 'svc.example' });
    let status = 0;
    let body = '';
    stream.on('response', (headers) => (status = Number(headers[':status'])));
    stream.on('data', (chunk: Buffer) => (body += chunk.toString()));
    stream.on('end', () => resolve({ status, body }));
    stream.on('error', reject);
    stream.end();
  });
}

describe('KIngress gateway server', () => {
  it('speaks h2c to a port named http2 or h2c or with appProtocol kubernetes.io/h2c, else HTTP/1.1', () => {
    expect(speaksH2c({ name: 'http2' })).toBe(true);
    expect(speaksH2c({ name: 'h2c' })).toBe(true);
    expect(speaksH2c({ name: 'web', appProtocol: 'kubernetes.io/h2c' })).toBe(true);
    expect(speaksH2c({ name: 'http' })).toBe(false);
    expect(speaksH2c({})).toBe(false);
  });

  it('proxies an HTTP/1.1 client in the protocol the backend port asks for (basics/http2: h2c is seen as 2.0)', async () => {
    for (const [backend, h2c, version] of [
      [await http1Backend(), false, '1.1'],
      [await h2cBackend(), true, '2.0'],
    ] as const) {
      const { url } = await gateway(routeTo(backend, h2c));
      const answer = await h1Get(`${url}/a?b=1`);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ version, host: 'svc.example', path: '/a?b=1', added: 'yes' });
    }
  });

  it('takes h2c prior knowledge on the same port, to HTTP/1.1 and to h2c backends', async () => {
    const h1 = await gateway(routeTo(await http1Backend()));
    const h2 = await gateway(routeTo(await h2cBackend(), true));
    expect(JSON.parse((await h2Get(h2Client(h1.url), '/x')).body)).toMatchObject({
      version: '1.1',
      path: '/x',
    });
    expect(JSON.parse((await h2Get(h2Client(h2.url), '/y')).body)).toMatchObject({
      version: '2.0',
      path: '/y',
    });
  });

  it('carries a full-duplex h2c stream and its trailers (gRPC round trips, then grpc-status)', async () => {
    const { url } = await gateway(routeTo(await h2cBackend(), true));
    const stream = h2Client(url).request({ ':method': 'POST', ':path': '/echo', te: 'trailers' });
    const trailers = new Promise<http2.IncomingHttpHeaders>((resolve) => stream.on('trailers', resolve));
    // Each message must come back before the next is sent: a proxy that buffers the request body would hang here.
    for (let i = 0; i < 20; i += 1) {
      const echoed = new Promise<string>((resolve) =>
        stream.once('data', (chunk: Buffer) => resolve(chunk.toString())),
      );
      stream.write(`ping ${i}`);
      expect(await echoed).toBe(`ping ${i}`);
    }
    stream.end();
    expect(await trailers).toMatchObject({ 'grpc-status': '0', 'grpc-message': 'fine' });
  });

  it('joins an Upgrade to the backend byte for byte once it answers 101', async () => {
    const { url } = await gateway(routeTo(await http1Backend()));
    const socket = await new Promise<Duplex>((resolve, reject) => {
      const request = http.request(`${url}/ws`, { headers: { connection: 'Upgrade', upgrade: 'echo' } });
      request.on('upgrade', (_reply, upgraded: Duplex) => resolve(upgraded));
      request.on('error', reject);
      request.end();
    });
    cleanups.push(() => socket.destroy());
    const echoed = new Promise<string>((resolve) =>
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString())),
    );
    socket.write('hello through the gateway');
    expect(await echoed).toBe('hello through the gateway');
  });

  it("answers what it cannot route with the router's reason, in either protocol", async () => {
    const { url } = await gateway(() => ({ status: 404, why: 'no internal route for host "nowhere"' }));
    const h1 = await h1Get(url);
    expect(h1.status).toBe(404);
    expect(h1.body).toContain('no internal route for host "nowhere"');
    expect(h1.headers['x-knative-desk-ingress']).toBe('error');
    const h2 = await h2Get(h2Client(url), '/');
    expect(h2).toEqual({ status: 404, body: 'no internal route for host "nowhere"\n' });
  });

  it('answers 502 with the cause when the backend is down, in either protocol and to either backend kind', async () => {
    const closed = await http1Backend();
    cleanups
      .splice(0)
      .reverse()
      .forEach((cleanup) => cleanup());
    for (const h2c of [false, true]) {
      const { url } = await gateway(routeTo(closed, h2c));
      const h1 = await h1Get(url);
      expect(h1.status).toBe(502);
      expect(h1.body).toMatch(/upstream 127\.0\.0\.1:\d+ failed/);
      expect((await h2Get(h2Client(url), '/')).status).toBe(502);
    }
  });

  it('answers with the headers the router gives (a redirect to https), in either protocol', async () => {
    const location = 'https://svc.example/p?q=1';
    const { url } = await gateway(() => ({
      status: 301,
      why: `redirected to ${location}`,
      headers: { location },
    }));
    const h1 = await fetch(`${url}/p?q=1`, { redirect: 'manual' });
    expect([h1.status, h1.headers.get('location')]).toEqual([301, location]);
    const h2 = await new Promise<http2.IncomingHttpHeaders>((resolve) =>
      h2Client(url).request({ ':path': '/p?q=1' }).on('response', resolve).end(),
    );
    expect([h2[':status'], h2.location]).toEqual([301, location]);
  });

  it('serves TLS with the certificate the SNI name selects, HTTP/1.1 and h2 by ALPN, and tells the router', async () => {
    const dir = newDir();
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=secure.example',
        '-addext',
        'subjectAltName=DNS:secure.example',
        '-keyout',
        join(dir, 'tls.key'),
        '-out',
        join(dir, 'tls.crt'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'tls.crt'));
    const context = tls.createSecureContext({ cert, key: readFileSync(join(dir, 'tls.key')) });
    const backend = await http1Backend();
    const seen: boolean[] = [];
    const server = await listenGateway(
      (request) => {
        seen.push(request.secure);
        return routeTo(backend)(request);
      },
      { certificateFor: (name) => (name === 'secure.example' ? context : undefined) },
    );
    cleanups.push(() => server.close());
    const port = server.address().port;
    const body = await new Promise<string>((resolve, reject) => {
      https
        .get(
          { host: '127.0.0.1', port, servername: 'secure.example', ca: cert, path: '/tls', agent: false },
          (reply) => {
            let text = '';
            reply.on('data', (chunk: Buffer) => (text += chunk.toString()));
            reply.on('end', () => resolve(text));
          },
        )
        .on('error', reject);
    });
    expect(JSON.parse(body)).toMatchObject({ version: '1.1', path: '/tls', added: 'yes' });
    const session = http2.connect(`https://127.0.0.1:${port}`, { ca: cert, servername: 'secure.example' });
    cleanups.push(() => session.destroy());
    expect(JSON.parse((await h2Get(session, '/tls2')).body)).toMatchObject({ version: '1.1', path: '/tls2' });
    expect(seen).toEqual([true, true]);
    // A name the gateway holds no certificate for fails its handshake.
    await expect(
      new Promise<void>((resolve, reject) =>
        tls
          .connect({ host: '127.0.0.1', port, servername: 'other.example', ca: cert }, () => resolve())
          .on('error', reject),
      ),
    ).rejects.toThrow();
  });
});
