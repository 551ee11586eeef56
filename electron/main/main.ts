// The Electron main process: a thin shell. It hardens the app, serves the built renderer on app://, starts the
// engine in a utility process and hands each window a MessagePort to it. No contract handler runs here.
import { app, BrowserWindow } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { EngineProcess } from './engine-process';
import { applyHardening } from './hardening';
import { createMainWindow } from './window';

// Built layout: dist/electron/{main.js, preload.cjs, engine.js} beside dist/renderer.
const here = import.meta.dirname;
const rendererRoot = join(here, '..', 'renderer');
const version = (
  JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }
).version;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  applyHardening();
  const engine = new EngineProcess(join(here, 'engine.js'), version);

  const open = () => {
    const window = createMainWindow(join(here, 'preload.cjs'));
    engine.connect(window);
    return window;
  };

  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (window) {
      if (window.isMinimized()) window.restore();
      window.focus();
    }
  });

  void app.whenReady().then(async () => {
    serveRenderer(rendererRoot);
    // The engine is told the secret storage kind at start, so it waits for safeStorage's async readiness.
    await engine.start();
    open();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) open();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => engine.stop());
}
