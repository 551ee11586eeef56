// The playground KIngress's gateways on the wire (see kingress-main.ts for what they stand in for): one port that
// speaks HTTP/1.1 and HTTP/2 over cleartext (h2c, prior knowledge), as Envoy's listener in net-kourier does, and a
// reverse proxy that takes each request wherever the router says, in the protocol the backend's Service port asks
// for: a port named `http2`/`h2c` or with appProtocol `kubernetes.io/h2c` is spoken to in h2c (Knative names a
// revision's port `http2` for a container port named h2c; net-kourier makes that cluster HTTP/2), any other in
// HTTP/1.1. h2c → h2c carries trailers and full-duplex streams, so gRPC (its status is a trailer) and its
// bidirectional streams pass. HTTP/1.1 Upgrade requests (WebSocket) are routed the same way, then joined to the
// backend byte for byte once it answers 101, as Envoy does.
// A gateway may also listen with TLS (certificates chosen by SNI, as Envoy's filter chains per SNI do); what comes
// out of TLS is handled as above, and the router is told the request came in secure (for `httpOption: Redirected`).
// The router is a function (kingress-main.ts passes its KIngress rules), so this module runs without a cluster and
// its spec drives every protocol pair against real servers on loopback.
import http from 'node:http';
import http2 from 'node:http2';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { Duplex, Readable, Writable } from 'node:stream';

/** Where a request goes: an endpoint address and whether its Service port speaks h2c. */
export interface Target {
  host: string;
  port: number;
  h2c?: boolean;
}

/**
 * The router's answer: the target and the request headers to send it (Host included), or the gateway's own answer
 * (why nowhere, or a redirect with its `location` in `headers`).
 */
export type Routed =
  | { target: Target; headers: http.OutgoingHttpHeaders }
  | { status: number; why: string; headers?: Record<string, string> };

/** What the router sees of a request, whatever protocol it came in: Host (`:authority` in h2), path, headers. */
export interface RoutedRequest {
  host: string | undefined;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** Whether it came in over TLS. */
  secure: boolean;
}

export type Router = (request: RoutedRequest) => Routed;

/** Whether a Service port is spoken to in h2c, by net-kourier's rule (port name or appProtocol). */
export function speaksH2c(port: { name?: string; appProtocol?: string }): boolean {
  return port.name === 'http2' || port.name === 'h2c' || port.appProtocol === 'kubernetes.io/h2c';
}

/** Headers that describe one HTTP/1.1 connection; HTTP/2 forbids them and a proxy never forwards them. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'http2-settings',
  'host',
]);

/** Request or response headers for an HTTP/2 peer: no pseudo headers of the other side, no hop-by-hop ones. */
function h2Headers(headers: http.OutgoingHttpHeaders | http.IncomingHttpHeaders): http2.OutgoingHttpHeaders {
  const out: http2.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || lower.startsWith(':') || HOP_BY_HOP.has(lower)) continue;
    // `te` may only say `trailers` in HTTP/2 (gRPC sends exactly that).
    if (lower === 'te' && String(value).toLowerCase() !== 'trailers') continue;
    out[lower] = value;
  }
  return out;
}

/** HTTP/2 headers without their pseudo headers: an answer for an HTTP/1.1 client, or what the router sees. */
function withoutPseudoHeaders(headers: http2.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const out: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !name.startsWith(':')) out[name] = value;
  }
  return out;
}

/**
 * The client side of a proxied exchange, whatever protocol it speaks: its request body, and how to answer.
 * `respond` returns where the answer's body goes; `trailers` hands over the backend's trailers (h2 only).
 */
interface Front {
  method: string;
  path: string;
  body: Readable;
  respond(status: number, headers: http.OutgoingHttpHeaders): Writable;
  trailers(trailers: http2.IncomingHttpHeaders): void;
  fail(status: number, message: string, headers?: Record<string, string>): void;
  onAbort(abort: () => void): void;
}

const h1Agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const h2Sessions = new Map<string, http2.ClientHttp2Session>();

/** One h2c connection per backend address, made on first use and dropped when it closes or goes away. */
function h2Session(target: Target): http2.ClientHttp2Session {
  const key = `${target.host}:${target.port}`;
  const open = h2Sessions.get(key);
  if (open && !open.closed && !open.destroyed) return open;
  const session = http2.connect(`http://${key}`);
  const forget = () => {
    if (h2Sessions.get(key) === session) h2Sessions.delete(key);
  };
  session.on('error', forget);
  session.on('close', forget);
  session.on('goaway', forget);
  h2Sessions.set(key, session);
  return session;
}

