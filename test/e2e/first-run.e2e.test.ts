// The product's front door, as a stranger uses it: connect to the playground, type a namespace that does not exist
// yet, create it when the Deploy screen offers to, press "Deploy all" without touching a single field, open the
// Barrage screen and press Send with the sender's own defaults. HomePage must accept barrage (accepted > 0) and
// processed comments must reach the viewer. No field other than the namespace is changed here, on purpose: the
// other e2e tests set Kafka fields themselves, which once hid a default that pointed at the wrong broker.
// Screenshots go to artifacts/e2e/first-run-*.png.
import { CoreV1Api } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { kubeConfigFor, uniqueName } from '../support/unique';
import { openScreen, screenshot } from './support/browser';
import { openConsole } from './support/console';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');

describe('first run with the defaults', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({ height: 1200 }, (opened) => ({ web, page, pageErrors } = opened));
  // Not created here: the console must offer to create it.
  const namespace = uniqueName('e2e-first-run');

  afterAll(async () => {
    await kubeConfigFor(playground, 'admin')
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: namespace })
      .catch(() => {});
  });

  it('deploys everything with the defaults, sends with the defaults, and shows accepted barrage and comments', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    await expect
      .poll(() => page.getByTestId('context-check').textContent(), { timeout: 30_000 })
      .toContain('read-write');
    const input = page.getByTestId('namespace-input');
    await input.fill(namespace);
    await input.press('Enter');
    await expect.poll(() => page.getByTestId('current-context').textContent()).toContain(namespace);

    await openScreen(page, web.url, 'deploy', 'Deploy');
    const missing = page.getByTestId('namespace-missing');
    await missing.waitFor({ timeout: 30_000 });
    await screenshot(page, 'first-run-namespace-missing');
    await page.getByTestId('create-namespace').click();
    await missing.waitFor({ state: 'detached', timeout: 30_000 });

    await page.getByTestId('deploy-all').click();
    const summary = page.getByTestId('deploy-all-progress-summary');
    await expect
      .poll(
        async () =>
          (await page.getByTestId('deploy-all-error').count()) > 0
            ? `failed: ${await page.getByTestId('deploy-all-error').textContent()}`
            : await page.getByTestId('deploy-all-progress').textContent(),
        { timeout: 180_000 },
      )
      .toMatch(/Apply: done|failed/);
    expect(await page.getByTestId('deploy-all-error').count()).toBe(0);
    expect(await summary.textContent()).toMatch(/^3 of 3 parts, (\d+) of \1 objects applied$/);
    // The next step is offered once the Services are Ready (sending earlier only collects 503s).
    await page.getByTestId('deploy-all-next').waitFor({ timeout: 180_000 });
    await screenshot(page, 'first-run-deploy-all');
    await page.getByTestId('deploy-all-next').click();
    await page.getByRole('heading', { level: 1, name: 'Barrage' }).waitFor();
    // The HomePage (the FC-class Service) is the default target once it has a URL; Send needs it.
    await expect
      .poll(
        async () =>
          (await page.locator('[data-field="homepage"]').count()) > 0
            ? page.locator('[data-field="homepage"]').textContent()
            : '',
        {
          timeout: 180_000,
        },
      )
      .toContain('barrage-homepage (FC)');
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('sender-state').textContent(), { timeout: 60_000 }).toBe('done');
    const accepted = Number(await page.getByTestId('sender-accepted').textContent());
    const refusals =
      (await page.getByTestId('sender-refusals').count()) > 0
        ? await page.getByTestId('sender-refusals').textContent()
        : '';
    expect(accepted, `accepted barrage (refusals: ${refusals})`).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.getByTestId('danmaku-received').textContent()), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await screenshot(page, 'first-run-barrage');
    expect(pageErrors).toEqual([]);
  }, 600_000);
});
