// @vitest-environment happy-dom
import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeEngine } from '../testing/fake-engine';
import { workloadRow } from '../testing/fixtures';
import { renderScreen } from '../testing/render-screen';
import { WorkloadsScreen } from './workloads-screen';

function setup() {
  const engine = fakeEngine({
    'manage:knative': () => ({ serving: true, missing: [], message: null }),
  });
  const navigate = vi.fn();
  renderScreen(<WorkloadsScreen params={[]} navigate={navigate} />, engine);
  return { engine, navigate };
}

describe('Workloads screen', () => {
  it('watches the chosen namespace and shows a loading state until the first snapshot', () => {
    const { engine } = setup();
    expect(engine.subscribers('workloads:watch')).toEqual([
      { params: { context: 'knative-desk-playground', namespace: 'demo' } },
    ]);
    expect(screen.getByText('Listing Knative Services…')).toBeTruthy();
  });

  it('says what to do when the namespace has no Service', () => {
    const { engine } = setup();
    act(() => engine.emit('workloads:watch', { type: 'snapshot', rows: [] }));
    expect(screen.getByText('No Knative Services here yet')).toBeTruthy();
  });

  it('lists rows from the snapshot, applies upserts and deletes, and filters by kind', () => {
    const { engine, navigate } = setup();
    act(() =>
      engine.emit('workloads:watch', {
        type: 'snapshot',
        rows: [workloadRow({ name: 'processing' }), workloadRow({ name: 'homepage', kind: 'FC' })],
      }),
    );
    expect(screen.getByTestId('filter-FC').textContent).toBe('FC (1)');
    act(() => engine.emit('workloads:watch', { type: 'upsert', row: workloadRow({ name: 'extra' }) }));
    act(() => engine.emit('workloads:watch', { type: 'delete', namespace: 'demo', name: 'processing' }));
    const table = screen.getByTestId('workloads-table');
    expect(table.textContent).toContain('extra');
    expect(table.textContent).not.toContain('processing');
    fireEvent.click(screen.getByTestId('filter-FC'));
    expect(screen.getByTestId('workloads-table').textContent).not.toContain('extra');
    fireEvent.click(screen.getByText('homepage'));
    expect(navigate).toHaveBeenCalledWith({ screen: 'workloads', params: ['demo', 'homepage'] });
  });

  it('shows a failed watch with the engine’s message, and Retry watches again', () => {
    const { engine } = setup();
    act(() => engine.failStream('workloads:watch', 'forbidden', 'services.serving.knative.dev is forbidden'));
    expect(screen.getByText('Could not watch Knative Services')).toBeTruthy();
    expect(screen.getByText(/is forbidden/)).toBeTruthy();
    expect(engine.subscribers('workloads:watch')).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(engine.subscribers('workloads:watch')).toHaveLength(1);
  });

  it('without a context it asks for one and opens no watch', () => {
    const engine = fakeEngine();
    renderScreen(<WorkloadsScreen params={[]} navigate={vi.fn()} />, engine, { context: null });
    expect(screen.getByText('Not connected')).toBeTruthy();
    expect(engine.subscribers('workloads:watch')).toHaveLength(0);
  });
});
