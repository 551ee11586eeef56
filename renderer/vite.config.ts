// Builds the console UI. Root is renderer/; output goes to dist/renderer, which web mode serves over HTTP and
// Electron loads from file:// — hence the relative base ('./'), so asset URLs resolve next to index.html in both.
// Vite 8 transforms TSX itself (tsconfig "jsx": "react-jsx"), so no React plugin is needed.
// Paths come from import.meta.dirname (no node:path import: the renderer layer's lint rule bans Node modules,
// and this file is the only renderer file that runs in Node).
//
// `--mode bench` builds the UI benchmark page (bench.html + the synthetic engine) into dist/renderer-bench
// instead, so the shipped UI never contains benchmark code.
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';
import { metaContentSecurityPolicy } from '../electron/common/content-security-policy';

const rendererRoot = import.meta.dirname;

/**
 * Where each page may connect, for its CSP meta tag: the console reaches the engine over the same origin or a
 * WebSocket to loopback (web mode; the port is only known at run time, where the server's header names it); the
 * bench page talks to nothing.
 */
export function pageConnectSources(page: string): readonly string[] {
  return page.endsWith('bench.html') ? ["'self'"] : ["'self'", 'ws://127.0.0.1:*', 'ws://localhost:*'];
}

/** The CSP meta tag of one page, from the one policy (electron/common/content-security-policy.ts). */
export function cspMetaTag(page: string): HtmlTagDescriptor {
  return {
    tag: 'meta',
    attrs: {
      'http-equiv': 'Content-Security-Policy',
      content: metaContentSecurityPolicy(pageConnectSources(page)),
    },
    injectTo: 'head-prepend',
  };
}

/** Writes every page's CSP meta tag at build time: the HTML files carry no copy of the policy. */
export function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'knative-desk-csp-meta',
    transformIndexHtml: { order: 'pre', handler: (_html, context) => [cspMetaTag(context.filename)] },
  };
}

export default defineConfig(({ mode }) => ({
  root: rendererRoot,
  plugins: [contentSecurityPolicyMeta()],
  base: './',
  build: {
    outDir: `${rendererRoot}/../dist/${mode === 'bench' ? 'renderer-bench' : 'renderer'}`,
    emptyOutDir: true,
    sourcemap: mode !== 'bench',
    // The UI runs only in Electron's Chromium and in a current Chromium in web mode.
    target: 'chrome130',
    // One bundle is fine for a desktop app loaded from disk; the warning is about web page load time.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: `${rendererRoot}/${mode === 'bench' ? 'bench' : 'index'}.html`,
    },
  },
  server: { host: '127.0.0.1', strictPort: false },
}));
