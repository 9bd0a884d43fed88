import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cityops/api';
import { TrpcHttpClient } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

let server: TestServer;

// The throttle's window must outlast a scrypt check even on a loaded machine (the "immediate
// retry" below is only immediate if it lands inside the window).
const THROTTLE_MS = 1500;

beforeAll(async () => {
  server = await startTestServer({ throttleBaseMs: THROTTLE_MS, throttleMaxMs: THROTTLE_MS });
});
afterAll(async () => {
  await server?.close();
});

describe('HTTP server', () => {
  it('refuses data to anonymous callers', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    const result = await client.query('overview.months');
    expect(result.status).toBe(401);
    expect(result.error?.message).toBe('请先登录');
  });

  it('logs in with an httpOnly SameSite session cookie and serves rollup data', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    const login = await client.login('city', DEMO_PASSWORD);
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    const months = await client.query<{ months: string[] }>('overview.months');
    expect(months.data?.months.at(-1)).toBe('2026-10');
    const volumes = await client.query<{ month: string; source: string; count: number }[]>('overview.monthlyVolumes', { unitCode: '5101', months: 12 });
    expect(volumes.status).toBe(200);
    const sources = new Set(volumes.data?.map((row) => row.source));
    expect(sources).toEqual(new Set(['petition', 'hotline', 'police']));
    expect(volumes.data?.every((row) => row.count >= 0)).toBe(true);
  });

  it("serves a quiet unit's trend with every month of the window and every source, quiet ones as zeros", async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    await client.login('city', DEMO_PASSWORD);
    const months = (await client.query<{ months: string[] }>('overview.months')).data!.months.slice(-12);
    // The test database's grids are small (a few events a month at most): some month is quiet.
    const grid = '510104017001001';
    const trend = await client.query<{ month: string; source: string; count: number }[]>('overview.monthlyVolumes', { unitCode: grid, months: 12 });
    expect(trend.status).toBe(200);
    expect(trend.data!.map((row) => `${row.month} ${row.source}`)).toEqual(months.flatMap((m) => ['petition', 'hotline', 'police'].map((s) => `${m} ${s}`)));
    expect(trend.data!.some((row) => row.count === 0)).toBe(true);
    // The zeros are the months the grid's events do not fall in: the totals are its events'.
    const events = await client.query<{ total: number }>('events.list', { unitCode: grid, month: months.at(-1), limit: 1 });
    const latest = trend.data!.filter((row) => row.month === months.at(-1)).reduce((sum, row) => sum + row.count, 0);
    expect(latest).toBe(events.data!.total);
  });

  it('serves KPI rates that are proportions', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    await client.login('city', DEMO_PASSWORD);
    const kpis = await client.query<Record<string, number | null>[]>('overview.kpis', { unitCode: '5101', month: '2026-10' });
    expect(kpis.data?.length).toBe(3);
    for (const row of kpis.data!) {
      for (const key of ['responseRate', 'completionRate', 'onTimeRate', 'satisfactionRate']) {
        const value = row[key];
        if (value !== null && value !== undefined) {
          expect(value, key).toBeGreaterThanOrEqual(0);
          expect(value, key).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it("tells a grid worker's dashboard their grids, and no one else's", async () => {
    const grid = new TrpcHttpClient(server.baseUrl);
    await grid.login('grid', DEMO_PASSWORD);
    const me = await grid.query<{ user: { role: string; unitCode: string; gridCodes: string[] | null } }>('auth.me');
    expect(me.data?.user).toMatchObject({ role: 'grid_worker', unitCode: '510104017001', gridCodes: ['510104017001001'] });
    const street = new TrpcHttpClient(server.baseUrl);
    await street.login('jgy', DEMO_PASSWORD);
    const streetMe = await street.query<{ user: { gridCodes: string[] | null } }>('auth.me');
    expect(streetMe.data?.user.gridCodes).toBeNull();
  });

  it('holds a district analyst to their district, without leaking internals', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    await client.login('jinjiang', DEMO_PASSWORD);
    const own = await client.query<{ code: string }[]>('overview.childVolumes', { unitCode: '510104', month: '2026-10' });
    expect(own.status).toBe(200);
    expect(own.data?.length).toBeGreaterThan(0);
    expect(own.data?.every((row) => row.code.startsWith('510104'))).toBe(true);
    const other = await client.query('overview.childVolumes', { unitCode: '510105', month: '2026-10' });
    expect(other.status).toBe(403);
    expect(other.error?.data.code).toBe('FORBIDDEN');
    expect(other.error?.data.stack).toBeUndefined();
    const city = await client.query('overview.childVolumes', { unitCode: '5101', month: '2026-10' });
    expect(city.status).toBe(403);
  });

  it('rejects malformed input with a clear message', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    await client.login('city', DEMO_PASSWORD);
    const bad = await client.query('overview.childVolumes', { unitCode: '51x', month: '2026-13' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.error)).toContain('区划代码格式不正确');
  });

  it('slows a brute force and then locks the account', async () => {
    const client = new TrpcHttpClient(server.baseUrl);
    const first = await client.login('jgy', 'wrong-0');
    expect(first.status).toBe(401);
    expect(first.error?.message).toBe('用户名或密码错误');
    // An immediate retry from the same address is throttled before the password is even checked.
    const immediate = await client.login('jgy', 'wrong-1');
    expect(immediate.status).toBe(429);
    expect(immediate.error?.message).toContain('频繁');
    let failures = 1;
    while (failures < 5) {
      await new Promise((resolve) => setTimeout(resolve, THROTTLE_MS + 100));
      const result = await client.login('jgy', `wrong-${failures}`);
      expect(result.status).toBe(401);
      failures += 1;
    }
    // After the configured five failures even the right password is refused while locked.
    await new Promise((resolve) => setTimeout(resolve, THROTTLE_MS + 100));
    const locked = await client.login('jgy', DEMO_PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.error?.message).toContain('锁定');
  });

  it('sends security headers and no CORS allowance', async () => {
    const response = await fetch(`${server.baseUrl}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the public geography read-only and answers a missing file with a JSON 404, not a 500', async () => {
    const found = await fetch(`${server.baseUrl}/geo/boundaries/grids/510104017.geojson`);
    expect(found.status).toBe(200);
    const grids = (await found.json()) as { features: { properties: { code: string } }[] };
    expect(grids.features.length).toBeGreaterThan(0);
    expect(grids.features.every((f) => f.properties.code.startsWith('510104017'))).toBe(true);
    // A community's code where the grids file of a street is expected (the grid worker's desk once asked for it).
    const missing = await fetch(`${server.baseUrl}/geo/boundaries/grids/510104017001.geojson`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/json');
    expect(await missing.json()).toEqual({ error: '未找到 / not found' });
  });

  it('rejects oversized bodies', async () => {
    const response = await fetch(`${server.baseUrl}/api/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'x', password: 'y'.repeat(400_000) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/json');
  });

  it.each(['null', '{"username": ', '[1,'])('answers a malformed body %j with a JSON 400, never an HTML page or a stack', async (body) => {
    const response = await fetch(`${server.baseUrl}/api/trpc/auth.logout`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(text).not.toMatch(/<html|<!DOCTYPE|\bat [\w.]+ \(|node_modules/i);
  });
});
