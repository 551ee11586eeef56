// Web mode: the built renderer over HTTP and the contract over one WebSocket per page, on 127.0.0.1 only.
// Guards, because any web page the user visits can try to reach localhost:
// - a random token (32 bytes) in the printed URL; the WebSocket upgrade must present it (constant-time compare);
// - the Origin of the upgrade must be this server's own origin (blocks cross-site WebSocket hijacking);
// - the Host header must be 127.0.0.1:<port> or localhost:<port> (blocks DNS rebinding).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import type { Handlers } from '../backend/rpc/handlers';
import { EngineSession } from '../backend/rpc/session';
import type { SessionOptions } from '../backend/rpc/session';
import { serveStatic } from './static-files';

export interface WebServerOptions {
  handlers: Handlers;
  /** Folder of the built renderer. */
  root: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); random otherwise. */
  token?: string;
  session?: SessionOptions;
  log?: (line: string) => void;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** `ws://127.0.0.1:<port>/rpc?token=…` */
  rpcUrl: string;
  /** The Origin a page served by this server sends. */
  origin: string;
  connections(): number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
/** Largest message a page may send (requests are small; this bounds memory per message). */
const MAX_PAYLOAD = 1024 * 1024;
/** Unsent bytes on a socket beyond which droppable streams hold back (the page is not reading fast enough). */
const CONGESTED_BYTES = 4 * 1024 * 1024;

function sameToken(given: string | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log ?? (() => {});
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const server = createServer((request, response) => {
    if (!allowedHosts().has(request.headers.host ?? '')) {
      response.writeHead(421).end('wrong host');
      return;
    }
    void serveStatic(options.root, request, response, port).catch((error) => {
      log(`static: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      reject(socket, 400, 'Bad Request');
      return;
    }
    if (url.pathname !== '/rpc') return reject(socket, 404, 'Not Found');
    if (!allowedHosts().has(request.headers.host ?? '')) return reject(socket, 421, 'Misdirected Request');
    if (!allowedOrigins().has(request.headers.origin ?? '')) {
      log(`refused a WebSocket from origin ${JSON.stringify(request.headers.origin ?? null)}`);
      return reject(socket, 403, 'Forbidden');
    }
    if (!sameToken(url.searchParams.get('token'), token)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(request, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    const session = new EngineSession(options.handlers, (message) => ws.send(JSON.stringify(message)), {
      log,
      transportCongested: () => ws.bufferedAmount > CONGESTED_BYTES,
      ...options.session,
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        session.receive(undefined); // answered with a protocol error
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(data.toString());
      } catch {
        parsed = undefined;
      }
      session.receive(parsed);
    });
    ws.on('close', () => {
      sockets.delete(ws);
      session.close();
    });
    ws.on('error', (error) => log(`websocket: ${error.message}`));
  }

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    rpcUrl: `ws://${HOST}:${port}/rpc?token=${token}`,
    origin: `http://${HOST}:${port}`,
    connections: () => sockets.size,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
