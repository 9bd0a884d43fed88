import { describe, expect, inject, it } from 'vitest';
import {
  DEMO_PASSWORD,
  login,
  mapColors,
  openPage,
  screenshot,
  waitForDashboard,
} from './browser.ts';
import { LONG_TEST_MS, useFileBrowser, expectMapDrawn, expectChartDrawn, expectNoErrors } from './dashboard-checks.ts';
import { decodePng, dominantColors } from './png.ts';
import { readFileSync } from 'node:fs';

const baseUrl = inject('baseUrl');
const browser = useFileBrowser();

describe('district-hub (区级运行中心)', () => {
  it("shows only 锦江区's streets to the 锦江区 analyst and drills into a street", async () => {
    const watched = await openPage(browser());
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

  it('a signed-in cold load takes the first screen, the index ranking and the unit from the boot module, each request once, on a map sized once', async () => {
    const watched = await openPage(browser());
    try {
      const signedIn = await watched.context.request.post(`${baseUrl}/api/trpc/auth.login`, { data: { username: 'jinjiang', password: DEMO_PASSWORD } });
      expect(signedIn.ok()).toBe(true);
      const trpcCalls: string[] = [];
      watched.page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname.startsWith('/api/trpc/')) trpcCalls.push(...url.pathname.slice('/api/trpc/'.length).split(','));
      });
      // Every drawing-buffer size deck's canvas had (luma.gl sets canvas.width/height on a resize).
      await watched.page.addInitScript(() => {
        const sizes: string[] = [];
        (window as unknown as { __deckCanvasSizes: string[] }).__deckCanvasSizes = sizes;
        for (const prop of ['width', 'height'] as const) {
          const native = Object.getOwnPropertyDescriptor(HTMLCanvasElement.prototype, prop)!;
          Object.defineProperty(HTMLCanvasElement.prototype, prop, {
            configurable: true,
            get() {
              return native.get!.call(this);
            },
            set(value: number) {
              native.set!.call(this, value);
              const canvas = this as HTMLCanvasElement;
              if (canvas.closest('.co-map-deck') && !document.documentElement.dataset.firstPaint) sizes.push(`${prop} ${value}`);
            },
          });
        }
      });
      await watched.page.goto(`${baseUrl}/district-hub/`);
      const ready = await waitForDashboard(watched.page, 3);
      expect(ready.mapUnits.length).toBeGreaterThan(5);
      await expectMapDrawn(watched);
      await watched.page.locator('[data-testid=index-ranking-row]').first().waitFor({ timeout: 30_000 });
      const booted = await watched.page.evaluate(() => {
        const answers = (window as unknown as { __cityopsBoot?: Map<string, unknown> }).__cityopsBoot;
        return answers ? [...answers.keys()] : null;
      });
      expect(booted).toEqual([]);
      for (const call of ['auth.me', 'overview.months', 'overview.kpis', 'overview.childVolumes', 'overview.monthlyVolumes', 'index.decomposition', 'index.ranking', 'geo.unit']) {
        expect(trpcCalls.filter((c) => c === call), `${call} in ${trpcCalls.join(' ')}`).toHaveLength(1);
      }
      // Before the first paint the canvas got one size (set once, before deck drew), the map's own.
      const { sizes, width, height } = await watched.page.evaluate(() => {
        const canvas = document.querySelector('.co-map-deck canvas') as HTMLCanvasElement;
        return { sizes: (window as unknown as { __deckCanvasSizes: string[] }).__deckCanvasSizes, width: canvas.width, height: canvas.height };
      });
      expect(width).toBeGreaterThan(300);
      expect(sizes).toEqual([`width ${width}`, `height ${height}`]);
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  });

  it('toggles the Gi* hexagon layer and shows the index ranking with rank intervals', async () => {
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
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

  it('drills 锦江区 › 锦官驿街道 › 水井坊社区 › one grid, which the map and the panels show as itself', async () => {
    const watched = await openPage(browser());
    try {
      const refusedCalls: string[] = [];
      watched.page.on('response', (response) => {
        if (response.url().includes('/api/') && response.status() >= 400) refusedCalls.push(`${response.status()} ${decodeURIComponent(response.url())}`);
      });
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 2, { unitCodeLength: 9 });
      // Drill through the index ranking's rows (a row selects its unit, as a map click does).
      const rows = watched.page.locator('[data-testid=index-ranking-row]');
      await rows.filter({ hasText: '锦官驿街道' }).click();
      const street = await waitForDashboard(watched.page, 2, { unitCodeLength: 12 });
      expect(street.mapUnits.every((code) => code.startsWith('510104017'))).toBe(true);
      await rows.filter({ hasText: '水井坊社区' }).click();
      const community = await waitForDashboard(watched.page, 1, { unitCodeLength: 15 });
      expect(community.mapUnits.length).toBeGreaterThan(1);
      expect(community.mapUnits.every((code) => code.startsWith('510104017001'))).toBe(true);
      // Hot spots are computed down to a street: below it the toggles are off, with the reason.
      await expect(watched.page.getByTestId('map-mode-hotspots').isDisabled()).resolves.toBe(true);
      await expect(watched.page.getByTestId('map-mode-hotspots').getAttribute('title')).resolves.toContain('街道');

      const gridRow = rows.first();
      const gridName = (await gridRow.locator('td').first().textContent())!;
      expect(gridName).toMatch(/^水井坊社区第\d+网格$/);
      await gridRow.click();
      await watched.page.locator('.co-crumb', { hasText: gridName }).waitFor({ timeout: 30_000 });
      // (The community's map had grid codes too: wait for the map to keep only the one grid.)
      await watched.page.waitForFunction(() => (window as unknown as { __cityops: { mapUnits: string[] } }).__cityops.mapUnits.length === 1, undefined, { timeout: 30_000 });
      const grid = await waitForDashboard(watched.page, 1, { unitCodeLength: 15 });
      // The map keeps the one grid, coloured by its own rate; the breadcrumbs hold the whole path.
      expect(grid.mapUnits).toHaveLength(1);
      expect(grid.mapUnits[0]!.startsWith('510104017001')).toBe(true);
      const crumbs = await watched.page.locator('.co-crumb').allTextContents();
      expect(crumbs.map((c) => c.replace('›', '').trim())).toEqual(['锦江区', '锦官驿街道', '水井坊社区', gridName]);
      await expect(watched.page.locator('.dh-map .co-panel-title').textContent()).resolves.toContain('本网格万人诉求量');
      // Its index row is the grid itself, ranked among the city's grids; its decomposition is its own.
      // (The ranking loads the grid's row after the map has it: wait for it.)
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(1);
      await expect(rows.first().locator('td').first().textContent()).resolves.toBe(gridName);
      await watched.page.getByTestId('decomposition-summary').waitFor({ timeout: 30_000 });
      // A grid has no children to export; its events are.
      await expect(watched.page.getByTestId('export-children').count()).resolves.toBe(0);
      await expect(watched.page.getByTestId('export-view-events').count()).resolves.toBe(1);
      await screenshot(watched.page, 'district-hub-grid-1920x1080');

      // The URL names the grid: a reload (or a shared link) opens the same grid, every level named.
      expect(new URL(watched.page.url()).searchParams.get('unit')).toBe(grid.mapUnits[0]);
      await watched.page.reload();
      await watched.page.locator('.co-crumb', { hasText: gridName }).waitFor({ timeout: 30_000 });
      await watched.page.waitForFunction(() => !/\d{9}/.test(document.querySelector('.co-breadcrumbs')!.textContent!), undefined, { timeout: 30_000 });
      const linked = await watched.page.locator('.co-crumb').allTextContents();
      expect(linked.map((c) => c.replace('›', '').trim())).toEqual(['锦江区', '锦官驿街道', '水井坊社区', gridName]);

      // Back up through the breadcrumbs.
      await watched.page.locator('.co-crumb button', { hasText: '锦官驿街道' }).click();
      await waitForDashboard(watched.page, 2, { unitCodeLength: 12 });
      expect(refusedCalls).toEqual([]);
      expectNoErrors(watched, grid.errors);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('plays the last 12 months on the map, month by month, and pauses', async () => {
    const watched = await openPage(browser());
    try {
      const asked: string[] = [];
      watched.page.on('request', (request) => {
        if (request.url().includes('overview.childVolumes')) asked.push(decodeURIComponent(request.url()));
      });
      await watched.page.goto(`${baseUrl}/district-hub/`);
      await login(watched.page, 'jinjiang');
      await waitForDashboard(watched.page, 3, { unitCodeLength: 9 });
      const months = ((await (await watched.context.request.get(`${baseUrl}/api/trpc/overview.months`)).json()) as { result: { data: { months: string[] } } }).result.data.months;
      const recent = months.slice(-12);
      const select = watched.page.locator('.dh-month select');
      await expect(select.inputValue()).resolves.toBe(months.at(-1));
      await watched.page.getByRole('button', { name: '▶ 播放' }).click();
      // It starts 12 months back and steps forward; each month's figures are asked for and drawn.
      await expect.poll(() => select.inputValue(), { timeout: 10_000 }).toBe(recent[0]);
      await expect.poll(() => select.inputValue(), { timeout: 10_000 }).toBe(recent[1]);
      // (The request leaves after the render that picked the month, in tRPC's next batch.)
      await expect.poll(() => asked.some((url) => url.includes(`"month":"${recent[1]}"`)), { timeout: 5_000 }).toBe(true);
      const ready = await waitForDashboard(watched.page, 3, { unitCodeLength: 9 });
      expect(ready.mapUnits.every((code) => code.startsWith('510104'))).toBe(true);
      await watched.page.getByRole('button', { name: '❚❚ 暂停' }).click();
      const paused = await select.inputValue();
      await watched.page.waitForTimeout(3_500);
      await expect(select.inputValue()).resolves.toBe(paused);
      await watched.page.getByRole('button', { name: '▶ 播放' }).waitFor();
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('refuses another district to the 锦江区 analyst with a Chinese message', async () => {
    const watched = await openPage(browser());
    try {
      await watched.page.goto(`${baseUrl}/district-hub/?unit=510105`);
      await login(watched.page, 'jinjiang');
      await watched.page.getByText('无权访问该区域').first().waitFor({ timeout: 30_000 });
      await screenshot(watched.page, 'district-hub-forbidden');
      // Nothing to filter or export for a unit the analyst may not see.
      await expect(watched.page.getByTestId('export-view-events').count()).resolves.toBe(0);
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
