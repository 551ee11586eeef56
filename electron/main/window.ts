// The one window factory: every window the app opens is made here with the hardened preferences
// (security-policy.ts has them, with unit specs).
import { BrowserWindow } from 'electron';
import { APP_ORIGIN, mainWindowOptions } from './security-policy';

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}
