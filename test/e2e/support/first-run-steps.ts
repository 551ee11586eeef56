// The front door's steps as a stranger takes them, shared by the first-run e2e files (the test run's playground and
// a private one) and the whole demo: Connect with the defaults, the Deploy screen's offer to create a namespace,
// "Deploy all" without touching a field, and Send with the sender's own defaults. Each step asserts what the user
// must see before the next one can be taken.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { openScreen, screenshot } from './browser';

/** Connect as it opens: the playground's context checks read-write; nothing is typed or chosen. */
export async function connectWithDefaults(page: Page, url: string): Promise<void> {
  await openScreen(page, url, 'connect', 'Connect');
  await expect
    .poll(() => page.getByTestId('context-check').textContent(), { timeout: 30_000 })
    .toContain('read-write');
}

/** Connect: the playground's context checks read-write, then `namespace` is typed (it need not exist yet). */
export async function connectTo(page: Page, url: string, namespace: string): Promise<void> {
  await connectWithDefaults(page, url);
  const input = page.getByTestId('namespace-input');
  await input.fill(namespace);
  await input.press('Enter');
  await expect.poll(() => page.getByTestId('current-context').textContent()).toContain(namespace);
}

/** Deploy: the screen says the namespace is missing and offers to create it; taking the offer clears that. */
export async function createOfferedNamespace(page: Page, url: string, shot?: string): Promise<void> {
  await openScreen(page, url, 'deploy', 'Deploy');
  const missing = page.getByTestId('namespace-missing');
  await missing.waitFor({ timeout: 30_000 });
  if (shot) await screenshot(page, shot);
  await page.getByTestId('create-namespace').click();
  await missing.waitFor({ state: 'detached', timeout: 30_000 });
}

/** "Deploy all" with the defaults applies every object of the three parts and offers the next step once Ready. */
export async function deployAll(page: Page, readyTimeout: number): Promise<void> {
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
  // The next step is offered once the Services are Ready (sending earlier only collects 503s).
  await page.getByTestId('deploy-all-next').waitFor({ timeout: readyTimeout });
}

/**
 * From Deploy all's next step to the Barrage screen, Send with the defaults to the HomePage just deployed into
 * `namespace`: barrage is accepted and processed comments reach the viewer. `onNoComments` runs before the failure
 * when none arrive.
 */
export async function sendWithDefaults(
  page: Page,
  namespace: string,
  timeout: number,
  onNoComments: () => Promise<unknown> = async () => {},
): Promise<void> {
  await page.getByTestId('deploy-all-next').click();
  await page.getByRole('heading', { level: 1, name: 'Barrage' }).waitFor();
  // The default target is the HomePage (the FC-class Service) Deploy all applied, once it has a URL — not another
  // namespace's HomePage (at "all namespaces" a leftover one once took the barrage and no comment came back).
  const chosen = page.locator('select[data-field="homepage"] option:checked');
  await expect
    .poll(async () => ((await chosen.count()) > 0 ? chosen.textContent() : ''), { timeout: 180_000 })
    .toMatch(
      new RegExp(
        `^barrage-homepage \\(FC\\) — http://barrage-homepage\\.${namespace}\\.svc.* \\(default\\)$`,
      ),
    );
  await page.getByTestId('send').click();
  await expect.poll(() => page.getByTestId('sender-state').textContent(), { timeout }).toBe('done');
  const accepted = Number(await page.getByTestId('sender-accepted').textContent());
  const refusals =
    (await page.getByTestId('sender-refusals').count()) > 0
      ? await page.getByTestId('sender-refusals').textContent()
      : '';
  expect(accepted, `accepted barrage (refusals: ${refusals})`).toBeGreaterThan(0);
  await expect
    .poll(async () => Number(await page.getByTestId('danmaku-received').textContent()), { timeout })
    .toBeGreaterThan(0)
    .catch(async (error: unknown) => {
      await onNoComments();
      throw error;
    });
}
