// Entry point: mounts the console into #root with the engine client (Electron preload or web-mode WebSocket,
// chosen by renderer/src/api) and the user's session.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './app/app';
import { SessionProvider } from './app/session';
import { EngineProvider } from './engine/engine-context';
import { engineFromApi } from './engine/engine-client';
import './styles/app.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

const engine = engineFromApi(api);

createRoot(rootElement).render(
  <StrictMode>
    <EngineProvider client={engine}>
      <SessionProvider>
        <App />
      </SessionProvider>
    </EngineProvider>
  </StrictMode>,
);
