// @vitest-environment happy-dom
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../electron/common/contract';
import { engineFailure, fakeEngine } from '../testing/fake-engine';
import { renderScreen } from '../testing/render-screen';
import { ConnectScreen } from './connect-screen';

type ClustersList = ResponseOf<'clusters:list'>;
const context = (name: string, source: string) => ({
  name,
  cluster: name,
  user: `${name}-user`,
  server: 'https://198.51.100.10:6443',
  namespace: null,
  source,
  sourceKind: 'file' as const,
  credentialCommand: null,
  credentialCommandConfirmed: true,
});

function connectEngine() {
  let list: ClustersList = {
    sources: [{ kind: 'file', path: '/home/me/.kube/config', error: null }],
    contexts: [context('prod', '/home/me/.kube/config')],
    suggested: 'prod',
  };
  return fakeEngine({
    'clusters:list': () => list,
    'clusters:addKubeconfig': ({ path }) => {
      if (!path.endsWith('staging-config')) throw engineFailure('not-found', `${path} does not exist`);
      list = {
        ...list,
        sources: [...list.sources, { kind: 'file', path, error: null }],
        contexts: [...list.contexts, context('staging', path)],
      };
      return list;
    },
    'clusters:check': ({ context: name }) => ({
      context: name,
      namespace: null,
      reachable: true,
      serverVersion: 'v1.34.4',
      access: 'read-write',
      summary: 'Read-write.',
      checks: [],
      error: null,
    }),
    'clusters:namespaces': () => ({ namespaces: [] }),
    'clusters:gateway': ({ context: name }) => ({
      context: name,
      address: null,
      source: 'none',
      typed: null,
      discovered: { address: null, reason: 'knative-serving/config-network not found' },
    }),
  });
}

describe('Connect screen', () => {
  it('adds a kubeconfig file from the one-line form and lists its contexts; a bad path is said beside the field', async () => {
    const engine = connectEngine();
    renderScreen(<ConnectScreen />, engine, { context: 'prod', namespace: null });
    const table = await screen.findByTestId('contexts-table');
    await waitFor(() => expect(within(table).getAllByText('prod')[0]).toBeTruthy());

    const field = screen.getByRole('textbox', { name: 'Add a kubeconfig file' }) as HTMLInputElement;
    const add = screen.getByRole('button', { name: 'Add' }) as HTMLButtonElement;
    expect(add.disabled).toBe(true);
    fireEvent.change(field, { target: { value: '/nowhere/config' } });
    fireEvent.submit(field.form as HTMLFormElement);
    await waitFor(() => expect(screen.getByText('/nowhere/config does not exist')).toBeTruthy());
    expect(field.value).toBe('/nowhere/config');

    fireEvent.change(field, { target: { value: ' /home/me/.kube/staging-config ' } });
    fireEvent.click(add);
    await waitFor(() => expect(within(table).getAllByText('staging')[0]).toBeTruthy());
    expect(field.value).toBe('');
    expect(engine.callsOf('clusters:addKubeconfig')).toEqual([
      { path: '/nowhere/config' },
      { path: '/home/me/.kube/staging-config' },
    ]);
  });

  it('shows where the chosen context sends Service URLs, with discovery’s reason when it found none', async () => {
    renderScreen(<ConnectScreen />, connectEngine(), { context: 'prod', namespace: null });
    await waitFor(() => expect(screen.getByTestId('gateway-in-use').textContent).toContain('none known'));
    expect(screen.getByTestId('gateway-discovered').textContent).toContain(
      'knative-serving/config-network not found',
    );
  });
});
