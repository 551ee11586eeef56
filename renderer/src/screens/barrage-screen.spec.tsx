// @vitest-environment happy-dom
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../testing/fake-engine';
import { workloadRow } from '../testing/fixtures';
import { renderScreen, playgroundSession } from '../testing/render-screen';
import { BarrageScreen } from './barrage-screen';

// The danmaku canvas is not this spec's subject (happy-dom has no 2D canvas); the e2e tests draw it in Chromium.
vi.mock('../barrage/danmaku-viewer', () => ({ DanmakuViewer: () => null }));

const homepage = (namespace: string) =>
  workloadRow({
    namespace,
    name: 'barrage-homepage',
    kind: 'FC',
    url: `http://barrage-homepage.${namespace}.svc.cluster.local`,
  });
const allNamespaces = { ...playgroundSession, namespace: null };

function selectedHomePage(): string {
  const select = screen.getByLabelText('HomePage') as HTMLSelectElement;
  return select.selectedOptions[0]?.textContent ?? '';
}

describe('Barrage screen', () => {
  it('at "all namespaces" sends to the HomePage in `default`, not to one of another namespace', async () => {
    const engine = fakeEngine({
      'workloads:list': () => ({ rows: [homepage('barrage-old'), homepage('default')] }),
    });
    renderScreen(<BarrageScreen />, engine, allNamespaces);
    await waitFor(() => expect(selectedHomePage()).toContain('barrage-homepage.default.svc'));
    expect(engine.callsOf('workloads:list')[0]).toEqual({ context: 'knative-desk-playground' });
  });

  it('preselects the Service the route names, and waits for its URL rather than sending elsewhere', async () => {
    let rows = [homepage('default')];
    const engine = fakeEngine({ 'workloads:list': () => ({ rows }) });
    renderScreen(<BarrageScreen params={['team-a', 'barrage-homepage']} />, engine, allNamespaces);
    await waitFor(() =>
      expect(selectedHomePage()).toBe('barrage-homepage in team-a (default, waiting for its URL)'),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(screen.getByText('Choose or type the HomePage URL above.')).toBeTruthy();
    rows = [homepage('default'), homepage('team-a')];
    // The screen looks again every 3 s while it waits.
    await waitFor(() => expect(selectedHomePage()).toContain('barrage-homepage.team-a.svc'), {
      timeout: 5000,
    });
  });
});
