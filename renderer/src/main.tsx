// Entry point: mounts the console into #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <p>knative-desk is starting…</p>
  </StrictMode>,
);