function toHttp1Backend(front: Front, target: Target, headers: http.OutgoingHttpHeaders): void {
  const upstream = http.request(
    { host: target.host, port: target.port, method: front.method, path: front.path, headers, agent: h1Agent },
    (reply) => {
      const answer = { ...reply.headers } as http.OutgoingHttpHeaders;
      const sink = front.respond(reply.statusCode ?? 502, answer);
      reply.pipe(sink);
      reply.on('error', () => sink.destroy());
    },
  );
  upstream.on('error', (error) =>
    front.fail(502, `upstream ${target.host}:${target.port} failed: ${error.message}`),
  );
  front.onAbort(() => upstream.destroy());
  front.body.pipe(upstream);
}

function toH2cBackend(front: Front, target: Target, headers: http.OutgoingHttpHeaders): void {
  let upstream: http2.ClientHttp2Stream;
  try {
    upstream = h2Session(target).request({
      ...h2Headers(headers),
      ':method': front.method,
      ':path': front.path,
      ':authority': String(headers.host ?? target.host),
      ':scheme': 'http',
    });
  } catch (error) {
    return front.fail(502, `upstream ${target.host}:${target.port} failed: ${(error as Error).message}`);
  }
  upstream.on('response', (answer) => {
    const sink = front.respond(Number(answer[':status'] ?? 502), withoutPseudoHeaders(answer));
    upstream.pipe(sink);
  });
  upstream.on('trailers', (trailers) => front.trailers(trailers));
  upstream.on('error', (error) =>
    front.fail(502, `upstream ${target.host}:${target.port} failed: ${error.message}`),
  );
  front.onAbort(() => upstream.close(http2.constants.NGHTTP2_CANCEL));
  front.body.pipe(upstream);
}

/** Sends `front` where `routed` says, in the target's protocol; or answers why it cannot. */
export function proxy(front: Front, routed: Routed): void {
  if ('status' in routed) return front.fail(routed.status, routed.why, routed.headers);
  if (routed.target.h2c) toH2cBackend(front, routed.target, routed.headers);
  else toHttp1Backend(front, routed.target, routed.headers);
}

/** An HTTP/1.1 request as a Front. */
export function http1Front(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  path?: string,
): Front {
  return {
    method: request.method ?? 'GET',
    path: path ?? request.url ?? '/',
    body: request,
    respond(status, headers) {
      // An h2 answer's headers may not be written as is to HTTP/1.1 (no pseudo headers; the framing is ours).
      delete headers['transfer-encoding'];
      delete headers.connection;
      delete headers['keep-alive'];
      response.writeHead(status, headers);
      return response;
    },
    trailers() {
      // HTTP/1.1 clients get no trailers (they did not ask with `TE: trailers`), as Envoy drops them for HTTP/1.
    },
    fail: (status, message, headers) => failHttp1(response, status, message, headers),
    onAbort(abort) {
      response.on('close', () => {
        if (!response.writableFinished) abort();
      });
    },
  };
}

/** Answers an HTTP/1.1 request with a plain-text error the console can tell from the backend's own answers. */
export function failHttp1(
  response: http.ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=utf-8',
    'x-knative-desk-ingress': 'error',
  });
  response.end(`${message}\n`);
}

