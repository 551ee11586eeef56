// Renders a screen the way the app does (engine and session providers) against a fake engine made from the
// contract (fake-engine.ts), for component specs running in happy-dom. The session is what the Connect screen
// would have stored in localStorage.
// Why @testing-library/react + happy-dom: Testing Library queries what a user sees (text, roles, labels) rather than
// component internals, and is the React team's recommended way to test components; happy-dom is a DOM for Node that
// starts several times faster than jsdom and covers what these screens use (forms, localStorage, ResizeObserver,
// requestAnimationFrame), which matters on a 2-core CI machine. A spec opts in with `// @vitest-environment happy-dom`.
import { act, cleanup, render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { afterEach } from 'vitest';
import { SessionProvider, type Session } from '../app/session';
import { EngineProvider } from '../engine/engine-context';
import type { FakeEngine } from './fake-engine';

afterEach(() => {
  cleanup();
  window.localStorage.clear();
});

export const playgroundSession: Session = {
  context: 'knative-desk-playground',
  namespace: 'demo',
  access: 'read-write',
  fcProfileId: null,
  kafkaProfileId: null,
};

export function renderScreen(
  screen: ReactElement,
  engine: FakeEngine,
  session: Partial<Session> = playgroundSession,
): RenderResult {
  window.localStorage.setItem('knative-desk.session', JSON.stringify(session));
  return render(
    <EngineProvider client={engine}>
      <SessionProvider>{screen}</SessionProvider>
    </EngineProvider>,
  );
}

/** Lets the screen's coalesced per-frame render run (streams are applied on the next animation frame). */
export async function nextFrame(): Promise<void> {
  await act(async () => {
    await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
  });
}
