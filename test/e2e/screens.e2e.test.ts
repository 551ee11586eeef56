// Every screen in the browser against the real engine (web mode) and the playground: what a user sees first,
// keyboard navigation with visible focus, both themes, and a screenshot of each screen for the README.
import { readFile } from 'node:fs/promises';
import { CustomObjectsApi } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBE_IMAGE } from '../../playground/probe/probe-image';
import { createUniqueNamespace, kubeConfigFor } from '../support/unique';
import { exportMonitorJson, openScreen, screenshot } from './support/browser';
import { chooseNamespace, openConsole } from './support/console';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');

describe('console screens', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({}, (opened) => ({ web, page, pageErrors } = opened));
  let namespace: { name: string; remove: () => Promise<void> };

  beforeAll(async () => {
    namespace = await createUniqueNamespace(playground, 'e2e-screens');
    // One Knative Service so the lists are not empty (the playground's Knative Serving reconciles it).
    await kubeConfigFor(playground, 'admin')
      .makeApiClient(CustomObjectsApi)
      .createNamespacedCustomObject({
        group: 'serving.knative.dev',
        version: 'v1',
        namespace: namespace.name,
        plural: 'services',
        body: {
          apiVersion: 'serving.knative.dev/v1',
          kind: 'Service',
          metadata: { name: 'hello' },
          spec: {
            template: {
              metadata: { annotations: { 'autoscaling.knative.dev/min-scale': '1' } },
              spec: {
                containerConcurrency: 2,
                containers: [
                  {
                    // The playground's probe image: a small HTTP server its virtual node can run as a pod.
                    image: PROBE_IMAGE,
                    ports: [{ containerPort: 8000, name: 'http1' }],
                    env: [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }],
                  },
                ],
              },
            },
          },
        },
      });
  });

  afterAll(async () => {
    await namespace?.remove();
  });

  it('Connect lists the playground contexts first, opens the admin one and shows it may deploy', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    const firstRow = page.getByTestId('contexts-table').locator('tbody tr').first();
    await expect.poll(() => firstRow.textContent()).toContain(playground.contexts.admin);
    await expect
      .poll(() => page.getByTestId('context-check').textContent(), { timeout: 30_000 })
      .toContain('read-write');
    await expect.poll(() => page.getByTestId('playground-panel').textContent()).toContain('up');
    // Nothing typed: the playground's context sends Service URLs through the playground's own gateway.
    await expect
      .poll(() => page.getByTestId('gateway-in-use').textContent())
      .toMatch(/go to http:\/\/127\.0\.0\.1:\d+ the playground's own gateway/);
    await screenshot(page, 'connect');
  });

  it('navigates with the keyboard and shows where focus is', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Workloads' }).waitFor();
    await page.getByTestId('nav-workloads').focus();
    await page.keyboard.press('ArrowDown');
    const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid'));
    expect(focused).toBe('nav-deploy');
    // Keyboard focus draws an outline (the focus-visible rule), not just a colour change.
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return `${style.outlineStyle} ${style.outlineWidth}`;
    });
    expect(outline).toMatch(/^solid [1-9]/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Deploy' }).waitFor();
    await screenshot(page, 'keyboard-focus');
  });

  it('switches between light and dark themes', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.getByTestId('theme-toggle').click();
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(new Set([before, after])).toEqual(new Set(['light', 'dark']));
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe(after === 'dark' ? 'rgb(17, 21, 27)' : 'rgb(246, 247, 249)');
    await screenshot(page, `connect-${after}`);
    await page.getByTestId('theme-toggle').click();
  });

  it('Workloads lists the namespace’s Knative Services kn-style and opens a detail', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'workloads', 'Workloads');
    const row = page.getByTestId('workloads-table').locator('tbody tr', { hasText: 'hello' });
    await row.waitFor({ timeout: 60_000 });
    await expect.poll(() => row.textContent(), { timeout: 90_000 }).toContain('True');
    expect(await row.textContent()).toContain('ECI');
    await screenshot(page, 'workloads');
    await row.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'hello' }).waitFor();
    await expect.poll(() => page.getByTestId('workload-summary').textContent()).toContain('Ready True');
    await screenshot(page, 'workload-detail');
  });

  it('Monitor shows the namespace’s Services with their pods', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'monitor', 'Monitor');
    const ready = page.getByTestId('ready-hello');
    await ready.waitFor({ timeout: 60_000 });
    await expect
      .poll(async () => Number(await ready.textContent()), { timeout: 90_000 })
      .toBeGreaterThanOrEqual(1);
    await page.waitForTimeout(3000);
    await screenshot(page, 'monitor');
  });

  it('Monitor pauses, zooms into a dragged range and exports JSON and PNG', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'monitor', 'Monitor');
    await page.getByTestId('ready-hello').waitFor({ timeout: 60_000 });

    // Export JSON: the raw series, not the downsampled drawing.
    const json = await exportMonitorJson(page);
    expect(json.namespace).toBe(namespace.name);
    expect(json.series['pods:hello:ready']?.length).toBeGreaterThan(0);

    // Export PNG: a real PNG of the charts.
    const [pngDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-png').click(),
    ]);
    const png = await readFile((await pngDownload.path()) as string);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(2000);

    // Drag across the pods chart: the timeline shows just that range until reset.
    const plot = page.getByTestId('chart-pods').locator('.recharts-wrapper').locator('..');
    const box = await plot.boundingBox();
    if (!box) throw new Error('the pods chart has no box');
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const reset = page.getByTestId('zoom-reset');
    await reset.waitFor();
    const shownSeconds = Number(/\((\d+) s shown\)/.exec((await reset.textContent()) ?? '')?.[1]);
    // 30 % of a 5-minute window.
    expect(shownSeconds).toBeGreaterThan(60);
    expect(shownSeconds).toBeLessThan(120);
    await screenshot(page, 'monitor-zoomed');
    await reset.click();
    await page.getByText('drag on a chart to zoom').waitFor();

    // Pause freezes the view; resume brings it back to live.
    await page.getByTestId('monitor-pause').click();
    expect(await page.getByTestId('monitor-pause').getAttribute('aria-pressed')).toBe('true');
    await page.getByText('paused', { exact: true }).waitFor();
    await page.getByTestId('monitor-pause').click();
    await page.getByText('live', { exact: true }).waitFor();
  });

  it('the sender drives real load at a Service and the Monitor lines up load, latency and scaling', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'barrage', 'Barrage');
    // Left Connect right after choosing the namespace: the top bar still finds out the access for it.
    await expect.poll(() => page.getByTestId('topbar-access').textContent()).toBe('read-write');
    const hello = await page.getByTestId('workloads-table').count(); // not on this screen: read the URL from the picker
    expect(hello).toBe(0);
    const option = page
      .locator('[data-field="homepage"] option:not([value=""])', { hasText: 'hello' })
      .first();
    const url = (await option.getAttribute('value')) ?? '';
    expect(url).toMatch(/^http:\/\/hello\./);
    await page.locator('[data-field="url"]').fill(url);
    await page.locator('[data-field="concurrency"]').fill('10');
    await page.locator('[data-field="durationSeconds"]').fill('15');
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('sender-state').textContent()).toBe('running');
    await expect
      .poll(async () => Number(await page.getByTestId('sender-total').textContent()), { timeout: 30_000 })
      .toBeGreaterThan(0);
    await screenshot(page, 'barrage-sending');
    // Leaving the screen keeps the run going; the Monitor shows its load on the shared timeline.
    await openScreen(page, web.url, 'monitor', 'Monitor');
    await expect.poll(() => page.getByTestId('chart-load').textContent()).not.toContain('No samples');
    await expect
      .poll(async () => Number(await page.getByTestId('peak-hello').textContent()), { timeout: 90_000 })
      .toBeGreaterThan(1);
    await page.locator('#monitor-window').selectOption('60');
    await screenshot(page, 'monitor-scaling');
    await openScreen(page, web.url, 'barrage', 'Barrage');
    await expect.poll(() => page.getByTestId('sender-state').textContent(), { timeout: 60_000 }).toBe('done');
    expect(await page.getByTestId('sender-summary').textContent()).toMatch(/finished: \d+ requests/);
  });

  it('Barrage shows the sender and the viewer', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'barrage', 'Barrage');
    await page.getByTestId('danmaku-canvas').waitFor();
    await screenshot(page, 'barrage');
  });

  it('Deploy shows the three parts in dependency order with inline validation', async () => {
    await chooseNamespace(page, web.url, namespace.name);
    await openScreen(page, web.url, 'deploy', 'Deploy');
    await page.locator('[data-testid^="step-"]').first().waitFor();
    const steps = await page
      .locator('[data-testid^="step-"]')
      .evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-testid')));
    expect(steps).toEqual(['step-processing', 'step-event-driven', 'step-homepage']);
    // A numeric field with text shows its problem next to it as soon as it is typed.
    const numeric = page.locator('[data-testid="deploy-step-processing"] input[inputmode="decimal"]').first();
    await numeric.fill('ten');
    await expect.poll(() => numeric.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await numeric.getAttribute('aria-describedby')) ?? '';
    const message = await page.locator(`[id="${describedBy.split(' ').pop()}"]`).textContent();
    expect(message).toBe('Must be a number.');
    await screenshot(page, 'deploy-validation');
    await page.getByText('Preview YAML').click();
    await expect.poll(() => page.getByTestId('form-invalid').count()).toBe(1);
    await page.reload();
    await page.getByTestId('step-processing').waitFor();
    // Enter in a field previews; only the Deploy button changes the cluster.
    await page.locator('[data-testid="deploy-step-processing"] input').first().press('Enter');
    await page.getByTestId('deploy-preview').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('deploy-preview').textContent()).toContain('kind: Service');
    expect(await page.getByTestId('deploy-progress').count()).toBe(0);
    await screenshot(page, 'deploy');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
