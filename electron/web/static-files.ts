// Serves the built renderer (dist/renderer) read-only: GET/HEAD only, no directory listing, no path escaping the
// root, a strict CSP and no referrer (the page URL carries the session token).
// A file is opened before the answer starts and streamed with `pipeline`, so a read error (permissions, a file
// replaced during a build, a disk error) becomes a 403/500 or an aborted response, never an unhandled stream error
// that would take the web-mode process down.
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { contentSecurityPolicy as sharedPolicy } from '../common/content-security-policy';
import { servedRelativePath } from '../common/served-path';
import { pipeline } from 'node:stream';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** The console's policy (electron/common), sent as a header too so it also covers non-HTML responses; the page
 * connects to the engine by WebSocket on this port. */
export function contentSecurityPolicy(port: number): string {
  return sharedPolicy(["'self'", `ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

function securityHeaders(response: ServerResponse, port: number): void {
  response.setHeader('Content-Security-Policy', contentSecurityPolicy(port));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

const missingBuild = `<!doctype html><meta charset="utf-8"><title>knative-desk</title>
<p>The console UI is not built yet. Run <code>npm run build</code>, then reload this page.</p>`;

/** How files are opened (a seam for the specs of read errors). */
export type OpenFile = (path: string) => Promise<Pick<FileHandle, 'stat' | 'createReadStream' | 'close'>>;
const openReadOnly: OpenFile = (path) => open(path, 'r');

const statusByCode: Record<string, number> = { ENOENT: 404, ENOTDIR: 404, EACCES: 403, EPERM: 403 };

export async function serveStatic(
  root: string,
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  openFile: OpenFile = openReadOnly,
): Promise<void> {
  securityHeaders(response, port);
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  let relative: string | null;
  try {
    relative = servedRelativePath(new URL(request.url ?? '/', 'http://localhost').pathname);
  } catch {
    relative = null;
  }
  if (relative === null) {
    response.writeHead(400).end('bad path');
    return;
  }
  const file = join(root, relative);
  let handle: Awaited<ReturnType<OpenFile>> | undefined;
  try {
    handle = await openFile(file);
    const info = await handle.stat();
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    const isHtml = extname(file) === '.html';
    response.writeHead(200, {
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
      // Hashed assets can be cached; index.html must be fetched fresh to pick up a new build.
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=3600',
    });
    if (request.method === 'HEAD') {
      response.end();
      await handle.close();
      return;
    }
    const stream = handle.createReadStream();
    handle = undefined; // the stream closes it (autoClose)
    // A read error after the 200 went out: the response is cut short (the client sees a truncated body), and the
    // process lives on.
    pipeline(stream, response, (error) => {
      if (error) response.destroy();
    });
  } catch (error) {
    await handle?.close().catch(() => {});
    const code = (error as { code?: string }).code ?? '';
    const status = statusByCode[code] ?? 500;
    if (status === 404 && relative === 'index.html') {
      response
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' })
        .end(missingBuild);
      return;
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }
    const text = status === 404 ? 'not found' : status === 403 ? 'forbidden' : 'could not read the file';
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(text);
  }
}
