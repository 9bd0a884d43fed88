import { afterEach, describe, expect, it } from 'vitest';
import { BOOT_MISS, batchItem, bootKey, defaultCompareMonth, firstScreenBoundaryUrls, firstScreenCalls, homeUnitCode, monthBefore, takeBootAnswer, trpcBatchUrl } from './first-screen-boot.ts';

describe('first-screen boot helpers', () => {
  it("opens a grid worker's dashboard on their first grid, everyone else's on their unit", () => {
    expect(homeUnitCode({ unitCode: '510104017001', gridCodes: ['510104017001001', '510104017001002'] })).toBe('510104017001001');
    expect(homeUnitCode({ unitCode: '510104017', gridCodes: null })).toBe('510104017');
    expect(homeUnitCode({ unitCode: '5101' })).toBe('5101');
  });

  it('asks for no children of a grid (the server answers 400), but for a street\'s', () => {
    const paths = (code: string) => firstScreenCalls(code, ['2026-09', '2026-10'], {}).flat().map(([path]) => path);
    expect(paths('510104017001001')).toEqual(['overview.monthlyVolumes', 'overview.kpis']);
    expect(paths('510104017')).toEqual(['overview.monthlyVolumes', 'overview.kpis', 'overview.childVolumes']);
  });

  it('builds the GET batch URL httpBatchLink sends (inputs by position, none omitted)', () => {
    expect(trpcBatchUrl([['auth.me'], ['overview.months']])).toBe('/api/trpc/auth.me,overview.months?batch=1&input=%7B%7D');
    const url = trpcBatchUrl([['overview.kpis', { unitCode: '5101', month: '2026-10' }], ['auth.me']]);
    expect(url.startsWith('/api/trpc/overview.kpis,auth.me?batch=1&input=')).toBe(true);
    expect(JSON.parse(decodeURIComponent(url.split('input=')[1]!))).toEqual({ 0: { unitCode: '5101', month: '2026-10' } });
  });

  it('reads one answer out of a batch body; errors and odd bodies are misses', () => {
    const body = [{ result: { data: { months: ['2026-10'] } } }, { error: { json: { message: 'no' } } }, { result: { data: null } }];
    expect(batchItem(body, 0)).toEqual({ months: ['2026-10'] });
    expect(batchItem(body, 1)).toBe(BOOT_MISS);
    expect(batchItem(body, 2)).toBeNull();
    expect(batchItem(body, 3)).toBe(BOOT_MISS);
    expect(batchItem({ error: 'x' }, 0)).toBe(BOOT_MISS);
  });

  it('picks the boundary files and the comparison month as the apps do', () => {
    expect(firstScreenBoundaryUrls('5101', { contextUrls: () => ['/geo/boundaries/city.geojson', null] })).toEqual(['/geo/boundaries/districts.geojson', '/geo/boundaries/city.geojson']);
    expect(monthBefore('2026-01')).toBe('2025-12');
    expect(monthBefore('2026-10')).toBe('2026-09');
    expect(defaultCompareMonth('2026-10', ['2026-09', '2026-10'])).toBe('2026-09');
    expect(defaultCompareMonth('2026-10', ['2026-08', '2026-10'])).toBeUndefined();
  });
});

describe('takeBootAnswer', () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it('hands a booted answer out once, under the call and its input', async () => {
    const answers = new Map<string, Promise<unknown>>([[bootKey('overview.kpis', { unitCode: '5101', month: '2026-10' }), Promise.resolve([1])]]);
    (globalThis as { window?: unknown }).window = { __cityopsBoot: answers };
    expect(takeBootAnswer('overview.kpis', { unitCode: '5101', month: '2026-09' })).toBeUndefined();
    await expect(takeBootAnswer('overview.kpis', { unitCode: '5101', month: '2026-10' })).resolves.toEqual([1]);
    expect(takeBootAnswer('overview.kpis', { unitCode: '5101', month: '2026-10' })).toBeUndefined();
  });
});
