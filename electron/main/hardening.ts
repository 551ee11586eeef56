// App-wide guards from the Electron security checklist, applied to every web contents the app ever creates:
// no navigation away from the app, no new windows (http(s) links go to the system browser instead), no <webview>,
// no permission grants (camera, notifications, …: the console needs none).
import { app, session, shell } from 'electron';
import type { WebContents } from 'electron';
import { isSafeExternalUrl } from '../common/url-safety';
import { APP_ORIGIN } from './app-protocol';

function isAppUrl(url: string): boolean {
  try {
    return new URL(url).origin === APP_ORIGIN;
  } catch {
    return false;
  }
}

export function openExternally(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void shell.openExternal(url);
  return true;
}

function harden(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) {
      event.preventDefault();
      openExternally(url);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function applyHardening(): void {
  // Every renderer sandboxed, whatever a window's own options say.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
