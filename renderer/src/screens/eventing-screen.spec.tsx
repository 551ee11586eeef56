// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { engineFailure, fakeEngine, never, type OperationHandlers } from '../testing/fake-engine';
import { kafkaSourceInfo } from '../testing/fixtures';
import { playgroundSession, renderScreen } from '../testing/render-screen';
import { EventingScreen } from './eventing-screen';

const session = { ...playgroundSession, kafkaProfileId: 'kafka-1' };
const topic = 'barrage-info.demo';
const group = 'barrage-processing.demo';

function setup(handlers: OperationHandlers) {
  const engine = fakeEngine({
    'kafka:topics': () => ({ topics: [{ name: topic, partitions: 2 }] }),
    'kafka:topic': () => ({ topic, partitions: [] }),
    'kafka:browse': () => ({ records: [], nextOffset: '0', endOffset: '0', scanned: 0, stoppedBy: 'end' }),
    ...handlers,
  });
  renderScreen(<EventingScreen />, engine, session);
  return engine;
}

describe('Eventing screen', () => {
  it('without a Kafka profile asks for one and reads nothing', () => {
    const engine = fakeEngine();
    renderScreen(<EventingScreen />, engine, playgroundSession);
    expect(screen.getByText('Choose a context and a Kafka profile')).toBeTruthy();
    expect(engine.calls).toEqual([]);
  });

  it('with Connect at all namespaces (its default) follows `default` and the namespace chosen in its header', async () => {
    const engine = fakeEngine({
      'kafka:topics': () => ({ topics: [] }),
      'workloads:kafkaSources': () => ({ sources: [] }),
      'clusters:namespaces': () => ({
        namespaces: [
          { name: 'default', phase: 'Active', createdAt: null },
          { name: 'team-a', phase: 'Active', createdAt: null },
        ],
      }),
    });
    renderScreen(<EventingScreen />, engine, { ...session, namespace: null });
    expect(engine.callsOf('workloads:kafkaSources')).toEqual([
      { context: session.context, namespace: 'default' },
    ]);
    const select = await screen.findByLabelText<HTMLSelectElement>('Namespace');
    await waitFor(() => expect([...select.options].map((o) => o.value)).toEqual(['default', 'team-a']));
    act(() => {
      select.value = 'team-a';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await waitFor(() =>
      expect(engine.callsOf('workloads:kafkaSources')).toContainEqual({
        context: session.context,
        namespace: 'team-a',
      }),
    );
    expect(screen.getByText(/KafkaSources in team-a/)).toBeTruthy();
  });

  it('with a namespace chosen on Connect offers no namespace choice', async () => {
    setup({ 'workloads:kafkaSources': () => ({ sources: [] }) });
    expect(await screen.findByText('No KafkaSources in this namespace')).toBeTruthy();
    expect(screen.queryByLabelText('Namespace')).toBeNull();
  });

  it('reads the namespace’s KafkaSources, saying so while it does', () => {
    const engine = setup({ 'workloads:kafkaSources': () => never() });
    expect(screen.getByText('Reading KafkaSources…')).toBeTruthy();
    expect(engine.callsOf('workloads:kafkaSources')).toEqual([
      { context: session.context, namespace: 'demo' },
    ]);
  });

  it('says how to get a KafkaSource when there is none, and watches no lag', async () => {
    const engine = setup({ 'workloads:kafkaSources': () => ({ sources: [] }) });
    expect(await screen.findByText('No KafkaSources in this namespace')).toBeTruthy();
    expect(engine.subscribers('kafka:watchLag')).toHaveLength(0);
  });

  it('shows why the KafkaSources could not be read', async () => {
    setup({
      'workloads:kafkaSources': () => {
        throw engineFailure('forbidden', 'kafkasources.sources.knative.dev is forbidden');
      },
    });
    expect(await screen.findByText('KafkaSources unavailable')).toBeTruthy();
    expect(screen.getByText(/is forbidden/)).toBeTruthy();
  });

  it('watches the first source’s lag in seconds and shows the verdict; a failed watch says so', async () => {
    const engine = setup({ 'workloads:kafkaSources': () => ({ sources: [kafkaSourceInfo()] }) });
    await waitFor(() => expect(engine.subscribers('kafka:watchLag')).toHaveLength(1));
    expect(engine.subscribers('kafka:watchLag')[0]?.params).toEqual({
      profileId: 'kafka-1',
      topic,
      groupId: group,
      intervalMs: 1000,
      windowSeconds: 60,
      seconds: true,
    });
    expect(screen.getByText('Reading offsets and record timestamps…')).toBeTruthy();
    act(() =>
      engine.emit('kafka:watchLag', {
        samples: [{ at: 2000, totalLag: '5', produceRate: 1, consumeRate: 1, totalLagSeconds: 3 }],
        latest: { at: 2000, groupId: group, topic, partitions: [], totalLag: '5', totalLagSeconds: 3 },
        trend: 'steady',
        catchUpSeconds: null,
        verdict: { status: 'STALL', reason: 'the group commits nothing while lag grows', partitions: [] },
      }),
    );
    expect(await screen.findByText(/commits nothing while lag grows/)).toBeTruthy();
    act(() => engine.failStream('kafka:watchLag', 'unreachable', 'broker 127.0.0.1:9092 is down'));
    expect(screen.getByText('Lag unavailable')).toBeTruthy();
  });

  it('browses a partition from the end with the contract’s record limit, refusing one above it locally', async () => {
    const engine = setup({ 'workloads:kafkaSources': () => ({ sources: [kafkaSourceInfo()] }) });
    const browser = await screen.findByTestId('messages-browser');
    const limit = browser.querySelector<HTMLInputElement>('[data-field="browse-limit"]') as HTMLInputElement;
    fireEvent.change(limit, { target: { value: '501' } });
    fireEvent.submit(browser.querySelector('form') as HTMLFormElement);
    expect(await screen.findByText('Show between 1 and 500 records.')).toBeTruthy();
    expect(engine.callsOf('kafka:browse')).toHaveLength(0);
    fireEvent.change(limit, { target: { value: '20' } });
    fireEvent.submit(browser.querySelector('form') as HTMLFormElement);
    await waitFor(() => expect(engine.callsOf('kafka:browse')).toHaveLength(1));
    expect(engine.callsOf('kafka:browse')[0]).toMatchObject({
      profileId: 'kafka-1',
      topic,
      partition: 0,
      from: { kind: 'end' },
      limit: 20,
    });
  });
});
