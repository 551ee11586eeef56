// Managing a Knative Service in the browser against the real engine (web mode) and the playground: create from the
// form (preview, dry run, apply), edit with the diff (and a 409 when another writer got there first), a traffic split
// with a tag (a sum of 90 and a tag used twice refused in the form), rollback, events, and a Service with an image
// that does not exist explained in the why-not-ready panel; the read-only context sees its actions disabled with the
// reason. Each step is read back from the cluster, and each writes its screenshot to artifacts/e2e/.
import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBE_IMAGE } from '../../playground/runtime/image-catalog';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from '../support/unique';
import { openScreen, screenshot } from './support/browser';
import { chooseNamespace, openConsole } from './support/console';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');
const kc = kubeConfigFor(playground, 'admin');
const objects = KubernetesObjectApi.makeApiClient(kc);

type Ksvc = {
  metadata: { resourceVersion: string; generation: number };
  spec: { template: { spec: Record<string, unknown> }; traffic?: Record<string, unknown>[] };
  status?: {
    latestReadyRevisionName?: string;
    latestCreatedRevisionName?: string;
    traffic?: { revisionName?: string; percent?: number; tag?: string }[];
  };
};

describe('manage a Knative Service in the console', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({ height: 1100 }, (opened) => ({ web, page, pageErrors } = opened));
  let namespace: { name: string; remove: () => Promise<void> };
  const name = uniqueName('web').slice(0, 24);
  const read = async () =>
    (await objects.read({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name, namespace: namespace.name },
    })) as unknown as Ksvc;

  beforeAll(async () => {
    namespace = await createUniqueNamespace(playground, 'e2e-manage');
    await chooseNamespace(page, web.url, namespace.name);
  });

  afterAll(async () => {
    await namespace?.remove();
  });

  it('creates a Service from the form: preview, dry run, apply', async () => {
    await openScreen(page, web.url, 'workloads', 'Workloads');
    await page.getByTestId('new-service').click();
    await page.getByRole('heading', { level: 1, name: 'New Service' }).waitFor();
    const form = page.getByTestId('service-form');
    await form.locator('[data-field="name"]').fill(name);
    await form.locator('[data-field="image"]').fill(PROBE_IMAGE);
    await form.locator('[data-field="containerConcurrency"]').fill('4');
    await form.locator('[data-field="minScale"]').fill('1');
    await form.locator('[data-field="maxScale"]').fill('3');
    await page.getByTestId('env-add').click();
    await page.getByLabel('Env 1 name').fill('GREETING');
    await page.getByLabel('Env 1 value').fill('hello');
    // Knative's webhook refuses a 5 s window (6 s..1 h): the dry run says so next to the Window field.
    await form.locator('[data-field="window"]').fill('5s');
    await page.getByTestId('editor-preview').click();
    await expect
      .poll(() => form.locator('[data-field="window"]').getAttribute('aria-invalid'), { timeout: 30_000 })
      .toBe('true');
    await form.locator('[data-field="window"]').fill('');
    await page.getByTestId('editor-preview').click();
    await page.getByTestId('editor-plan').waitFor();
    expect(await page.getByTestId('editor-plan').textContent()).toContain('create');
    // What Knative's webhook will add, from the server's dry run, as `kubectl create --dry-run=server` shows it.
    expect(await page.getByTestId('editor-server-defaults').textContent()).toMatch(
      /\+\s*timeoutSeconds: 300/,
    );
    await page.getByTestId('editor-apply').click();
    await page.getByTestId('editor-done').waitFor({ timeout: 60_000 });
    await page.getByTestId('editor-progress').evaluate((element) => element.scrollIntoView({ block: 'end' }));
    await screenshot(page, 'manage-create');

    const service = await read();
    expect(service.spec.template.spec.containerConcurrency).toBe(4);
    expect((service.spec.template.spec.containers as { env: unknown[] }[])[0]!.env).toEqual([
      { name: 'GREETING', value: 'hello' },
    ]);
    await expect
      .poll(async () => (await read()).status?.latestReadyRevisionName, { timeout: 120_000 })
      .toBe(`${name}-00001`);
  });

  it('edits with a diff; a Service changed meanwhile answers 409 and nothing is written', async () => {
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/edit`, `Edit ${name}`);
    const concurrency = page.getByTestId('service-form').locator('[data-field="containerConcurrency"]');
    await expect.poll(() => concurrency.inputValue()).toBe('4');

    // Another writer changes the Service's spec (its traffic: Knative's webhook already wrote 100 % to @latest, so
    // the other writer adds a tag) after the form was read.
    await objects.patch(
      {
        apiVersion: 'serving.knative.dev/v1',
        kind: 'Service',
        metadata: { name, namespace: namespace.name },
        spec: { traffic: [{ latestRevision: true, percent: 100, tag: 'current' }] },
      },
      undefined,
      undefined,
      'other-writer',
      undefined,
      'application/merge-patch+json' as never,
    );
    const before = await read();
    await concurrency.fill('2');
    await page.getByTestId('editor-preview').click();
    const refused = page.getByRole('alert').filter({ hasText: /Refused; nothing was written/ });
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/conflict/i);
    expect(await refused.textContent()).toMatch(/changed by someone else/);
    expect((await read()).metadata.generation).toBe(before.metadata.generation);

    // Reload the form (as the message invites) and save.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: `Edit ${name}` }).waitFor();
    await expect.poll(() => concurrency.inputValue()).toBe('4');
    await concurrency.fill('2');
    await page.getByTestId('editor-preview').click();
    await page.getByTestId('editor-plan').waitFor();
    expect(await page.getByTestId('editor-plan').textContent()).toMatch(/-\s*containerConcurrency: 4/);
    await page.getByTestId('editor-plan').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'manage-edit-diff');
    await page.getByTestId('editor-apply').click();
    await page.getByTestId('editor-done').waitFor({ timeout: 60_000 });
    expect((await read()).spec.template.spec.containerConcurrency).toBe(2);
    await expect
      .poll(async () => (await read()).status?.latestReadyRevisionName, { timeout: 120_000 })
      .toBe(`${name}-00002`);
  });

  it('splits traffic with a tag; a sum of 90 and a tag used twice are refused in the form', async () => {
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/revisions`, name);
    await expect.poll(() => page.getByTestId('revisions-table').locator('tbody tr').count()).toBe(2);
    const before = await read();
    const editor = page.getByTestId('traffic-editor');
    await editor.getByLabel('Percent of row 1').fill('60');
    await page.getByTestId('traffic-add-row').click();
    await editor.getByLabel('Revision of row 2').selectOption(`${name}-00001`);
    await editor.getByLabel('Percent of row 2').fill('30');
    await expect.poll(() => page.getByTestId('traffic-sum').textContent()).toContain('90');
    expect(await page.getByTestId('traffic-problem').first().textContent()).toMatch(/add up to 90/);
    expect(await page.getByTestId('traffic-save').isDisabled()).toBe(true);

    await editor.getByLabel('Percent of row 1').fill('70');
    await editor.getByLabel('Tag of row 1').fill('old');
    await editor.getByLabel('Tag of row 2').fill('old');
    await expect.poll(() => editor.textContent()).toMatch(/tag "old" is already used by row 1/);
    expect(await page.getByTestId('traffic-save').isDisabled()).toBe(true);
    expect((await read()).metadata.generation).toBe(before.metadata.generation);

    await editor.getByLabel('Tag of row 1').fill('');
    await page.getByTestId('traffic-save').click();
    await expect.poll(() => page.getByTestId('revisions-message').textContent()).toContain('Traffic set');
    await expect
      .poll(async () => (await read()).status?.traffic?.find((t) => t.tag === 'old')?.percent, {
        timeout: 30_000,
      })
      .toBe(30);
    expect((await read()).spec.traffic).toEqual([
      { latestRevision: true, percent: 70 },
      { revisionName: `${name}-00001`, latestRevision: false, percent: 30, tag: 'old' },
    ]);
    await expect
      .poll(() => page.getByTestId('revisions-table').textContent(), { timeout: 30_000 })
      .toMatch(/30%/);
    await screenshot(page, 'manage-traffic');
  });

  it('rolls back to the first revision', async () => {
    await page.getByTestId(`rollback-${name}-00001`).click();
    await expect.poll(() => page.getByTestId('revisions-message').textContent()).toContain('Rolled back');
    expect((await read()).spec.traffic?.[0]).toEqual({
      revisionName: `${name}-00001`,
      latestRevision: false,
      percent: 100,
    });
    await expect
      .poll(
        async () =>
          (await read()).status?.traffic?.find((t) => t.revisionName === `${name}-00001` && !t.tag)?.percent,
        { timeout: 30_000 },
      )
      .toBe(100);
    await expect
      .poll(() => page.getByTestId('revisions-table').locator('tbody tr').last().textContent())
      .toContain('100%');
    await screenshot(page, 'manage-rollback');
  });

  it('shows the Events of the Service and its revisions as a timeline', async () => {
    // Knative's controller writes events on a real cluster; here the test writes one on the revision itself.
    const when = new Date();
    await kc.makeApiClient(CoreV1Api).createNamespacedEvent({
      namespace: namespace.name,
      body: {
        metadata: { name: uniqueName('ev'), namespace: namespace.name },
        involvedObject: {
          kind: 'Revision',
          name: `${name}-00002`,
          namespace: namespace.name,
          apiVersion: 'serving.knative.dev/v1',
        },
        reason: 'InternalError',
        message: 'failed to update deployment (written by the e2e test)',
        type: 'Warning',
        firstTimestamp: when,
        lastTimestamp: when,
        count: 2,
        source: { component: 'manage-e2e' },
      },
    });
    await page.getByTestId('tab-events').click();
    await expect
      .poll(() => page.getByTestId('events-panel').textContent(), { timeout: 20_000 })
      .toContain('failed to update deployment');
    await screenshot(page, 'manage-events');
  });

  it('explains a Service whose image does not exist; the previous revision keeps serving', async () => {
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/edit`, `Edit ${name}`);
    const image = page.getByTestId('service-form').locator('[data-field="image"]');
    await expect.poll(() => image.inputValue()).toBe(PROBE_IMAGE);
    await image.fill('example.invalid/no-such-image:1');
    await page.getByTestId('editor-preview').click();
    await page.getByTestId('editor-plan').waitFor();
    await page.getByTestId('editor-apply').click();
    await page.getByTestId('editor-done').waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => (await read()).status?.latestCreatedRevisionName, { timeout: 30_000 })
      .toBe(`${name}-00003`);

    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/why`, name);
    const panel = page.getByTestId('why-panel');
    await expect
      .poll(
        async () => {
          await panel.getByRole('button', { name: 'Look again' }).click();
          return panel.textContent();
        },
        { timeout: 120_000, interval: 2000 },
      )
      .toMatch(new RegExp(`Revision/${name}-00003`));
    expect(await panel.textContent()).toMatch(/What to do/);
    await screenshot(page, 'manage-why-not-ready');
    expect((await read()).status?.latestReadyRevisionName).toBe(`${name}-00002`);
  });

  it('the read-only context sees create, edit and traffic disabled with the reason', async () => {
    await page.evaluate(
      ([context, ns]) =>
        window.localStorage.setItem(
          'knative-desk.session',
          JSON.stringify({ context, namespace: ns, access: null, fcProfileId: null, kafkaProfileId: null }),
        ),
      [playground.contexts.viewer, playground.viewerNamespace] as const,
    );
    await page.goto(web.screen('workloads/_new'));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'New Service' }).waitFor();
    const denied = page.getByTestId('editor-denied');
    await denied.waitFor();
    expect(await denied.textContent()).toMatch(/may not create services.serving.knative.dev/);
    expect(await page.getByTestId('editor-apply').isDisabled()).toBe(true);

    // A Service in the viewer's namespace (made by the admin): edit and traffic are disabled with the reason.
    const shared = uniqueName('ro').slice(0, 24);
    await objects.create({
      apiVersion: 'serving.knative.dev/v1',
      kind: 'Service',
      metadata: { name: shared, namespace: playground.viewerNamespace },
      spec: { template: { spec: { containers: [{ image: PROBE_IMAGE }] } } },
    } as never);
    try {
      await openScreen(page, web.url, `workloads/${playground.viewerNamespace}/${shared}/revisions`, shared);
      const edit = page.getByTestId('edit-service');
      await expect.poll(() => edit.isDisabled()).toBe(true);
      expect(await edit.getAttribute('title')).toMatch(/may not update services.serving.knative.dev/);
      await page.getByTestId('traffic-editor').waitFor();
      expect(await page.getByTestId('traffic-save').isDisabled()).toBe(true);
      expect(await page.getByTestId('revisions-panel').textContent()).toMatch(
        /may not patch services.serving.knative.dev/,
      );
    } finally {
      await objects
        .delete({
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: { name: shared, namespace: playground.viewerNamespace },
        })
        .catch(() => undefined);
    }
    expect(pageErrors).toEqual([]);
  });
});
