// App-wide guards from the Electron security checklist, applied to every web contents the app ever creates:
// no navigation away from the app, no new windows (http(s) links go to the system browser instead), no <webview>,
// no permission grants (camera, notifications, …: the console needs none). The decisions live in
// security-policy.ts (with unit specs); this file only wires them into Electron.
import { app, session, shell } from 'electron';
import { isSafeExternalUrl } from '../common/url-safety';
import { guardContents, permissionHandlers } from './security-policy';

export function openExternally(url: string): boolean {
  if (!isSafeExternalUrl(url)) return false;
  void shell.openExternal(url);
  return true;
}

export function applyHardening(): void {
  // Every renderer sandboxed, whatever a window's own options say.
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => guardContents(contents, openExternally));
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler(permissionHandlers.request);
    session.defaultSession.setPermissionCheckHandler(permissionHandlers.check);
  });
}
