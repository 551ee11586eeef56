// The preload: exposes `window.knativeDesk`, the facade built from the contract (one function per operation and
// per stream), and nothing else. It talks to the engine over the MessagePort the main process hands it; no
// ipcRenderer, no event objects and no generic send ever reach the page.
// Runs sandboxed (sandbox: true), so it is bundled into one CommonJS file with its dependencies (zod, the contract).
import { contextBridge, ipcRenderer } from 'electron';
import { buildFacade } from '../common/facade-builder';
import { FACADE_GLOBAL } from '../common/facade';
import { PortClient } from '../common/port-client';
import { ENGINE_PORT_CHANNEL } from '../common/ipc-channels';

const client = new PortClient();

ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  if (!port) return;
  port.onmessage = (message) => client.receive(message.data);
  // Electron fires 'close' on a MessagePort when the other end (the engine process) goes away.
  port.addEventListener('close', () => client.disconnect('The engine stopped; restart the app.'));
  port.start();
  client.connect((message) => port.postMessage(message));
});

contextBridge.exposeInMainWorld(FACADE_GLOBAL, buildFacade(client));
