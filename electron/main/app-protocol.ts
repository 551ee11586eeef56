// Serves the built renderer from `app://desk/…` instead of file:// (Electron security checklist: "Avoid usage of
// the file:// protocol"): file:// pages may read any local file; this handler only answers files inside
// dist/renderer, and it adds the Content-Security-Policy header to every response.
import { net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://desk`;

/** Same policy as renderer/index.html, but no WebSocket: the desktop app reaches the engine through the preload. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Deviation: inline styles are allowed because React's style={…} props and the chart library set them; inline
  // *scripts* stay forbidden, which is what protects against injected code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'desk') return new Response('not found', { status: 404 });
    const relative = normalize(
      decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname),
    ).replace(/^([/\\])+/, '');
    const file = join(root, relative);
    if (!file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const response = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
