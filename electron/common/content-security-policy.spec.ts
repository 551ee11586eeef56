import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy';

const directives = (policy: string) =>
  Object.fromEntries(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));

describe('contentSecurityPolicy', () => {
  it('allows scripts only from the app itself, never inline or eval, and no plugins, frames or forms', () => {
    const policy = directives(contentSecurityPolicy());
    expect(policy['script-src']).toBe("'self'");
    expect(policy['object-src']).toBe("'none'");
    expect(policy['frame-ancestors']).toBe("'none'");
    expect(policy['form-action']).toBe("'none'");
    expect(contentSecurityPolicy()).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });

  it('differs between desktop and web only in where the page may connect', () => {
    const desktop = directives(contentSecurityPolicy());
    const web = directives(contentSecurityPolicy(["'self'", 'ws://127.0.0.1:4100']));
    expect(desktop['connect-src']).toBe("'self'");
    expect(web['connect-src']).toBe("'self' ws://127.0.0.1:4100");
    expect({ ...web, 'connect-src': '' }).toEqual({ ...desktop, 'connect-src': '' });
  });
});
