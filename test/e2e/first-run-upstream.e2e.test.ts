// The product's front door on the upstream serving mode (test/support/upstream-playground.ts with Kafka: upstream
// Knative Serving, our KIngress, the kafka-source part, the fc part that turns FC-class Services into FC functions):
// the same steps as first-run.e2e.test.ts — Connect with the defaults, type a namespace that does not exist yet,
// create it when the Deploy screen offers to, "Deploy all" without touching a field, Send with the sender's own
// defaults — on a private upstream-mode playground. No field other than the namespace is changed. HomePage must
// accept barrage and processed comments must reach the viewer; the Monitor must show processing's pods and
// HomePage's FC instances (from the FC API), and Workloads both parts Ready. Screenshot:
// artifacts/e2e/first-run-upstream.png.
import { CoreV1Api } from '@kubernetes/client-node';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor, uniqueName } from '../support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from '../support/upstream-playground';
import { launchBrowser, openPage, openScreen, screenshot } from './support/browser';
import { startWebMode, type WebMode } from './support/web-mode';

describe('first run with the defaults on upstream Knative Serving', () => {
  let upstream: UpstreamPlayground;
  let web: WebMode;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  // Not created here: the console must offer to create it.
  const namespace = uniqueName('e2e-first-up');

  beforeAll(async () => {
    upstream = await upUpstreamPlayground('e2e-first-run', undefined, { kafka: true });
    web = await startWebMode({ playgroundDir: upstream.info.dir });
    browser = await launchBrowser();
    ({ page, pageErrors } = await openPage(browser, { height: 1200 }));
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    if (upstream) {
      await kubeConfigFor(upstream.info, 'admin')
        .makeApiClient(CoreV1Api)
        .deleteNamespace({ name: namespace })
        .catch(() => {});
      await upstream.release();
    }
  }, 300_000);

  it('deploys everything with the defaults, sends with the defaults, and shows barrage, pods and FC instances', async () => {
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
    await page.getByTestId('create-namespace').click();
    await missing.waitFor({ state: 'detached', timeout: 30_000 });

    await page.getByTestId('deploy-all').click();
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
    expect(await page.getByTestId('deploy-all-progress-summary').textContent()).toMatch(
      /^3 of 3 parts, (\d+) of \1 objects applied$/,
    );
    await page.getByTestId('deploy-all-next').waitFor({ timeout: 240_000 });
    await page.getByTestId('deploy-all-next').click();
    await page.getByRole('heading', { level: 1, name: 'Barrage' }).waitFor();
    await expect
      .poll(
        async () =>
          (await page.locator('[data-field="homepage"]').count()) > 0
            ? page.locator('[data-field="homepage"]').textContent()
            : '',
        { timeout: 180_000 },
      )
      .toContain('barrage-homepage (FC)');
    await page.getByTestId('send').click();
    await expect.poll(() => page.getByTestId('sender-state').textContent(), { timeout: 90_000 }).toBe('done');
    const accepted = Number(await page.getByTestId('sender-accepted').textContent());
    const refusals =
      (await page.getByTestId('sender-refusals').count()) > 0
        ? await page.getByTestId('sender-refusals').textContent()
        : '';
    expect(accepted, `accepted barrage (refusals: ${refusals})`).toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.getByTestId('danmaku-received').textContent()), { timeout: 90_000 })
      .toBeGreaterThan(0)
      .catch(async (error: unknown) => {
        await screenshot(page, 'first-run-upstream-failed');
        throw error;
      });
    await screenshot(page, 'first-run-upstream');

    // Monitor: processing ran as pods (upstream KPA + the virtual node), HomePage as FC instances (the FC API).
    await openScreen(page, web.url, 'monitor', 'Monitor');
    await expect
      .poll(async () => Number(await page.getByTestId('peak-barrage-processing').textContent()), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await expect
      .poll(async () => Number(await page.getByTestId('peak-barrage-homepage').textContent()), {
        timeout: 60_000,
      })
      .toBeGreaterThan(0);
    await screenshot(page, 'first-run-upstream-monitor');

    // Workloads: processing on ECI and HomePage on FC, both Ready.
    await openScreen(page, web.url, 'workloads', 'Workloads');
    const table = page.getByTestId('workloads-table');
    await expect
      .poll(() => table.locator('tbody tr', { hasText: 'barrage-processing' }).textContent(), {
        timeout: 60_000,
      })
      .toMatch(/ECI.*True/);
    await expect
      .poll(() => table.locator('tbody tr', { hasText: 'barrage-homepage' }).textContent(), {
        timeout: 60_000,
      })
      .toMatch(/FC.*True/);
    await screenshot(page, 'first-run-upstream-workloads');
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
