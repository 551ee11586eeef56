// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../electron/common/contract';
import { engineFailure, fakeEngine, never } from '../testing/fake-engine';
import { templateInfo } from '../testing/fixtures';
import { playgroundSession, renderScreen } from '../testing/render-screen';
import { DeployScreen, orderTemplates } from './deploy-screen';

const templates = [
  templateInfo('processing', 'Processing'),
  templateInfo('homepage', 'HomePage', 'FC'),
  templateInfo('source', 'KafkaSource', 'Eventing'),
];

/** The engine's answers every Deploy spec needs, plus `more`. */
function deployEngine(more: Parameters<typeof fakeEngine>[0] = {}) {
  return fakeEngine({
    'deploy:templates': () => ({ templates }),
    'deploy:namespace': () => ({ exists: true, canCreate: true }),
    ...more,
  });
}

function setup(answer: () => Promise<ResponseOf<'deploy:templates'>> | ResponseOf<'deploy:templates'>) {
  const engine = fakeEngine({
    'deploy:templates': answer,
    'deploy:namespace': () => ({ exists: true, canCreate: true }),
  });
  renderScreen(<DeployScreen />, engine);
  return engine;
}

describe('Deploy screen', () => {
  it('asks for the templates of the chosen context and namespace, loading until they come', () => {
    const engine = setup(() => never());
    expect(screen.getByText('Loading templates…')).toBeTruthy();
    expect(engine.callsOf('deploy:templates')).toEqual([
      { context: 'knative-desk-playground', namespace: 'demo' },
    ]);
  });

  it('says so when the engine offers no template', async () => {
    setup(() => ({ templates: [] }));
    expect(await screen.findByText('The engine offers no templates')).toBeTruthy();
  });

  it('shows why the templates could not be loaded and retries', async () => {
    let fail = true;
    const engine = setup(() => {
      if (fail) throw engineFailure('unreachable', 'the engine is not answering');
      return { templates };
    });
    expect(await screen.findByText('Could not load templates')).toBeTruthy();
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(await screen.findByTestId('deploy-all')).toBeTruthy();
    expect(engine.callsOf('deploy:templates')).toHaveLength(2);
  });

  it('lists the parts in dependency order and Deploy all applies the first with the form’s values', async () => {
    const engine = setup(() => ({ templates }));
    const button = await screen.findByTestId('deploy-all');
    expect(button.textContent).toBe('Deploy all 3 parts');
    fireEvent.click(button);
    await waitFor(() => expect(engine.subscribers('deploy:apply')).toHaveLength(1));
    const first = engine.subscribers('deploy:apply')[0]?.params as { templateId: string; parameters: object };
    expect(first.templateId).toBe(orderTemplates(templates)[0]?.id);
    expect(first).toMatchObject({ context: 'knative-desk-playground', namespace: 'demo' });
    expect(first.parameters).toEqual({
      [`${first.templateId}Name`]: first.templateId,
      [`${first.templateId}MaxScale`]: 10,
    });
    act(() =>
      engine.emit('deploy:apply', {
        type: 'done',
        ok: false,
        error: { code: 'forbidden', message: 'no', details: {} },
      }),
    );
    expect(await screen.findByTestId('deploy-all-error')).toBeTruthy();
  });

  it('refuses Deploy all while a field is invalid, naming the part, and sends nothing', async () => {
    const engine = setup(() => ({ templates }));
    await screen.findByTestId('deploy-all');
    const maxScale = document.querySelector<HTMLInputElement>('[data-field$="MaxScale"]');
    expect(maxScale).not.toBeNull();
    fireEvent.change(maxScale as HTMLInputElement, { target: { value: '1000' } });
    fireEvent.click(screen.getByTestId('deploy-all'));
    expect(screen.getByTestId('deploy-all-invalid').textContent).toMatch(/has fields that need attention/);
    expect(engine.subscribers('deploy:apply')).toHaveLength(0);
  });

  it('a Kafka profile chosen for the defaults goes with the templates request and every apply', async () => {
    const engine = deployEngine({
      'kafka:profiles': () => ({
        profiles: [
          {
            id: 'kafka-prod',
            name: 'prod',
            brokers: ['b-1.example.com:9093'],
            ssl: true,
            sasl: { mechanism: 'plain', username: 'app' },
            hasPassword: true,
            origin: 'user',
          },
        ],
      }),
      'fc:profiles': () => ({ profiles: [] }),
    });
    renderScreen(<DeployScreen />, engine);
    await screen.findByTestId('deploy-all');
    const picker = screen.getByLabelText('Kafka profile for the defaults') as HTMLSelectElement;
    await waitFor(() => expect(picker.querySelector('option[value="kafka-prod"]')).not.toBeNull());
    fireEvent.change(picker, { target: { value: 'kafka-prod' } });
    await waitFor(() =>
      expect(engine.callsOf('deploy:templates').at(-1)).toEqual({
        context: 'knative-desk-playground',
        namespace: 'demo',
        profiles: { kafka: 'kafka-prod' },
      }),
    );
    fireEvent.click(await screen.findByTestId('deploy-all'));
    await waitFor(() => expect(engine.subscribers('deploy:apply')).toHaveLength(1));
    expect(engine.subscribers('deploy:apply')[0]?.params).toMatchObject({
      profiles: { kafka: 'kafka-prod' },
    });
    window.localStorage.clear();
  });

  it('with Connect at "all namespaces" says where the parts go (default) and deploys where the user chooses', async () => {
    const engine = deployEngine({
      'clusters:namespaces': () => ({
        namespaces: [
          { name: 'default', phase: 'Active', createdAt: null },
          { name: 'team-a', phase: 'Active', createdAt: null },
        ],
      }),
    });
    renderScreen(<DeployScreen />, engine, { ...playgroundSession, namespace: null });
    const target = await screen.findByTestId('deploy-target-namespace');
    expect(target.textContent).toMatch(/Connect is set to all namespaces/);
    const select = screen.getByLabelText('Deploy into namespace') as HTMLSelectElement;
    expect(select.value).toBe('default');
    expect((await screen.findByTestId('deploy-all-panel')).textContent).toContain('into namespace default');
    expect(engine.callsOf('deploy:templates')[0]).toMatchObject({ namespace: 'default' });

    await waitFor(() => expect(select.querySelector('option[value="team-a"]')).not.toBeNull());
    fireEvent.change(select, { target: { value: 'team-a' } });
    await waitFor(() =>
      expect(engine.callsOf('deploy:templates').at(-1)).toMatchObject({ namespace: 'team-a' }),
    );
    expect(screen.getByTestId('deploy-all-panel').textContent).toContain('into namespace team-a');
    fireEvent.click(await screen.findByTestId('deploy-all'));
    await waitFor(() => expect(engine.subscribers('deploy:apply')).toHaveLength(1));
    expect(engine.subscribers('deploy:apply')[0]?.params).toMatchObject({ namespace: 'team-a' });
  });

  it('with a namespace chosen on Connect deploys there and offers no other', async () => {
    setup(() => ({ templates }));
    expect((await screen.findByTestId('deploy-all-panel')).textContent).toContain('into namespace demo');
    expect(screen.queryByTestId('deploy-target-namespace')).toBeNull();
  });

  it('Deploy all holds one stream at a time: a part that ends ok hands over to the next, the last ends the run', async () => {
    const engine = setup(() => ({ templates }));
    fireEvent.click(await screen.findByTestId('deploy-all'));
    const order = orderTemplates(templates).map((t) => t.id);
    for (const part of order) {
      await waitFor(() =>
        expect(
          engine.subscribers('deploy:apply').map((s) => (s.params as { templateId: string }).templateId),
        ).toEqual([part]),
      );
      act(() => engine.emit('deploy:apply', { type: 'done', ok: true, error: null }));
    }
    await waitFor(() => expect(engine.subscribers('deploy:apply')).toHaveLength(0));
    expect(screen.getByTestId('deploy-all').textContent).toBe('Deploy all 3 parts');
  });

  it('a step’s Undeploy runs deploy:undeploy for that part only', async () => {
    const engine = setup(() => ({ templates }));
    await screen.findByTestId('deploy-all');
    fireEvent.click(screen.getByRole('button', { name: 'Undeploy' }));
    await waitFor(() => expect(engine.subscribers('deploy:undeploy')).toHaveLength(1));
    expect(engine.subscribers('deploy:undeploy')[0]?.params).toMatchObject({
      templateId: orderTemplates(templates)[0]?.id,
      namespace: 'demo',
    });
    expect(engine.subscribers('deploy:apply')).toHaveLength(0);
  });
});
