// The product's front door exactly as a stranger takes it, changing NO field at all — not even the namespace: Connect
// left at "all namespaces", the Deploy screen deploys into `default` and says so, "Deploy all" with the defaults,
// Send with the sender's defaults, then the Monitor (which follows `default` and offers the other namespaces in its
// toolbar), Workloads and Eventing (which follows `default` as well). HomePage must accept barrage, processed
// comments must reach the viewer, the Monitor must show processing's pods and HomePage's FC instances (from the FC
// API), Workloads both parts Ready, and Eventing the demo's KafkaSource Ready.
// Because it deploys into `default`, it runs on a private playground of its own (test/support/upstream-playground.ts,
// with Kafka), never the test run's shared one. Screenshots: artifacts/e2e/first-run-all-namespaces{,-monitor,
// -workloads,-eventing}.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upUpstreamPlayground, type UpstreamPlayground } from '../support/upstream-playground';
import { openScreen, screenshot } from './support/browser';
import { openConsole } from './support/console';
import { connectWithDefaults, deployAll, sendWithDefaults } from './support/first-run-steps';
import type { WebMode } from './support/web-mode';

describe('first run changing no field: Connect left at all namespaces', () => {
  let upstream: UpstreamPlayground;
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    upstream = await upUpstreamPlayground('e2e-first-run-all', undefined, { kafka: true });
  }, 900_000);
  // Registered after the playground's hooks: started after it is up, stopped before it is released.
  openConsole(
    { height: 1200, playgroundDir: () => upstream.info.dir },
    (opened) => ({ web, page, pageErrors } = opened),
  );

  afterAll(async () => {
    await upstream?.release();
  }, 300_000);

  it('deploys into default, sends, and shows barrage, pods and FC instances, with no field changed', async () => {
    await connectWithDefaults(page, web.url);
    await openScreen(page, web.url, 'deploy', 'Deploy');
    expect(await page.getByTestId('deploy-namespace-select').inputValue()).toBe('default');
    await deployAll(page, 240_000);
    // "Deploy all" makes sure the KafkaSource's topic exists (created, or left as it was where an earlier file on this
    // shared playground dir made it), so the source need not wait for the first barrage to turn Ready.
    expect(
      await page
        .getByTestId('deploy-all-progress')
        .locator('[data-object="Topic/barrage-info.default"]')
        .textContent(),
    ).toMatch(/applied (created|unchanged)$/);
    await sendWithDefaults(page, 'default', 90_000, () =>
      screenshot(page, 'first-run-all-namespaces-failed'),
    );
    await screenshot(page, 'first-run-all-namespaces');

    // Monitor: it follows `default` although Connect says all namespaces; processing ran as pods (Knative's KPA +
    // the virtual node), HomePage as FC instances (the FC API).
    await openScreen(page, web.url, 'monitor', 'Monitor');
    expect(await page.locator('#monitor-namespace').inputValue()).toBe('default');
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
    await screenshot(page, 'first-run-all-namespaces-monitor');

    // Workloads (every namespace: the private playground may hold earlier tests' namespaces, still terminating):
    // processing on ECI and HomePage on FC in `default`, both Ready.
    await openScreen(page, web.url, 'workloads', 'Workloads');
    const table = page.getByTestId('workloads-table');
    await expect
      .poll(() => table.locator('tbody tr[data-row-key="default/barrage-processing"]').textContent(), {
        timeout: 60_000,
      })
      .toMatch(/ECI.*True/);
    await expect
      .poll(() => table.locator('tbody tr[data-row-key="default/barrage-homepage"]').textContent(), {
        timeout: 60_000,
      })
      .toMatch(/FC.*True/);
    await screenshot(page, 'first-run-all-namespaces-workloads');

    // Eventing follows `default` too (it used to ask for a namespace on Connect): the demo's KafkaSource is Ready,
    // its topic made by "Deploy all".
    await openScreen(page, web.url, 'eventing', 'Eventing');
    expect(await page.locator('#eventing-namespace').inputValue()).toBe('default');
    await expect
      .poll(() => page.getByTestId('eventing-sources').locator('tbody tr').first().textContent(), {
        timeout: 60_000,
      })
      .toMatch(/^barrage-source.*barrage-info\.default.*True$/);
    await screenshot(page, 'first-run-all-namespaces-eventing');
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
