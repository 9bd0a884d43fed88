import { describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, openPage, waitForDashboard } from './browser.ts';
import { LONG_TEST_MS, useFileBrowser, expectNoErrors } from './dashboard-checks.ts';

const baseUrl = inject('baseUrl');
const browser = useFileBrowser();

/** deck's canvas, read back whole (RGBA, bottom row first) once the dashboard is drawn. */
async function deckPixels(page: Page): Promise<{ width: number; height: number; pixels: Buffer }> {
  const read = await page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=map] .co-map-deck canvas')!;
    const gl = canvas.getContext('webgl2')!;
    const pixels = new Uint8Array(canvas.width * canvas.height * 4);
    gl.readPixels(0, 0, canvas.width, canvas.height, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    let binary = '';
    for (let i = 0; i < pixels.length; i += 8192) binary += String.fromCharCode(...pixels.subarray(i, i + 8192));
    return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
  });
  return { width: read.width, height: read.height, pixels: Buffer.from(read.base64, 'base64') };
}

async function drawnMap(app: string, user: string, query: string, points: boolean) {
  const watched = await openPage(browser());
  try {
    const signedIn = await watched.context.request.post(`${baseUrl}/api/trpc/auth.login`, { data: { username: user, password: DEMO_PASSWORD } });
    expect(signedIn.ok()).toBe(true);
    await watched.page.goto(`${baseUrl}/${app}/${query}`);
    const ready = await waitForDashboard(watched.page, 1);
    if (points) {
      // The event points come after the first paint: wait for them, and for deck to draw them.
      await watched.page.waitForFunction(() => ((window as unknown as { __cityops?: { eventPoints: number } }).__cityops?.eventPoints ?? 0) > 0, undefined, { timeout: 60_000, polling: 200 });
      await watched.page.waitForTimeout(1_000);
      await watched.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    expectNoErrors(watched, ready.errors);
    return { units: ready.mapUnits, ...(await deckPixels(watched.page)) };
  } finally {
    await watched.context.close();
  }
}

/**
 * The lean shaders (packages/ui/src/map/lean-layers.ts) must draw what deck's own GeoJsonLayer
 * fill, LineLayer and ScatterplotLayer draw, pixel for pixel: at city and district zoom (deck's
 * plain Web Mercator projection) and at street and community zoom (its offset mode, 64-bit low
 * parts), event points included.
 */
describe('lean map layers', () => {
  const views = [
    { name: 'city, all districts', app: 'city-command', user: 'city', query: '', points: false },
    { name: '锦江区, its streets', app: 'district-hub', user: 'jinjiang', query: '', points: false },
    { name: '锦官驿街道, its communities and event points', app: 'district-hub', user: 'jinjiang', query: '?unit=510104017', points: true },
    { name: 'a community, its grids and event points', app: 'district-hub', user: 'jinjiang', query: '?unit=510104017001', points: true },
    { name: 'the street desk, its communities and event points', app: 'street-disposal', user: 'jgy', query: '', points: true },
  ];
  for (const view of views) {
    it(
      `draw the same pixels as deck's own layers: ${view.name}`,
      async () => {
        const lean = await drawnMap(view.app, view.user, view.query, view.points);
        const stock = await drawnMap(view.app, view.user, `${view.query}${view.query ? '&' : '?'}stockLayers`, view.points);
        expect(lean.units).toEqual(stock.units);
        expect([lean.width, lean.height]).toEqual([stock.width, stock.height]);
        // Something was drawn: many distinct colours on the map, not a blank canvas.
        const colours = new Set<number>();
        for (let i = 0; i < lean.pixels.length; i += 4 * 97) colours.add(lean.pixels.readUInt32LE(i));
        expect(colours.size).toBeGreaterThan(5);
        let differing = 0;
        for (let i = 0; i < lean.pixels.length; i += 4) if (lean.pixels.readUInt32LE(i) !== stock.pixels.readUInt32LE(i)) differing += 1;
        expect(differing, `${differing} of ${lean.pixels.length / 4} pixels differ`).toBe(0);
      },
      LONG_TEST_MS,
    );
  }
});
