// What a user sees when things are wrong, against the real engine and the playground: a read-only context, a
// wrong Function Compute key (the playground's FC double checks signatures like FC does), and Kafka that cannot be
// reached. Each shows a clear error where the user acted, loses nothing typed, and the app keeps working.
import { createServer } from 'node:net';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { openScreen, screenshot } from './support/browser';
import { openConsole } from './support/console';
import type { WebMode } from './support/web-mode';

const playground = inject('playground');

interface FcInfo {
  accountId: string;
  accessKeyId: string;
  region: string;
  endpoint: string;
}

/** A port nothing listens on: bound once to get a free number, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('error paths', () => {
  let web: WebMode;
  let page: Page;
  let pageErrors: string[];
  openConsole({}, (opened) => ({ web, page, pageErrors } = opened));

  it('read-only context: the badge says so and a deploy is refused with the API server’s reason', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    const viewerRow = page
      .getByTestId('contexts-table')
      .locator('tbody tr', { hasText: playground.contexts.viewer });
    await viewerRow.click();
    const input = page.getByTestId('namespace-input');
    await input.fill(playground.viewerNamespace);
    await input.press('Enter');
    await expect
      .poll(() => page.getByTestId('context-check').textContent(), { timeout: 30_000 })
      .toContain('read-only');
    expect(await page.getByTestId('access-badge').textContent()).toBe('read-only');
    expect(await page.getByTestId('access-summary').textContent()).toMatch(/read-only/i);
    await screenshot(page, 'error-read-only-connect');

    await openScreen(page, web.url, 'deploy', 'Deploy');
    await page.getByTestId('read-only-warning').waitFor();
    await page.locator('[data-testid^="step-"]').first().waitFor();
    await page.getByTestId('deploy-apply').click();
    const error = page.getByTestId('deploy-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toMatch(/forbidden/i);
    await screenshot(page, 'error-read-only-deploy');
  });

  it('wrong FC key: the check names FC’s error and the typed profile stays', async () => {
    const fc = playground.fc as FcInfo | undefined;
    expect(fc, 'the playground publishes its FC endpoint (fc.json)').toBeDefined();
    await openScreen(page, web.url, 'connect', 'Connect');
    const form = page.getByTestId('fc-profile-form');
    await form.locator('[data-field="name"]').fill('wrong-key');
    await form.locator('[data-field="accountId"]').fill((fc as FcInfo).accountId);
    await form.locator('[data-field="region"]').fill((fc as FcInfo).region);
    await form.locator('[data-field="endpoint"]').fill((fc as FcInfo).endpoint);
    await form.locator('[data-field="accessKeyId"]').fill((fc as FcInfo).accessKeyId);
    await form.locator('[data-field="accessKeySecret"]').fill('definitely-not-the-secret');
    await form.getByText('Save FC profile').click();
    const row = page.getByTestId('fc-profiles-table').locator('tbody tr', { hasText: 'wrong-key' });
    await row.waitFor();
    await page.getByTestId('fc-test-wrong-key').click();
    const result = page.getByTestId('fc-test-result');
    await expect
      .poll(() => result.textContent(), { timeout: 30_000 })
      .toMatch(/SignatureNotMatch|InvalidAccessKeyID/);
    expect(await result.getAttribute('role')).toBe('alert');
    await screenshot(page, 'error-wrong-fc-key');
  });

  it('Kafka down: the check reports the broker unreachable and the console stays usable', async () => {
    const port = await closedPort();
    await openScreen(page, web.url, 'connect', 'Connect');
    const form = page.getByTestId('kafka-profile-form');
    await form.locator('[data-field="name"]').fill('kafka-down');
    await form.locator('[data-field="brokers"]').fill(`127.0.0.1:${port}`);
    await form.getByText('Save Kafka profile').click();
    await page.getByTestId('kafka-profiles-table').locator('tbody tr', { hasText: 'kafka-down' }).waitFor();
    await page.getByTestId('kafka-test-kafka-down').click();
    const result = page.getByTestId('kafka-test-result');
    await expect.poll(() => result.textContent(), { timeout: 90_000 }).toMatch(/^(unreachable|timeout):/);
    await screenshot(page, 'error-kafka-down');
    // The rest of the console still answers.
    await page.keyboard.press('Alt+2');
    await page.getByRole('heading', { level: 1, name: 'Workloads' }).waitFor();
  });

  it('a bad Kafka broker address is refused next to the field before anything is saved', async () => {
    await openScreen(page, web.url, 'connect', 'Connect');
    const form = page.getByTestId('kafka-profile-form');
    await form.locator('[data-field="name"]').fill('typo');
    await form.locator('[data-field="brokers"]').fill('not a broker');
    await form.getByText('Save Kafka profile').click();
    const brokers = form.locator('[data-field="brokers"]');
    await expect.poll(() => brokers.getAttribute('aria-invalid')).toBe('true');
    expect(await brokers.inputValue()).toBe('not a broker');
    expect(
      await page.getByTestId('kafka-profiles-table').locator('tbody tr', { hasText: 'typo' }).count(),
    ).toBe(0);
    await screenshot(page, 'error-kafka-broker-field');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