/** An HTTP/2 stream as a Front; the backend's trailers are sent after its body. */
function http2Front(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Front {
  let trailers: http2.OutgoingHttpHeaders | undefined;
  return {
    method: String(headers[':method'] ?? 'GET'),
    path: String(headers[':path'] ?? '/'),
    body: stream,
    respond(status, answer) {
      stream.respond({ ...h2Headers(answer), ':status': status }, { waitForTrailers: true });
      // Without trailers an empty trailing HEADERS frame ends the stream (close() here can leave a client whose
      // request body was read waiting for END_STREAM).
      stream.on('wantTrailers', () => stream.sendTrailers(trailers ?? {}));
      return stream;
    },
    trailers(received) {
      trailers = h2Headers(received);
    },
    fail(status, message, extra = {}) {
      if (stream.destroyed || stream.closed) return;
      if (stream.headersSent) return void stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      stream.respond({
        ...extra,
        ':status': status,
        'content-type': 'text/plain; charset=utf-8',
        'x-knative-desk-ingress': 'error',
      });
      stream.end(`${message}\n`);
    },
    onAbort(abort) {
      stream.on('close', () => {
        if (stream.rstCode !== http2.constants.NGHTTP2_NO_ERROR) abort();
      });
    },
  };
}

/** The head of an HTTP/1.1 response as raw text; for an answer that did not upgrade, without framing headers. */
function responseHead(reply: http.IncomingMessage, bodyThenClose = false): string {
  const lines = [`HTTP/1.1 ${reply.statusCode ?? 502} ${reply.statusMessage ?? ''}`];
  for (let i = 0; i + 1 < reply.rawHeaders.length; i += 2) {
    const name = reply.rawHeaders[i] ?? '';
    if (bodyThenClose && /^(transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
    lines.push(`${name}: ${reply.rawHeaders[i + 1]}`);
  }
  if (bodyThenClose) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * An Upgrade request (WebSocket): routed like any request, then joined byte for byte to the backend once it
 * answers 101. A backend that does not upgrade has its answer passed back (de-chunked, then the connection ends).
 */
function upgrade(routed: Routed, request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
  socket.on('error', () => socket.destroy());
  if ('status' in routed) {
    const reason = http.STATUS_CODES[routed.status] ?? '';
    const extra = Object.entries(routed.headers ?? {}).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.end(
      `HTTP/1.1 ${routed.status} ${reason}\r\n${extra.join('')}content-type: text/plain\r\n\r\n${routed.why}\n`,
    );
    return;
  }
  const upstream = http.request({
    host: routed.target.host,
    port: routed.target.port,
    method: request.method,
    path: request.url ?? '/',
    headers: routed.headers,
    agent: false,
  });
  upstream.on('upgrade', (reply, backend: Duplex, backendHead: Buffer) => {
    backend.on('error', () => socket.destroy());
    socket.on('close', () => backend.destroy());
    backend.on('close', () => socket.destroy());
    socket.write(responseHead(reply));
    if (backendHead.length > 0) socket.write(backendHead);
    if (head.length > 0) backend.write(head);
    backend.pipe(socket).pipe(backend);
  });
  upstream.on('response', (reply) => {
    socket.write(responseHead(reply, true));
    reply.pipe(socket);
  });
  upstream.on('error', (error) =>
    socket.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`),
  );
  upstream.end();
}

/** What the router sees of an HTTP/1.1 request. */
function routedRequestOf(request: http.IncomingMessage, secure: boolean): RoutedRequest {
  return { host: request.headers.host, path: request.url ?? '/', headers: request.headers, secure };
}

/** The client preface every HTTP/2 prior-knowledge connection starts with (RFC 9113 §3.4). */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export interface GatewayServer {
  address(): AddressInfo;
  /** Ends every connection and stops listening. */
  close(): void;
}

export interface GatewayOptions {
  host?: string;
  /** 0 (the default): any free port. */
  port?: number;
  /** Listen with TLS, the certificate chosen by the client's SNI (no certificate for a name fails its handshake). */
  certificateFor?: (serverName: string) => tls.SecureContext | undefined;
}

/**
 * A gateway: each connection (after TLS, when `certificateFor` is given) is read until it shows whether it opens
 * with the HTTP/2 preface, then handed to the HTTP/2 or the HTTP/1.1 server, both routing with `route`.
 */
export async function listenGateway(route: Router, options: GatewayOptions = {}): Promise<GatewayServer> {
  const secure = options.certificateFor !== undefined;
  const h1 = http.createServer((request, response) =>
    proxy(http1Front(request, response), route(routedRequestOf(request, secure))),
  );
  h1.keepAliveTimeout = 30_000;
  h1.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) =>
    upgrade(route(routedRequestOf(request, secure)), request, socket, head),
  );
  const h2 = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  h2.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  h2.on('stream', (stream, headers) => {
    stream.on('error', () => stream.destroy());
    const authority = headers[':authority'] ?? headers.host;
    const plain = { ...withoutPseudoHeaders(headers), host: authority } as http.IncomingHttpHeaders;
    const front = http2Front(stream, headers);
    proxy(front, route({ host: authority, path: front.path, headers: plain, secure }));
  });
  const handOver = (socket: net.Socket) => {
    let seen = Buffer.alloc(0);
    const sniff = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const prefix = Math.min(seen.length, H2_PREFACE.length);
      const isH2 = seen.subarray(0, prefix).equals(H2_PREFACE.subarray(0, prefix));
      if (isH2 && seen.length < H2_PREFACE.length) return; // wait for the rest of the preface
      socket.off('data', sniff);
      socket.pause();
      socket.unshift(seen);
      // The HTTP/2 session reads what is buffered on its next tick (so the socket stays paused for it); the
      // HTTP/1.1 parser takes it as data events.
      (isH2 ? h2 : h1).emit('connection', socket);
      if (!isH2) socket.resume();
    };
    socket.on('data', sniff);
    socket.on('error', () => socket.destroy());
  };
  const { certificateFor } = options;
  const listener = certificateFor
    ? tls.createServer(
        {
          ALPNProtocols: ['h2', 'http/1.1'],
          SNICallback: (name, done) => {
            const context = certificateFor(name.toLowerCase());
            if (context) done(null, context);
            else done(new Error(`no certificate for ${name}`));
          },
        },
        handOver,
      )
    : net.createServer(handOver);
  listener.on('tlsClientError', () => {
    // A client without a name we hold a certificate for: its handshake fails, the gateway goes on.
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  return {
    address: () => listener.address() as AddressInfo,
    close() {
      listener.close();
      h1.closeAllConnections();
      for (const session of sessions) session.destroy();
    },
  };
}

/** Drops the pooled backend connections (on shutdown). */
export function closeBackendConnections(): void {
  h1Agent.destroy();
  for (const session of h2Sessions.values()) session.destroy();
  h2Sessions.clear();
}
