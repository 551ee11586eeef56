// Entry point: mounts the console into #root with the engine client (over the Electron preload or the web mode's
// WebSocket, chosen by engine/window-transport.ts) and the user's session.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { SessionProvider } from './app/session';
import { EngineProvider } from './engine/engine-context';
import { createEngineClient } from './engine/engine-client';
import { windowTransport } from './engine/window-transport';
import './styles/app.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

const engine = createEngineClient(windowTransport());

createRoot(rootElement).render(
  <StrictMode>
    <EngineProvider client={engine}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </EngineProvider>
  </StrictMode>,
);
