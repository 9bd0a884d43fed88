/** Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core, plus dashboard helpers. */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { decodePng, dominantColors } from './png.ts';

export const OUTPUT_DIR = resolve(import.meta.dirname, '..', 'test-output');
export const DEMO_PASSWORD = 'cityops2026';

/** Flags that give WebGL2 through SwiftShader without a GPU (see ENVIRONMENT.md). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** console.error messages and uncaught exceptions seen so far. */
  errors: string[];
}

export async function openPage(browser: Browser, viewport = { width: 1920, height: 1080 }): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { context, page, errors };
}

export async function login(page: Page, username: string): Promise<void> {
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
}

export interface Readiness {
  mapIdle: boolean;
  deckRendered: boolean;
  chartsRendered: number;
  mapUnits: string[];
  errors: string[];
}

/** Waits for the dashboard's readiness signal: map idle, deck.gl drew the data, charts finished. */
export async function waitForDashboard(
  page: Page,
  minCharts: number,
  { unitCodeLength = 0, timeout = 60_000 }: { unitCodeLength?: number; timeout?: number } = {},
): Promise<Readiness> {
  await page.waitForFunction(
    ({ charts, codeLength }) => {
      const s = (window as unknown as { __cityops?: Readiness }).__cityops;
      return (
        !!s &&
        s.mapIdle &&
        s.deckRendered &&
        s.chartsRendered >= charts &&
        s.mapUnits.length > 0 &&
        (codeLength === 0 || s.mapUnits[0]!.length === codeLength)
      );
    },
    { charts: minCharts, codeLength: unitCodeLength },
    { timeout, polling: 200 },
  );
  // One more frame pair so the composited screenshot holds the final frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => (window as unknown as { __cityops: Readiness }).__cityops);
}

/** Distinct colours covering ≥ `minShare` (0.2 %) of the map element each (quantised to 4 bits/channel). */
export async function mapColors(page: Page, minShare = 0.002): Promise<{ color: string; share: number }[]> {
  const png = await page.locator('[data-testid=map]').first().screenshot();
  return dominantColors(decodePng(png), minShare);
}

export async function chartColors(page: Page, index = 0): Promise<{ color: string; share: number }[]> {
  const png = await page.locator('[data-testid=chart]').nth(index).screenshot();
  return dominantColors(decodePng(png), 0.0005);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
