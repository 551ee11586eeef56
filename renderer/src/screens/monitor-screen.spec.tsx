// @vitest-environment happy-dom
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeEngine } from '../testing/fake-engine';
import { kafkaSourceInfo } from '../testing/fixtures';
import { nextFrame, playgroundSession, renderScreen } from '../testing/render-screen';
import { MonitorScreen } from './monitor-screen';
import { podPoint as point } from '../../../test/support/pod-points';

function setup(kafkaProfileId: string | null = null) {
  const engine = fakeEngine({
    'workloads:kafkaSources': () => ({ sources: [kafkaSourceInfo()] }),
  });
  renderScreen(<MonitorScreen />, engine, { ...playgroundSession, kafkaProfileId });
  return engine;
}

describe('Monitor screen', () => {
  it('without a context asks for one and opens no stream', () => {
    const engine = fakeEngine();
    renderScreen(<MonitorScreen />, engine, { ...playgroundSession, context: null, namespace: null });
    expect(screen.getByText('Choose a context and a namespace')).toBeTruthy();
    expect(engine.subscribers('live:pods')).toHaveLength(0);
  });

  it('with Connect at all namespaces follows `default` and switches to the namespace chosen in its toolbar', async () => {
    const engine = fakeEngine({
      'workloads:kafkaSources': () => ({ sources: [] }),
      'clusters:namespaces': () => ({
        namespaces: [
          { name: 'default', phase: 'Active', createdAt: null },
          { name: 'team-a', phase: 'Active', createdAt: null },
        ],
      }),
    });
    renderScreen(<MonitorScreen />, engine, { ...playgroundSession, namespace: null });
    expect(engine.subscribers('live:pods')).toEqual([
      { params: { context: 'knative-desk-playground', namespace: 'default', capacity: 600, sampleMs: 1000 } },
    ]);
    const select = await screen.findByLabelText<HTMLSelectElement>('Namespace');
    await waitFor(() => expect([...select.options].map((o) => o.value)).toEqual(['default', 'team-a']));
    act(() => {
      select.value = 'team-a';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitFor(() =>
      expect(engine.subscribers('live:pods')).toEqual([
        {
          params: { context: 'knative-desk-playground', namespace: 'team-a', capacity: 600, sampleMs: 1000 },
        },
      ]),
    );
    expect(screen.getByText(/Services in team-a/)).toBeTruthy();
  });

  it('with a namespace chosen on Connect offers no namespace choice', () => {
    setup();
    expect(screen.queryByLabelText('Namespace')).toBeNull();
  });

  it('follows the namespace’s pods; before any arrive the pods table says there is nothing yet', () => {
    const engine = setup();
    expect(engine.subscribers('live:pods')).toEqual([
      { params: { context: 'knative-desk-playground', namespace: 'demo', capacity: 600, sampleMs: 1000 } },
    ]);
    expect(screen.getByText('No Knative Service in this namespace yet')).toBeTruthy();
    expect(screen.getAllByTestId(/^chart-/).map((chart) => chart.dataset.testid)).toEqual([
      'chart-load',
      'chart-latency',
      'chart-pods',
      'chart-lag',
      'chart-rates',
    ]);
  });

  it('shows pod counts per Service with their peak, and charts the processing Service', async () => {
    const engine = setup();
    act(() =>
      engine.emit('live:pods', {
        series: [
          {
            namespace: 'demo',
            service: 'barrage-processing',
            workload: 'pods',
            points: [point(1000, 4), point(2000, 2)],
          },
          { namespace: 'demo', service: 'homepage', workload: 'fc-instances', points: [point(2000, 1)] },
        ],
      }),
    );
    await nextFrame();
    expect(screen.getByTestId('ready-barrage-processing').textContent).toBe('2');
    expect(screen.getByTestId('peak-barrage-processing').textContent).toBe('4');
    expect(screen.getByTestId('pods-now').textContent).toContain('FC instances');
    expect(screen.getByText('Pods — barrage-processing')).toBeTruthy();
  });

  it('says when pod counts are unavailable', () => {
    const engine = setup();
    act(() => engine.failStream('live:pods', 'unreachable', 'connect ECONNREFUSED 127.0.0.1:6443'));
    expect(screen.getByText('Pod counts unavailable')).toBeTruthy();
    expect(screen.getByText(/ECONNREFUSED/)).toBeTruthy();
  });

  it('without a Kafka profile it asks for one and watches no lag', async () => {
    const without = setup();
    await waitFor(() => expect(without.callsOf('workloads:kafkaSources')).toHaveLength(1));
    expect(await screen.findByText(/Choose a Kafka profile/)).toBeTruthy();
    expect(without.subscribers('kafka:watchLag')).toHaveLength(0);
  });

  it('with a Kafka profile it watches the lag of the KafkaSource’s topic and group', async () => {
    const engine = setup('kafka-profile-1');
    await waitFor(() => expect(engine.subscribers('kafka:watchLag')).toHaveLength(1));
    expect(engine.subscribers('kafka:watchLag')[0]?.params).toMatchObject({
      profileId: 'kafka-profile-1',
      topic: 'barrage-info.demo',
      groupId: 'barrage-processing.demo',
    });
  });
});
