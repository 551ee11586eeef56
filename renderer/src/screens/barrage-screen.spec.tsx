// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../testing/fake-engine';
import { workloadRow } from '../testing/fixtures';
import { renderScreen, playgroundSession } from '../testing/render-screen';
import { BarrageScreen } from './barrage-screen';

// The danmaku canvas is not this spec's subject (happy-dom has no 2D canvas); the e2e tests draw it in Chromium.
// Its stand-in shows the received count the screen gives it.
vi.mock('../barrage/danmaku-viewer', () => ({
  DanmakuViewer: ({ received }: { received?: number }) => <output aria-label="received">{received}</output>,
}));

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

  it('keeps the viewer connected and its count when the screen is left and opened again', async () => {
    const engine = fakeEngine({ 'workloads:list': () => ({ rows: [homepage('demo')] }) });
    const received = () => screen.getByLabelText('received').textContent;
    const message = (text: string) => ({ id: text, text, data: null, receivedAt: 1 });
    const first = renderScreen(<BarrageScreen />, engine);
    await waitFor(() => expect(engine.subscribers('barrage:view')).toHaveLength(1));
    act(() =>
      engine.emit('barrage:view', { type: 'messages', messages: [message('a'), message('b')], dropped: 0 }),
    );
    await waitFor(() => expect(received()).toBe('2'));
    // Off to the Monitor: the stream stays, and what arrives meanwhile is counted.
    first.unmount();
    act(() => engine.emit('barrage:view', { type: 'messages', messages: [message('c')], dropped: 0 }));
    renderScreen(<BarrageScreen />, engine);
    await waitFor(() => expect(received()).toBe('3'));
    expect(engine.subscribers('barrage:view')).toHaveLength(1);
  });
});
