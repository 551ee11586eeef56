// The pages' CSP meta tags come from the one policy builder at build time (renderer/vite.config.ts), never from a
// copy in the HTML; and what the meta tag says agrees with the headers the desktop and web servers send.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, metaContentSecurityPolicy } from '../electron/common/content-security-policy';
import { CONTENT_SECURITY_POLICY as desktopPolicy } from '../electron/main/security-policy';
import { contentSecurityPolicy as webPolicy } from '../electron/web/static-files';
import { contentSecurityPolicyMeta, cspMetaTag } from '../renderer/vite.config';

const pages = ['index.html', 'bench.html'] as const;
const rendererDir = new URL('../renderer/', import.meta.url);

const directives = (policy: string): Record<string, string> =>
  Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

function metaPolicyOf(page: string): string {
  const tag = cspMetaTag(new URL(page, rendererDir).pathname);
  expect(tag).toMatchObject({ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy' } });
  return String(tag.attrs?.content);
}

describe('CSP meta tags', () => {
  it.each(pages)('%s carries no hand-written policy', (page) => {
    const html = readFileSync(new URL(page, rendererDir), 'utf8');
    expect(html).not.toMatch(/<meta[^>]+Content-Security-Policy/i);
  });

  it.each(pages)('%s gets the shared policy, less the directives a meta tag cannot carry', (page) => {
    const meta = directives(metaPolicyOf(page));
    const header = directives(contentSecurityPolicy());
    expect(meta['frame-ancestors']).toBeUndefined();
    expect({ ...meta, 'connect-src': '' }).toEqual({
      ...header,
      'frame-ancestors': undefined,
      'connect-src': '',
    });
    expect(meta['script-src']).toBe("'self'");
  });

  it('agrees with the desktop header and the web header except where the page connects', () => {
    const meta = directives(metaPolicyOf('index.html'));
    const desktop = directives(desktopPolicy);
    const web = directives(webPolicy(4100));
    for (const header of [desktop, web]) {
      for (const [name, value] of Object.entries(meta)) {
        if (name !== 'connect-src') expect(header[name], name).toBe(value);
      }
    }
    // The meta tag allows every loopback WebSocket port (the engine's port is chosen at run time), the web header
    // exactly the one in use; the bench page connects nowhere but itself.
    expect(meta['connect-src']).toBe("'self' ws://127.0.0.1:* ws://localhost:*");
    expect(web['connect-src']).toBe("'self' ws://127.0.0.1:4100 ws://localhost:4100");
    expect(directives(metaPolicyOf('bench.html'))['connect-src']).toBe("'self'");
  });

  it('the build plugin writes that tag into every page, before anything else in <head>', () => {
    const plugin = contentSecurityPolicyMeta();
    expect(plugin.transformIndexHtml).toMatchObject({ order: 'pre' });
    expect(cspMetaTag('/x/index.html').injectTo).toBe('head-prepend');
  });

  it('leaves header-only directives out of the meta form only', () => {
    expect(metaContentSecurityPolicy()).toBe(
      contentSecurityPolicy()
        .split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });
});
