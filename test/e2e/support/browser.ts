// Debian's Chromium through playwright-core (no bundled browser download), and screenshots kept as test
// artifacts under artifacts/e2e/.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const repoRoot = join(import.meta.dirname, '..', '..', '..');
export const screenshotDir = join(repoRoot, 'artifacts', 'e2e');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A fresh page (own storage, so no session leaks between tests) that records page errors. */
export async function openPage(
  browser: Browser,
  options: { theme?: 'light' | 'dark'; height?: number } = {},
): Promise<{ page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: options.height ?? 960 },
    colorScheme: options.theme ?? 'light',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { page, pageErrors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Opens a screen by its route and waits for its heading to be there. */
export async function openScreen(
  page: Page,
  url: string,
  route: string,
  heading: RegExp | string,
): Promise<void> {
  await page.goto(url.includes('#') ? url.replace(/#.*$/, `#/${route}`) : `${url}#/${route}`);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** What the Monitor's Export JSON writes: its raw series by key, and the sender's seconds. */
export interface MonitorExport {
  namespace: string;
  series: Record<string, { t: number; v: number }[]>;
  sender: { at: number }[];
}

/** Clicks the Monitor's Export JSON and reads the downloaded file. */
export async function exportMonitorJson(page: Page): Promise<MonitorExport> {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-json').click(),
  ]);
  return JSON.parse(await readFile((await download.path()) as string, 'utf8')) as MonitorExport;
}
