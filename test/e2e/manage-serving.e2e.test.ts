// Managing a Knative Service in the browser against the real engine (web mode) and the playground: create from the
// form (preview, dry run, apply), edit with the diff (and a 409 when another writer got there first), a traffic split
// with a tag (a sum of 90 and a tag used twice refused in the form), rollback, logs, comparing two revisions, a
// guarded rollout (reverted on errors, then completed), export with revisions and import into another namespace,
// every action reached with the keyboard, events, and a Service with an image that does not exist explained in the
// why-not-ready panel; the read-only context sees its actions disabled with the reason. Each step is read back from
// the cluster, and each writes its screenshot to artifacts/e2e/.
import { readFileSync } from 'node:fs';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { PROBE_IMAGE } from '../../playground/probe/probe-image';
import { createUniqueNamespace, kubeConfigFor, uniqueName } from '../support/unique';
import { openScreen, screenshot } from './support/browser';
import { chooseNamespace, openConsole } from './support/console';
import type { WebMode } from './support/web-mode';
import { mergePatchKsvc, readKsvc, revisionNames } from '../support/knative-objects';

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
  const read = () => readKsvc<Ksvc>(objects, namespace.name, name);

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
    await mergePatchKsvc(objects, namespace.name, name, 'other-writer', {
      spec: { traffic: [{ latestRevision: true, percent: 100, tag: 'current' }] },
    });
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

  it("shows the logs of the Service's pods, each line prefixed with its pod and container", async () => {
    // The default playground runs upstream Knative Serving on the virtual node, which serves the kubelet API: the
    // panel merges the lines of every pod's containers, queue-proxy's own included.
    await page.getByTestId('tab-logs').click();
    const lines = page.getByTestId('logs-lines');
    const pod = `${name}-0000\\d-deployment-[\\w-]+`;
    await expect
      .poll(() => lines.textContent(), { timeout: 60_000 })
      .toMatch(new RegExp(`${pod}/queue-proxy`));
    const text = (await lines.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`${pod}/user-container`));
    expect(text).toContain('probe listening on 127.0.0.1:8080');
    await page.getByTestId('logs-pause').click();
    expect(await page.getByTestId('logs-pause').textContent()).toMatch(/Resume/);
    await page.getByTestId('logs-search').fill('queue');
    await expect.poll(() => page.getByTestId('logs-panel').textContent()).toMatch(/match “queue”/);
    await screenshot(page, 'manage-logs');
    await page.getByTestId('logs-search').fill('');
    await page.getByTestId('logs-pause').click();
  });

  it('compares the specs of two revisions side by side', async () => {
    await page.getByTestId('tab-revisions').click();
    await page.getByLabel(`Compare ${name}-00001`).check();
    await page.getByLabel(`Compare ${name}-00002`).check();
    expect(await page.getByTestId('compare-revisions').textContent()).toContain(
      `${name}-00001 ↔ ${name}-00002`,
    );
    const view = page.getByTestId('compare-view');
    await expect.poll(() => view.textContent(), { timeout: 20_000 }).toMatch(/-\s*containerConcurrency: 4/);
    expect(await view.textContent()).toMatch(/\+\s*containerConcurrency: 2/);
    await view.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'manage-compare');
    await page.getByLabel(`Compare ${name}-00001`).uncheck();
    await view.waitFor({ state: 'detached' });
  });

  it('rolls out in steps: reverts on errors and says why, then completes to 100 %', async () => {
    // After the rollback, traffic is pinned to revision 1 and revision 2 is the latest ready: a rollout candidate.
    const pinned = (await read()).spec.traffic;
    await page.getByTestId('tab-rollout').click();
    const panel = page.getByTestId('rollout-panel');
    await panel.getByLabel('Steps (percent)').fill('50, 100');
    await panel.getByLabel('Interval per step (s)').fill('2');
    await panel.getByLabel('Probe requests per step').fill('4');
    // The probe image answers 500 to the first N requests of a key: every probe of this run fails.
    await panel.getByLabel('Probe path').fill('/?fail=1000000&key=e2e-rollout');
    await page.getByTestId('rollout-start').click();
    const outcome = page.getByTestId('rollout-outcome');
    await outcome.waitFor({ timeout: 90_000 });
    expect(await outcome.textContent()).toMatch(/reverted/);
    expect(await outcome.textContent()).toMatch(/at 50 %, error rate 100\.0 %/);
    expect((await read()).spec.traffic).toEqual(pinned);
    await screenshot(page, 'manage-rollout-reverted');

    // Stopped while watching the first step: the pinned split comes back.
    await panel.getByLabel('Probe path').fill('/');
    await panel.getByLabel('Interval per step (s)').fill('30');
    await page.getByTestId('rollout-start').click();
    await page.getByTestId('rollout-health').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('rollout-health').textContent()).toMatch(/At 50 %/);
    expect((await read()).spec.traffic?.find((t) => t.revisionName === `${name}-00002`)?.percent).toBe(50);
    await page.getByTestId('rollout-stop').click();
    expect(await outcome.textContent()).toMatch(/stopped/);
    await expect.poll(async () => (await read()).spec.traffic, { timeout: 30_000 }).toEqual(pinned);

    await panel.getByLabel('Interval per step (s)').fill('2');
    await page.getByTestId('rollout-start').click();
    await expect.poll(() => outcome.textContent(), { timeout: 90_000 }).toMatch(/completed/);
    expect(await page.getByTestId('rollout-health').textContent()).toMatch(
      /At 100 %: \d+ requests, 0 errors/,
    );
    expect((await read()).spec.traffic?.[0]).toEqual({
      revisionName: `${name}-00002`,
      latestRevision: false,
      percent: 100,
    });
    await screenshot(page, 'manage-rollout');
  });

  it('exports the Service with its revisions and imports it into another namespace', async () => {
    const source = await read();
    const download = page.waitForEvent('download');
    await page.getByTestId('export-with-revisions').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${name}-with-revisions.yaml`);
    const path = await file.path();
    const exported = parse(readFileSync(path, 'utf8')) as { kind: string; items: unknown[] };
    expect(exported.kind).toBe('List');
    expect(exported.items).toHaveLength(2);

    const target = await createUniqueNamespace(playground, 'e2e-import');
    try {
      await chooseNamespace(page, web.url, target.name);
      await openScreen(page, web.url, 'workloads/_new', 'New Service');
      await page.getByRole('tab', { name: 'Import YAML' }).click();
      await page.getByLabel('Import file').setInputFiles(path);
      await expect.poll(() => page.locator('#import-yaml').inputValue()).toContain(`${name}-00002`);
      await page.getByTestId('editor-apply').click();
      await page.getByTestId('editor-done').waitFor({ timeout: 120_000 });
      expect(await page.getByTestId('editor-progress').textContent()).not.toMatch(/failed/i);
      await screenshot(page, 'manage-import');
      await page.getByRole('button', { name: `Open ${name}` }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      await page.getByText(`Knative Service in ${target.name}`).waitFor();
      expect(await revisionNames(objects, target.name)).toEqual([`${name}-00001`, `${name}-00002`]);
      const imported = await readKsvc<Ksvc>(objects, target.name, name);
      expect(imported.spec.traffic).toEqual(source.spec.traffic);
      expect(imported.spec.template.spec.containerConcurrency).toBe(2);
    } finally {
      await chooseNamespace(page, web.url, namespace.name);
      await target.remove();
    }
  });

  it('reaches every action of the Service views with the keyboard', async () => {
    await openScreen(page, web.url, 'workloads', 'Workloads');
    // Alt+2 opens Workloads; the table is one Tab stop, Enter opens the focused row.
    await page.keyboard.press('Alt+2');
    const row = page.getByTestId('workloads-table').locator('tbody tr').first();
    await row.waitFor();
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name }).waitFor();
    expect(await unreachedByTab(page), 'on the overview tab').toEqual([]);
    await page.getByTestId('tab-overview').focus();
    for (const tab of ['revisions', 'logs', 'events', 'why', 'rollout']) {
      // The tab list moves with the arrow keys, as the WAI-ARIA tabs pattern has it.
      await page.keyboard.press('ArrowRight');
      await expect.poll(() => page.getByTestId(`tab-${tab}`).getAttribute('aria-selected')).toBe('true');
      await page.getByRole('tabpanel').waitFor();
      const missed = await unreachedByTab(page);
      expect(missed, `on the ${tab} tab`).toEqual([]);
      await page.getByTestId(`tab-${tab}`).focus();
    }

    // The list, the edit form (both its tabs) and the New Service form with its import tab, the same way.
    await openScreen(page, web.url, 'workloads', 'Workloads');
    await page.getByTestId('workloads-table').locator('tbody tr').first().waitFor();
    expect(await unreachedByTab(page), 'on the Workloads list').toEqual([]);
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/edit`, `Edit ${name}`);
    await page.getByTestId('service-form').waitFor();
    expect(await unreachedByTab(page), 'on the edit form').toEqual([]);
    await page.getByRole('tab', { name: 'YAML' }).click();
    expect(await unreachedByTab(page), 'on the YAML tab').toEqual([]);
    await openScreen(page, web.url, 'workloads/_new', 'New Service');
    expect(await unreachedByTab(page), 'on the New Service form').toEqual([]);
    await page.getByRole('tab', { name: 'Import YAML' }).click();
    expect(await unreachedByTab(page), 'on the import tab').toEqual([]);
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/revisions`, name);

    // An action done with the keyboard alone: Tab to "Roll forward to latest" and press Enter.
    await page.getByTestId('tab-revisions').focus();
    await page.keyboard.press('Enter');
    const forward = page.getByTestId('roll-forward');
    await expect.poll(() => forward.isEnabled()).toBe(true);
    for (let i = 0; i < 40; i += 1) {
      if (await forward.evaluate((element) => element === document.activeElement)) break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('revisions-message').textContent()).toContain('Rolled forward');
    expect((await read()).spec.traffic?.[0]).toMatchObject({ latestRevision: true, percent: 100 });
  });

  it('shows the Events of the Service and its revisions as a timeline', async () => {
    // Written by the cluster itself: Knative's Service reconciler ("Created Configuration") and the Deployment
    // controller scaling the revision's `<rev>-deployment` (ScalingReplicaSet).
    await page.getByTestId('tab-events').click();
    const panel = page.getByTestId('events-panel');
    await expect
      .poll(() => panel.textContent(), { timeout: 20_000 })
      .toContain(`Created Configuration "${name}"`);
    expect(await panel.textContent()).toMatch(new RegExp(`Scaled up replica set ${name}-00001-deployment-`));
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

  it('deletes an unrouted revision only behind its typed guard', async () => {
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/revisions`, name);
    const editor = page.getByTestId('traffic-editor');
    // Rolled forward earlier: 100 % to @latest, and revision 1 kept only by its 0 % "old" tag. Without that row no
    // traffic target names revision 1 any more.
    await expect.poll(() => editor.getByLabel('Tag of row 2').inputValue()).toBe('old');
    await editor.getByLabel('Remove row 2').click();
    await page.getByTestId('traffic-save').click();
    await expect.poll(() => page.getByTestId('revisions-message').textContent()).toContain('Traffic set');
    expect((await read()).spec.traffic).toEqual([{ latestRevision: true, percent: 100 }]);
    const remove = page.getByTestId('delete-unrouted');
    await expect.poll(() => remove.textContent(), { timeout: 30_000 }).toContain('(1)');
    await remove.click();
    const guard = page.getByTestId('delete-guard');
    const confirm = guard.getByRole('button', { name: 'Delete', exact: true });
    await guard.getByLabel('Confirmation').fill(`${name}-00002`);
    expect(await confirm.isDisabled()).toBe(true);
    await guard.getByLabel('Confirmation').fill(`${name}-00001`);
    expect(await confirm.isEnabled()).toBe(true);
    await guard.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'manage-delete-unrouted');
    await confirm.click();
    await expect
      .poll(() => page.getByTestId('revisions-message').textContent())
      .toContain(`Deleted ${name}-00001`);
    expect(await revisionNames(objects, namespace.name)).toEqual([`${name}-00002`, `${name}-00003`]);
  });

  it('shows the cold start of each revision as a figure on the Overview tab', async () => {
    await page.getByTestId('tab-overview').click();
    const cold = page.getByTestId('cold-starts');
    await expect
      .poll(() => cold.textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`${name}-00002: \\d+\\.\\d s`));
    await cold.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await screenshot(page, 'manage-cold-starts');
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
      // Reading stays allowed: the revision shows up once Knative made it.
      await expect
        .poll(() => page.getByTestId('revisions-table').locator('tbody tr').count(), { timeout: 60_000 })
        .toBe(1);
      // A revision the status does not name yet is still the newest: never offered for deletion.
      expect(await page.getByTestId('delete-unrouted').textContent()).toContain('(0)');
      await screenshot(page, 'manage-read-only');
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

/**
 * What the keyboard cannot do in the main area: an element with a click handler that is not focusable (a
 * mouse-only action, found through the props React keeps on each DOM node), and an enabled control that Tab,
 * pressed from the screen's heading onwards, never reaches. Each is named by its test id, label or text.
 */
async function unreachedByTab(page: Page): Promise<string[]> {
  const { count, mouseOnly } = await page.evaluate(() => {
    const nameOf = (element: HTMLElement) =>
      element.dataset.testid ??
      element.getAttribute('aria-label') ??
      (element.textContent ?? '').trim().slice(0, 40);
    const clickable = [...document.querySelectorAll<HTMLElement>('main *')].filter((element) => {
      const key = Object.keys(element).find((k) => k.startsWith('__reactProps$'));
      const props = key ? (element as unknown as Record<string, { onClick?: unknown }>)[key] : undefined;
      return typeof props?.onClick === 'function';
    });
    // The tab buttons have click handlers: none found means React's props were not seen, and the check is blind.
    if (clickable.length === 0) return { count: 0, mouseOnly: [] };
    const mouseOnly = clickable
      .filter(
        (element) =>
          !element.matches('button, input, select, textarea, a[href], summary, label') &&
          // A tabindex, even -1, marks a roving member (a table row reached with the arrow keys), not mouse-only.
          !element.hasAttribute('tabindex'),
      )
      .map((element) => `mouse only: ${nameOf(element)}`);
    const controls = [
      ...document.querySelectorAll<HTMLElement>(
        'main button, main input, main select, main textarea, main a[href], main [tabindex]',
      ),
    ].filter(
      (element) =>
        !(element as HTMLButtonElement).disabled && element.tabIndex >= 0 && element.offsetParent !== null,
    );
    document.querySelectorAll('[data-kbd]').forEach((element) => element.removeAttribute('data-kbd'));
    controls.forEach((element, index) => element.setAttribute('data-kbd', String(index)));
    return { count: controls.length, mouseOnly };
  });
  // No controls (or no click handlers) found would make this check pass for nothing.
  if (count === 0) return ['(no controls or click handlers seen in the main area)'];
  await page.getByRole('heading', { level: 1 }).focus();
  const reached = new Set<string>();
  for (let press = 0; press < count * 2 + 20 && reached.size < count; press += 1) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement?.getAttribute('data-kbd') ?? null);
    if (id !== null) reached.add(id);
  }
  const unreached = await page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-kbd]')]
        .filter((element) => !seen.includes(element.getAttribute('data-kbd')!))
        .map(
          (element) =>
            element.dataset.testid ??
            element.getAttribute('aria-label') ??
            (element.textContent ?? '').trim().slice(0, 40),
        ),
    [...reached],
  );
  return [...mouseOnly, ...unreached];
}
