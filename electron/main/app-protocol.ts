// Serves the built renderer from `app://desk/…` instead of file:// (Electron security checklist: "Avoid usage of
// the file:// protocol"): file:// pages may read any local file; this handler only answers files inside
// dist/renderer (resolveAppRequest, with unit specs), and it adds the Content-Security-Policy header to every
// response.
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, resolveAppRequest } from './security-policy';

export { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security-policy';

/** Must run before app `ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveRenderer(root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const target = resolveAppRequest(root, request.url);
    if ('status' in target) {
      return new Response(target.status === 403 ? 'forbidden' : 'not found', { status: target.status });
    }
    const response = await net.fetch(pathToFileURL(target.file).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
