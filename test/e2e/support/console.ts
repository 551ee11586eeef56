// The console as an e2e file uses it: web mode (the real engine) started before the file's tests, Debian's
// Chromium with one fresh page that records page errors, both closed after the tests.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, openPage, openScreen } from './browser';
import { startWebMode, type WebMode } from './web-mode';

export interface OpenConsole {
  web: WebMode;
  page: Page;
  pageErrors: string[];
}

/**
 * Registers the start (beforeAll) and stop (afterAll) of the console; `onOpen` receives it once it runs. A
 * `playgroundDir` function is read when the console starts, so a playground started by an earlier beforeAll of
 * the file (a private upstream one) can be named.
 */
export function openConsole(
  options: { height?: number; playgroundDir?: string | (() => string) },
  onOpen: (opened: OpenConsole) => void,
): void {
  const started: { web?: WebMode; close?: () => Promise<void> } = {};
  beforeAll(async () => {
    const dir = typeof options.playgroundDir === 'function' ? options.playgroundDir() : options.playgroundDir;
    const web = await startWebMode(dir ? { playgroundDir: dir } : {});
    started.web = web;
    const browser = await launchBrowser();
    started.close = () => browser.close();
    const { page, pageErrors } = await openPage(browser, options.height ? { height: options.height } : {});
    onOpen({ web, page, pageErrors });
  });
  afterAll(async () => {
    await started.close?.();
    await started.web?.stop();
  });
}

/** Picks a namespace on the Connect screen, as a user does, and waits until the top bar shows it. */
export async function chooseNamespace(page: Page, url: string, namespace: string): Promise<void> {
  await openScreen(page, url, 'connect', 'Connect');
  const input = page.getByTestId('namespace-input');
  await input.fill(namespace);
  await input.press('Enter');
  // Not expect.poll: this helper also runs in beforeAll hooks, where vitest refuses expect.poll.
  await page.waitForFunction(
    (ns) => document.querySelector('[data-testid="current-context"]')?.textContent?.includes(ns) ?? false,
    namespace,
    { timeout: 10_000 },
  );
}
