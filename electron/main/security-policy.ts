// The main process's security settings as plain data and pure decisions, behind thin interfaces, so each has a unit
// spec without Electron: the window's webPreferences, navigation / redirect / window-open guards, the permission
// handlers, the app:// path containment and the CSP. hardening.ts, window.ts and app-protocol.ts only wire these
// into Electron. Imports types from Electron, never its runtime.
import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../common/content-security-policy';
import { servedRelativePath } from '../common/served-path';
import { isSafeExternalUrl } from '../common/url-safety';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://desk`;

/** The console's policy (electron/common), with no WebSocket: the desktop app reaches the engine through the preload. */
export const CONTENT_SECURITY_POLICY = contentSecurityPolicy(["'self'"]);

/** Options of every window the app opens (Electron security checklist). */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    show: false,
    title: 'Knative Desk',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
    },
  };
}

/**
 * Whether a URL is the app's own. Not by `origin`: in the main process `URL` is Node's, for which a custom scheme's
 * origin is the opaque "null" (only Chromium knows `app` is registered as standard), so compare scheme and host.
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'desk';
  } catch {
    return false;
  }
}

/** What happens to a navigation: stay in the app, or be stopped (and, for a safe http(s) link, opened outside). */
export function navigationDecision(url: string): { allow: boolean; openExternally: boolean } {
  if (isAppUrl(url)) return { allow: true, openExternally: false };
  return { allow: false, openExternally: isSafeExternalUrl(url) };
}

/** Windows are never opened; a safe http(s) link goes to the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: isSafeExternalUrl(url) };
}

/** The console needs no permission (camera, notifications, …): every request and check is refused. */
export const permissionHandlers = {
  request: (_contents: unknown, _permission: string, callback: (granted: boolean) => void): void =>
    callback(false),
  check: (): boolean => false,
};

/** The slice of WebContents the guards need. */
export interface GuardedContents {
  on(
    event: 'will-navigate' | 'will-redirect',
    listener: (event: { preventDefault(): void }, url: string) => void,
  ): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** Installs the navigation, redirect, window-open and webview guards on one web contents. */
export function guardContents(contents: GuardedContents, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    const decision = navigationDecision(url);
    if (decision.allow) return;
    event.preventDefault();
    if (decision.openExternally) openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) openExternal(url);
    return { action: decision.action };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** The file an app:// request may read: only inside `root`, only on host `desk`; otherwise the status to answer. */
export function resolveAppRequest(
  root: string,
  requestUrl: string,
): { file: string } | { status: 403 | 404 } {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 404 };
  }
  if (url.host !== 'desk') return { status: 404 };
  const relative = servedRelativePath(url.pathname);
  if (relative === null) return { status: 404 };
  if (relative === '') return { status: 403 };
  return { file: join(root, relative) };
}
