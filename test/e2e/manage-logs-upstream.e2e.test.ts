// The Logs tab of a Knative Service in the browser (issue 11) on the real stack, on a private upstream-mode playground
// (test/support/upstream-playground.ts: Knative's controller/autoscaler/activator, queue-proxy in every pod, the
// virtual node serving the kubelet API). Every line is prefixed with its pod and container, queue-proxy's own lines
// included; search and pause work. Since upstream serving is the default playground, manage-serving.e2e's Logs step
// checks the same on the test run's playground (and writes artifacts/e2e/manage-logs.png too): this file is
// redundant with it and goes once the default path is trusted.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReadyKsvc, probeKsvc } from '../support/knative-objects';
import { createUniqueNamespace, uniqueName } from '../support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from '../support/upstream-playground';
import { launchBrowser, openPage, openScreen, screenshot } from './support/browser';
import { startWebMode, type WebMode } from './support/web-mode';

describe('the logs of a Knative Service on upstream Knative Serving', () => {
  let upstream: UpstreamPlayground;
  let web: WebMode;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let namespace: { name: string; remove: () => Promise<void> };
  const name = uniqueName('logs').slice(0, 24);

  beforeAll(async () => {
    upstream = await upUpstreamPlayground('e2e-logs');
    const playground = upstream.info;
    namespace = await createUniqueNamespace(playground, 'e2e-logs');
    await applyReadyKsvc(
      playground,
      probeKsvc(name, namespace.name, { annotations: { 'autoscaling.knative.dev/min-scale': '1' } }),
    );
    web = await startWebMode({ playgroundDir: playground.dir });
    browser = await launchBrowser();
    ({ page, pageErrors } = await openPage(browser, { height: 1100 }));
    await openScreen(page, web.url, 'connect', 'Connect');
    const input = page.getByTestId('namespace-input');
    await input.fill(namespace.name);
    await input.press('Enter');
    await page.getByTestId('current-context').filter({ hasText: namespace.name }).waitFor();
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await namespace?.remove();
    await upstream?.release();
  }, 300_000);

  it('shows the logs of every pod and container, each line prefixed; search and pause', async () => {
    await openScreen(page, web.url, `workloads/${namespace.name}/${name}/revisions`, name);
    await page.getByTestId('tab-logs').click();
    const lines = page.getByTestId('logs-lines');
    await expect.poll(() => lines.textContent(), { timeout: 60_000 }).toMatch(/queue-proxy/);
    const text = (await lines.textContent()) ?? '';
    expect(text).toMatch(new RegExp(`${name}-00001-deployment-[\\w-]+/queue-proxy`));
    expect(text).toMatch(new RegExp(`${name}-00001-deployment-[\\w-]+/user-container`));
    expect(text).toContain('probe listening on 127.0.0.1:8080');
    await page.getByTestId('logs-pause').click();
    expect(await page.getByTestId('logs-pause').textContent()).toMatch(/Resume/);
    await page.getByTestId('logs-search').fill('queue');
    await expect.poll(() => page.getByTestId('logs-panel').textContent()).toMatch(/match “queue”/);
    await screenshot(page, 'manage-logs');
    await page.getByTestId('logs-pause').click();
    expect(pageErrors).toEqual([]);
  });
});
