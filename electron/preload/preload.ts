// The preload: exposes `window.knativeDesk`, the facade built from the contract (one function per operation and
// per stream), and nothing else. It talks to the engine over the MessagePort the main process hands it; no
// ipcRenderer, no event objects and no generic send ever reach the page.
// Runs sandboxed (sandbox: true), so it is bundled into one CommonJS file with its dependencies (zod, the contract).
import { contextBridge, ipcRenderer } from 'electron';
import { contract, isContractName } from '../common/contract';
import { buildFacade } from '../common/facade-builder';
import { FACADE_GLOBAL } from '../common/facade';
import { PortClient } from '../common/port-client';
import { ENGINE_PORT_CHANNEL } from '../common/ipc-channels';

// Open-ended streams (watches, live series, the viewer, app:engine) outlive an engine restart: the shell restarts
// a dead engine and sends a new port, and they are re-subscribed on it. Calls in flight and finite streams fail.
const client = new PortClient({
  keep: (name) => isContractName(name) && contract[name].kind === 'stream' && !contract[name].finite,
});

let current: MessagePort | undefined;
ipcRenderer.on(ENGINE_PORT_CHANNEL, (event) => {
  const [port] = event.ports;
  if (!port) return;
  current = port;
  port.onmessage = (message) => client.receive(message.data);
  // Electron fires 'close' on a MessagePort when the other end (the engine process) goes away. Only the current
  // port counts: a restarted engine's port may arrive before the dead one's close.
  port.addEventListener('close', () => {
    if (port !== current) return;
    client.disconnect('The engine stopped unexpectedly; it is being restarted. Try again in a moment.');
  });
  port.start();
  client.connect((message) => port.postMessage(message));
});

contextBridge.exposeInMainWorld(FACADE_GLOBAL, buildFacade(client));
