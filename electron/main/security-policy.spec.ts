// The main process's security settings, without Electron: window options, navigation / window-open guards (through
// a fake web contents), permission handlers, app:// path containment and the CSP.
import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY,
  guardContents,
  mainWindowOptions,
  navigationDecision,
  permissionHandlers,
  resolveAppRequest,
  windowOpenDecision,
  type GuardedContents,
} from './security-policy';

function fakeContents() {
  const listeners = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | undefined;
  const contents: GuardedContents = {
    on: (event: string, listener: (event: { preventDefault(): void }, url?: string) => void) => {
      listeners.set(event, listener);
      return contents;
    },
    setWindowOpenHandler: (handler) => {
      openHandler = handler;
    },
  } as GuardedContents;
  const fire = (event: string, url?: string) => {
    let prevented = false;
    listeners.get(event)?.({ preventDefault: () => (prevented = true) }, url);
    return prevented;
  };
  return { contents, fire, open: (url: string) => openHandler?.({ url }) };
}

describe('main-process security settings', () => {
  it('window: isolated, sandboxed, no Node anywhere, web security on, no webview or drag-navigation', () => {
    const { webPreferences } = mainWindowOptions('/app/preload.js');
    expect(webPreferences?.preload).toBe('/app/preload.js');
    // Named here on their own, not read from the module: the spec is the second statement of the policy.
    const on = ['contextIsolation', 'sandbox', 'webSecurity'] as const;
    const off = [
      ...['nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames'],
      ...['allowRunningInsecureContent', 'experimentalFeatures', 'webviewTag', 'navigateOnDragDrop'],
    ] as const;
    for (const key of on) expect(webPreferences?.[key], key).toBe(true);
    for (const key of off) expect(webPreferences?.[key], key).toBe(false);
  });

  it('navigation stays in the app; http(s) goes to the browser; other schemes go nowhere', () => {
    expect(navigationDecision('app://desk/index.html#/deploy')).toEqual({
      allow: true,
      openExternally: false,
    });
    expect(navigationDecision('https://knative.dev/docs')).toEqual({ allow: false, openExternally: true });
    expect(navigationDecision('file:///etc/passwd')).toEqual({ allow: false, openExternally: false });
    expect(navigationDecision('app://other/x')).toEqual({ allow: false, openExternally: false });
    expect(navigationDecision('javascript:alert(1)')).toEqual({ allow: false, openExternally: false });
  });

  it('guards a web contents: navigation, redirects, window.open and webviews', () => {
    const opened: string[] = [];
    const { contents, fire, open } = fakeContents();
    guardContents(contents, (url) => opened.push(url));
    expect(fire('will-navigate', 'app://desk/index.html')).toBe(false);
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'smb://host/share')).toBe(true);
    expect(fire('will-redirect', 'https://example.com/')).toBe(true);
    expect(fire('will-attach-webview')).toBe(true);
    expect(open('https://github.com/knative')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.com/', 'https://github.com/knative']);
    expect(windowOpenDecision('ms-msdt:whatever')).toEqual({ action: 'deny', openExternally: false });
  });

  it('refuses every permission request and check', () => {
    let granted: boolean | undefined;
    permissionHandlers.request({}, 'media', (value) => (granted = value));
    expect(granted).toBe(false);
    expect(permissionHandlers.check()).toBe(false);
  });

  it('serves app:// only from inside the renderer folder', () => {
    const root = '/opt/knd/dist/renderer';
    expect(resolveAppRequest(root, 'app://desk/')).toEqual({ file: `${root}/index.html` });
    expect(resolveAppRequest(root, 'app://desk/assets/a.js')).toEqual({ file: `${root}/assets/a.js` });
    // Every way up stays inside the root (or is refused); none reaches /etc.
    for (const hostile of [
      'app://desk/../../etc/passwd',
      'app://desk/%2e%2e/%2e%2e/etc/passwd',
      'app://desk/..%2f..%2f..%2fetc%2fpasswd',
      'app://desk/a/..%2F..%2F..%2F..%2Fetc/passwd',
    ]) {
      const target = resolveAppRequest(root, hostile);
      if ('file' in target) expect(target.file.startsWith(`${root}/`), hostile).toBe(true);
    }
    expect(resolveAppRequest(root, 'app://desk/%E0%A4%A')).toEqual({ status: 404 });
    expect(resolveAppRequest(root, 'app://desk/a%00.js')).toEqual({ status: 404 });
    expect(resolveAppRequest(root, 'app://evil/index.html')).toEqual({ status: 404 });
  });

  it('CSP: only own scripts, no plugins, no framing, no base or form targets', () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]),
    );
    expect(directives['script-src']).toBe("'self'");
    expect(directives['default-src']).toBe("'self'");
    expect(directives['object-src']).toBe("'none'");
    expect(directives['frame-ancestors']).toBe("'none'");
    expect(directives['base-uri']).toBe("'none'");
    expect(directives['form-action']).toBe("'none'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });
});
