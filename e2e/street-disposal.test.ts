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

const baseUrl = inject('baseUrl');
const browser = useFileBrowser();

describe('street-disposal (街镇运行中心)', () => {
  it("shows only 锦官驿街道's communities to its operator", async () => {
    const watched = await openPage(browser());
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

  it("opens a grid worker's tablet desk on their own grid, and the server refuses them the community", async () => {
    const watched = await openPage(browser(), { width: 1280, height: 800 });
    try {
      await watched.page.goto(`${baseUrl}/street-disposal/`);
      await login(watched.page, 'grid');
      // One chart at least: the tests' small database leaves a grid's 12-month trend possibly empty.
      const ready = await waitForDashboard(watched.page, 1, { unitCodeLength: 15 });
      await screenshot(watched.page, 'street-disposal-grid-worker-1280x800');
      expect(ready.mapUnits).toEqual(['510104017001001']);
      await expect(watched.page.locator('.co-header').textContent()).resolves.toContain('水井坊社区第1网格');
      await expect(watched.page.locator('.sd-map .co-panel-title').textContent()).resolves.toContain('本网格诉求量');
      // The map drew the grid (its fill is not the page's background) under the event points.
      const colors = await mapColors(watched.page);
      expect(colors.length).toBeGreaterThanOrEqual(2);
      // The tiles are the grid's own figures, as the server gives them to this user.
      const query = (path: string, input: unknown) => watched.context.request.get(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`);
      const kpis = ((await (await query('overview.kpis', { unitCode: '510104017001001', month: '2026-10' })).json()) as { result: { data: { count: number }[] } }).result.data;
      // (The tiles show placeholders until their query answers: poll.)
      await expect.poll(() => watched.page.locator('.sd-kpis .co-kpi-value').allTextContents(), { timeout: 30_000 }).toEqual(kpis.map((r) => expect.stringContaining(String(r.count))));
      // The queue holds exactly the grid's orders, as the server lists them for this user.
      const orders = ((await (await query('workOrders.list', { unitCode: '510104017001001', orderBy: 'due', limit: 100 })).json()) as { result: { data: { total: number } } }).result.data;
      await expect.poll(() => watched.page.locator('.sd-queue .co-panel-extra').textContent(), { timeout: 30_000 }).toBe(`共 ${orders.total}`);
      expect((await query('overview.childVolumes', { unitCode: '510104017001', month: '2026-10' })).status()).toBe(403);
      expectNoErrors(watched, ready.errors);
    } finally {
      await watched.context.close();
    }
  }, LONG_TEST_MS);

  it('lists the work-order queue with SLA badges and opens an order with its history and actions', async () => {
    const watched = await openPage(browser());
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
    const watched = await openPage(browser());
    const other = await browser().newContext();
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
    const watched = await openPage(browser(), { width: 1280, height: 800 });
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
    const watched = await openPage(browser(), { width: 1280, height: 800 });
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
