// The whole barrage demo through the console, as a user would do it, against web mode and the playground (real
// kube-apiserver and Kafka, Knative Serving with pods on the virtual node, our KafkaSource dispatcher as a real
// consumer, and FC-class Services behind the FC double): connect, deploy processing → event-driven → HomePage,
// send barrage for 20 s at concurrency 20, see processing pods rise above 1 and return to 0, lag rise and fall,
// and comments appear in the viewer. Screenshots of each stage go to artifacts/e2e/demo-*.png.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createUniqueNamespace, uniqueGroup, uniqueTopic } from '../support/unique';
import { exportMonitorJson, openScreen, screenshot } from './support/browser';
import { openConsole } from './support/console';
import { connectTo } from './support/first-run-steps';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');
const runtimeRuns = typeof playground.ingress === 'string' && typeof playground.fc === 'object';

describe('the whole barrage demo', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({ height: 1100 }, (opened) => ({ web, page, pageErrors } = opened));
  let namespace: { name: string; remove: () => Promise<void> };
  const topic = uniqueTopic('demo');
  const group = uniqueGroup('demo');

  beforeAll(async () => {
    // The demo needs the KIngress gateway and the FC double; a playground without them is a failure, not a skip.
    expect(runtimeRuns, 'the playground publishes its ingress and FC endpoint').toBe(true);
    namespace = await createUniqueNamespace(playground, 'e2e-demo');
  });

  afterAll(async () => {
    // Undeploy through the console would be the user's way; here the namespace goes, which removes it all.
    await namespace?.remove();
  });

  async function setField(name: string, value: string): Promise<void> {
    const field = page.locator(`[data-field="${name}"]`);
    if ((await field.count()) === 0) return;
    const tag = await field.evaluate((element) => element.tagName);
    if (tag === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }

  async function deployPart(part: string): Promise<void> {
    await page.getByTestId(`step-${part}`).click();
    const step = page.getByTestId(`deploy-step-${part}`);
    await step.waitFor();
    // Point every part at the playground's broker, this run's topic and group.
    await setField('kafkaServers', playground.kafkaBrokers.join(','));
    await setField('kafkaTopic', topic);
    await setField('consumerGroup', group);
    await setField('initialOffset', 'earliest');
    await step.getByTestId('deploy-apply').click();
    const progress = step.getByTestId('deploy-progress');
    await expect
      .poll(
        async () =>
          (await step.getByTestId('deploy-error').count()) > 0 ? 'failed' : progress.textContent(),
        {
          timeout: 120_000,
        },
      )
      .toMatch(/done|failed/);
    if ((await step.getByTestId('deploy-error').count()) > 0) {
      throw new Error(`deploying ${part} failed: ${await step.getByTestId('deploy-error').textContent()}`);
    }
    await screenshot(page, `demo-deploy-${part}`);
  }

  it('connects, deploys the three parts in order, sends barrage, and shows scaling, lag and comments', async () => {
    // Connect: the playground's admin context and this run's namespace.
    await connectTo(page, web.url, namespace.name);
    await screenshot(page, 'demo-connect');

    // Deploy in dependency order.
    await openScreen(page, web.url, 'deploy', 'Deploy');
    for (const part of ['processing', 'event-driven', 'homepage']) await deployPart(part);

    // The three parts appear as workloads: processing on ECI, HomePage on FC.
    await openScreen(page, web.url, 'workloads', 'Workloads');
    const table = page.getByTestId('workloads-table');
    await expect
      .poll(() => table.textContent(), { timeout: 120_000 })
      .toMatch(/barrage-processing[\s\S]*True/);
    await expect
      .poll(() => table.locator('tbody tr', { hasText: 'barrage-homepage' }).textContent(), {
        timeout: 120_000,
      })
      .toMatch(/FC.*True/);
    await screenshot(page, 'demo-workloads');

    // Send barrage: 20 s at concurrency 20 to HomePage (the FC-class Service is the default target).
    await openScreen(page, web.url, 'barrage', 'Barrage');
    await page.locator('[data-field="concurrency"]').fill('20');
    await page.locator('[data-field="durationSeconds"]').fill('20');
    await page.getByTestId('send').click();
    await expect
      .poll(() => page.getByTestId('sender-state').textContent(), { timeout: 10_000 })
      .toBe('running');
    await expect
      .poll(async () => Number(await page.getByTestId('danmaku-received').textContent()), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.waitForTimeout(3000);
    await screenshot(page, 'demo-barrage');
    const receivedBeforeMonitor = Number(await page.getByTestId('danmaku-received').textContent());

    // Monitor: processing scales out above 1 pod and the lag rises while the load runs.
    const monitorOpenedAt = Date.now();
    await openScreen(page, web.url, 'monitor', 'Monitor');
    // Its pods line starts with the sender, not now: the engine kept the namespace's series while the run sent, and
    // the Monitor got that history first (the raw series, through Export JSON).
    await page.getByTestId('ready-barrage-processing').waitFor({ timeout: 30_000 });
    const exported = await exportMonitorJson(page);
    const firstPod = exported.series['pods:barrage-processing:ready']?.[0]?.t ?? Infinity;
    expect(firstPod, 'the first pods point is from before the Monitor opened').toBeLessThan(
      monitorOpenedAt - 2000,
    );
    // Sampled each second from the send's start, as the sender's own seconds are.
    expect(firstPod, "the first pods point is from the run's first seconds").toBeLessThanOrEqual(
      (exported.sender[0]?.at ?? 0) + 1500,
    );
    // A one-minute window: the run is 20 s, so the screenshots show its shape rather than a sliver of five minutes.
    await page.locator('#monitor-window').selectOption('60');
    const peak = page.getByTestId('peak-barrage-processing');
    await expect.poll(async () => Number(await peak.textContent()), { timeout: 120_000 }).toBeGreaterThan(1);
    await expect
      .poll(async () => Number(await page.getByTestId('lag-peak').textContent()), { timeout: 120_000 })
      .toBeGreaterThan(0);
    await screenshot(page, 'demo-monitor-scaling');

    // After the load: the lag drains to 0, and processing scales back to zero (stable window + grace period).
    await expect
      .poll(async () => Number(await page.getByTestId('lag-total').textContent()), { timeout: 180_000 })
      .toBe(0);
    await expect
      .poll(async () => Number(await page.getByTestId('ready-barrage-processing').textContent()), {
        timeout: 300_000,
        interval: 2000,
      })
      .toBe(0);
    // Five minutes: the whole run, the scale-up and the return to zero on one timeline.
    await page.locator('#monitor-window').selectOption('300');
    await screenshot(page, 'demo-monitor-after');

    // Back on the Barrage screen, the viewer is still connected and kept its count (it used to start over at 0).
    await openScreen(page, web.url, 'barrage', 'Barrage');
    await expect.poll(() => page.getByTestId('viewer-state').textContent(), { timeout: 10_000 }).toBe('open');
    const receivedAfter = Number(await page.getByTestId('danmaku-received').textContent());
    expect(receivedAfter).toBeGreaterThan(receivedBeforeMonitor);
    // What came meanwhile is said to have arrived off screen (counted, not drawn), and is no more than came.
    const offScreen = Number(await page.getByTestId('danmaku-off-screen').textContent());
    expect(offScreen).toBeGreaterThan(0);
    expect(offScreen).toBeLessThanOrEqual(receivedAfter - receivedBeforeMonitor);
    await screenshot(page, 'demo-barrage-after-monitor');
    expect(pageErrors).toEqual([]);
  }, 900_000);
});
