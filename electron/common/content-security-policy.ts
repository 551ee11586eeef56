// The one Content-Security-Policy of the console's pages, for both ways they are served: the desktop app's app://
// handler (electron/main/security-policy.ts) and web mode's static server (electron/web/static-files.ts). They differ
// only in where the page may connect: the desktop page reaches the engine through the preload (connect-src 'self'),
// the web page through a WebSocket to 127.0.0.1. renderer/index.html carries the same policy as a meta tag.

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
