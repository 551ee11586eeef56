// The product's front door on a private playground (test/support/upstream-playground.ts with Kafka: upstream
// Knative Serving, our KIngress, the kafka-source part, the fc part that turns FC-class Services into FC functions):
// the same steps as first-run.e2e.test.ts — Connect with the defaults, type a namespace that does not exist yet,
// create it when the Deploy screen offers to, "Deploy all" without touching a field, Send with the sender's own
// defaults — on that private playground. No field other than the namespace is changed. HomePage must
// accept barrage and processed comments must reach the viewer; the Monitor must show processing's pods and
// HomePage's FC instances (from the FC API), and Workloads both parts Ready. Screenshot:
// artifacts/e2e/first-run-upstream.png.
import { CoreV1Api } from '@kubernetes/client-node';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeConfigFor, uniqueName } from '../support/unique';
import { upUpstreamPlayground, type UpstreamPlayground } from '../support/upstream-playground';
import { openScreen, screenshot } from './support/browser';
import { openConsole } from './support/console';
import { connectTo, createOfferedNamespace, deployAll, sendWithDefaults } from './support/first-run-steps';
import type { WebMode } from './support/web-mode';

describe('first run with the defaults on upstream Knative Serving', () => {
  let upstream: UpstreamPlayground;
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  // Not created here: the console must offer to create it.
  const namespace = uniqueName('e2e-first-up');

  beforeAll(async () => {
    upstream = await upUpstreamPlayground('e2e-first-run', undefined, { kafka: true });
  }, 900_000);
  // Registered after the playground's hooks: started after it is up, stopped before it is released.
  openConsole(
    { height: 1200, playgroundDir: () => upstream.info.dir },
    (opened) => ({ web, page, pageErrors } = opened),
  );

  afterAll(async () => {
    if (upstream) {
      await kubeConfigFor(upstream.info, 'admin')
        .makeApiClient(CoreV1Api)
        .deleteNamespace({ name: namespace })
        .catch(() => {});
      await upstream.release();
    }
  }, 300_000);

  it('deploys everything with the defaults, sends with the defaults, and shows barrage, pods and FC instances', async () => {
    await connectTo(page, web.url, namespace);
    await createOfferedNamespace(page, web.url);
    await deployAll(page, 240_000);
    await sendWithDefaults(page, 90_000, () => screenshot(page, 'first-run-upstream-failed'));
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
