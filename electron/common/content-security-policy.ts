// The one Content-Security-Policy of the console's pages, for both ways they are served: the desktop app's app://
// handler (electron/main/security-policy.ts) and web mode's static server (electron/web/static-files.ts). They differ
// only in where the page may connect: the desktop page reaches the engine through the preload (connect-src 'self'),
// the web page through a WebSocket to 127.0.0.1. The pages' own meta tags (renderer/index.html, bench.html) are
// written from here at build time by renderer/vite.config.ts, so no copy of the policy is kept by hand.

export function contentSecurityPolicy(connectSrc: readonly string[] = ["'self'"]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Deviation: inline styles are allowed because React's style={…} props and the chart library set them; inline
    // *scripts* stay forbidden, which is what protects against injected code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src ${connectSrc.join(' ')}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Directives a browser ignores (and warns about) when the policy comes in a <meta> tag rather than a header. */
const headerOnlyDirectives = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The same policy as a <meta http-equiv> tag can carry it: header-only directives left out (headers add them). */
export function metaContentSecurityPolicy(connectSrc?: readonly string[]): string {
  return contentSecurityPolicy(connectSrc)
    .split('; ')
    .filter((directive) => !headerOnlyDirectives.includes(directive.split(' ')[0] ?? ''))
    .join('; ');
}
