// @vitest-environment happy-dom
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ResponseOf } from '../../../electron/common/contract';
import { engineFailure, fakeEngine, never, type OperationHandlers } from '../testing/fake-engine';
import { access } from '../testing/fixtures';
import { renderScreen } from '../testing/render-screen';
import { emptyForm, importedName, ServiceEditor } from './service-editor';

const context = 'knative-desk-playground';
const liveForm: ResponseOf<'manage:form'> = {
  form: { ...emptyForm('demo'), name: 'hello', image: 'example.com/hello:1', maxScale: 3 },
  resourceVersion: '42',
  generation: 2,
  yaml: 'apiVersion: serving.knative.dev/v1\nkind: Service\n',
  notInForm: [],
};
const plan: ResponseOf<'manage:plan'> = {
  objects: [
    {
      ref: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', namespace: 'demo', name: 'hello' },
      action: 'update',
      yaml: 'kind: Service\n',
      diff: '-  image: example.com/hello:1\n+  image: example.com/hello:2\n',
      serverDefaults: '',
    },
  ],
  error: null,
  fieldErrors: {},
};

/** `name` null: the editor creates a new Service. */
function setup(handlers: OperationHandlers, name: string | null = 'hello') {
  const engine = fakeEngine({
    'manage:access': () => access(),
    'manage:secrets': () => ({ secrets: [] }),
    ...handlers,
  });
  const onDone = vi.fn();
  renderScreen(
    <ServiceEditor
      context={context}
      namespace="demo"
      name={name ?? undefined}
      onDone={onDone}
      onCancel={vi.fn()}
    />,
    engine,
  );
  return { engine, onDone };
}

const field = (name: string) =>
  document.querySelector<HTMLInputElement>(`[data-field="${name}"]`) as HTMLInputElement;

describe('Manage: the Service editor', () => {
  it('reads the Service first, saying so', () => {
    const { engine } = setup({ 'manage:form': () => never() });
    expect(screen.getByText('Reading the Service…')).toBeTruthy();
    expect(engine.callsOf('manage:form')).toEqual([{ context, namespace: 'demo', name: 'hello' }]);
  });

  it('shows why the Service could not be read, and reads again on Retry', async () => {
    let calls = 0;
    setup({
      'manage:form': () => {
        calls += 1;
        if (calls === 1) throw engineFailure('not-found', 'services.serving.knative.dev "hello" not found');
        return liveForm;
      },
    });
    expect(await screen.findByText('Could not read the Service')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /retry/i }));
    expect(await screen.findByTestId('service-editor')).toBeTruthy();
  });

  it('a new Service starts from an empty form and cannot be created before a dry run', () => {
    const { engine } = setup({}, null);
    expect(screen.getByText('New Service')).toBeTruthy();
    expect(field('name').value).toBe('');
    expect((screen.getByTestId('editor-apply') as HTMLButtonElement).disabled).toBe(true);
    expect(engine.callsOf('manage:form')).toHaveLength(0);
  });

  it('fills the form from the live Service; Preview dry-runs the edit guarded by its generation, then Save applies it', async () => {
    const { engine } = setup({ 'manage:form': () => liveForm, 'manage:plan': () => plan });
    await waitFor(() => expect(field('image').value).toBe('example.com/hello:1'));
    fireEvent.change(field('image'), { target: { value: 'example.com/hello:2' } });
    fireEvent.click(screen.getByTestId('editor-preview'));
    await waitFor(() => expect(engine.callsOf('manage:plan')).toHaveLength(1));
    expect(engine.callsOf('manage:plan')[0]).toMatchObject({
      context,
      mode: 'edit',
      generation: 2,
      form: { name: 'hello', image: 'example.com/hello:2', maxScale: 3 },
    });
    await waitFor(() =>
      expect((screen.getByTestId('editor-apply') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('editor-apply'));
    expect(engine.subscribers('manage:apply')).toHaveLength(1);
    expect(engine.subscribers('manage:apply')[0]?.params).toMatchObject({ mode: 'edit', generation: 2 });
    act(() => engine.emit('manage:apply', { type: 'done', ok: true, error: null }));
  });

  it('puts the dry run’s field errors next to the field and keeps Save disabled', async () => {
    setup({
      'manage:form': () => liveForm,
      'manage:plan': () => ({
        objects: [],
        error: { code: 'invalid', message: 'admission webhook denied the request', details: {} },
        fieldErrors: { image: 'image must be a valid reference' },
      }),
    });
    await waitFor(() => expect(field('image').value).toBe('example.com/hello:1'));
    fireEvent.click(screen.getByTestId('editor-preview'));
    await waitFor(() => expect(field('image').getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('image must be a valid reference')).toBeTruthy();
    expect((screen.getByTestId('editor-apply') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says up front when the context may not change Services', async () => {
    setup({
      'manage:form': () => liveForm,
      'manage:access': () => access({ edit: 'forbidden: viewer may not patch' }),
    });
    expect((await screen.findByTestId('editor-denied')).textContent).toContain('viewer may not patch');
  });
});

describe('the name an import makes', () => {
  it('is the Service of a plain export, or the first Service of an export with revisions', () => {
    expect(importedName('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: web\n')).toBe(
      'web',
    );
    expect(
      importedName(
        'apiVersion: v1\nkind: List\nitems:\n  - kind: Service\n    metadata:\n      name: api\n  - kind: Service\n    metadata:\n      name: api\n',
      ),
    ).toBe('api');
  });

  it('is empty for text that is not an export yet', () => {
    expect(importedName('')).toBe('');
    expect(importedName('kind: [')).toBe('');
    expect(importedName('kind: List\nitems: []\n')).toBe('');
  });
});
