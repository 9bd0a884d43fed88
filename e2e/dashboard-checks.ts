import { afterAll, beforeAll, expect } from 'vitest';
import type { Browser } from 'playwright-core';
import { chartColors, launchBrowser, mapColors, type WatchedPage } from './browser.ts';

/** One Chromium for the test file that calls this (launched before its tests, closed after); read it inside a test. */
export function useFileBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('Chromium is not launched yet: call the getter inside a test');
    return browser;
  };
}

/** The tests that walk through several screens; a loaded 2-core machine needs minutes for them. */
export const LONG_TEST_MS = 300_000;

/**
 * The map drew real data: at least three distinct colours besides the background (the most
 * frequent one), and the background does not fill the map. Sparse demo data can put every unit
 * in two or three classes, so this asks for "several", not for a full ramp. A map panel much
 * wider than the unit's shape (a splice wall) leaves more background: its caller raises the bound.
 */
export async function expectMapDrawn(watched: WatchedPage, maxBackgroundShare = 0.85) {
  const colors = await mapColors(watched.page);
  const background = colors[0]!;
  expect(colors.length, `map colours: ${JSON.stringify(colors.slice(0, 8))}`).toBeGreaterThanOrEqual(4);
  expect(background.share, 'the background must not fill the map').toBeLessThan(maxBackgroundShare);
}

export async function expectChartDrawn(watched: WatchedPage) {
  const count = await watched.page.locator('[data-testid=chart] svg').count();
  expect(count).toBeGreaterThan(0);
  const colors = await chartColors(watched.page, 0);
  expect(colors.length, `chart colours: ${JSON.stringify(colors.slice(0, 6))}`).toBeGreaterThanOrEqual(3);
}

export function expectNoErrors(watched: WatchedPage, readinessErrors: string[]) {
  expect(watched.errors, watched.errors.join('\n')).toEqual([]);
  expect(readinessErrors, readinessErrors.join('\n')).toEqual([]);
}
