import { cityScope, departmentScope, isDomainError, parseUnitCode, type Scope } from '@cityops/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarehouse, TEST_GENERATION, type TestWarehouse } from '../testing/test-warehouse.ts';
import { queryKpis, queryTopItems } from './kpis.ts';
import {
  queryChildVolumes, queryChildVolumesRaw, queryDailyVolumes, queryDailyVolumesRaw, queryMonthlyItemVolumes, queryMonthlyItemVolumesRaw, queryMonthlyVolumes,
} from './volumes.ts';

let w: TestWarehouse;
beforeAll(async () => {
  w = await createTestWarehouse({ generate: { ...TEST_GENERATION, seed: 3 } });
});
afterAll(() => w?.cleanup());

const city = cityScope();
const district: Scope = { ...cityScope('district_analyst'), unitCode: parseUnitCode('510104') };
const market = departmentScope('D01');
const code = async (promise: Promise<unknown>) => promise.then(() => 'resolved', (e: unknown) => (isDomainError(e) ? e.code : String(e)));

describe('dashboard queries', () => {
  it('answer from rollups what a raw scan answers', async () => {
    const range = { unitCode: '5101', fromMonth: '2025-11', toMonth: '2026-10' };
    expect(await queryMonthlyItemVolumes(w.db, city, range)).toEqual(await queryMonthlyItemVolumesRaw(w.db, city, range));
    expect(await queryChildVolumes(w.db, city, { unitCode: '510104', month: '2026-09' })).toEqual(await queryChildVolumesRaw(w.db, city, { unitCode: '510104', month: '2026-09' }));
    expect(await queryChildVolumes(w.db, city, { unitCode: '510104001', month: '2026-09' })).toEqual(await queryChildVolumesRaw(w.db, city, { unitCode: '510104001', month: '2026-09' }));
    const days = { unitCode: '510104001', fromDay: '2026-08-01', toDay: '2026-08-31' };
    expect(await queryDailyVolumes(w.db, city, days)).toEqual(await queryDailyVolumesRaw(w.db, city, days));
  });

  it('sums children to their parent and gives rates per 10,000 residents', async () => {
    const children = await queryChildVolumes(w.db, city, { unitCode: '5101', month: '2026-09' });
    expect(children.map((c) => c.code)).toEqual(['510104', '510105', '510106']);
    const monthly = await queryMonthlyVolumes(w.db, city, { unitCode: '5101', fromMonth: '2026-09', toMonth: '2026-09' });
    expect(children.reduce((s, c) => s + c.count, 0)).toBe(monthly.reduce((s, m) => s + m.count, 0));
    for (const child of children) expect(child.ratePer10k).toBeCloseTo((child.count * 10000) / child.population, 6);
  });

  it('reports KPIs per source with month-on-month and year-on-year counts', async () => {
    const kpis = await queryKpis(w.db, city, { unitCode: '5101', month: '2026-09' });
    expect(kpis.map((k) => k.source)).toEqual(['petition', 'hotline', 'police']);
    const monthly = await queryMonthlyVolumes(w.db, city, { unitCode: '5101', fromMonth: '2025-08', toMonth: '2026-09' });
    const count = (month: string, source: string) => monthly.find((m) => m.month === month && m.source === source)?.count ?? 0;
    for (const kpi of kpis) {
      expect(kpi.count).toBe(count('2026-09', kpi.source));
      expect(kpi.previousMonth).toBe(count('2026-08', kpi.source));
      expect(kpi.sameMonthLastYear).toBe(count('2025-09', kpi.source));
    }
    const hotline = kpis.find((k) => k.source === 'hotline')!;
    // 办结率 judges a finished month at its end (methodology §service rates): cases dispatched in
    // the month's last days are still open then, so it sits below the share eventually closed.
    expect(hotline.completionRate).toBeGreaterThan(0.65);
    expect(hotline.completionRate).toBeLessThan(0.95);
    expect(hotline.responseRate).toBeGreaterThan(0.8);
    expect(hotline.onTimeRate).toBeGreaterThan(0.9);
    expect(hotline.satisfactionRate).toBeGreaterThan(0.75);
    expect(hotline.satisfactionRate).toBeLessThan(0.97);
    expect(hotline.overdueRate).toBeLessThan(0.02);
    expect(hotline.avgReplyWorkdays).toBeGreaterThan(2);
    expect(hotline.avgReplyWorkdays).toBeLessThan(8);
    const top = await queryTopItems(w.db, city, { unitCode: '5101', month: '2026-09', limit: 3 });
    expect(top).toHaveLength(3);
    expect(top[0]!.count).toBeGreaterThanOrEqual(top[1]!.count);
    expect(top[0]!.share).toBeGreaterThan(0.05);
  });

  it('refuses units outside the caller territory', async () => {
    expect(await code(queryMonthlyVolumes(w.db, district, { unitCode: '510105', fromMonth: '2026-01', toMonth: '2026-09' }))).toBe('FORBIDDEN');
    expect(await code(queryChildVolumes(w.db, district, { unitCode: '5101', month: '2026-09' }))).toBe('FORBIDDEN');
    expect(await code(queryKpis(w.db, district, { unitCode: '510105001', month: '2026-09' }))).toBe('FORBIDDEN');
    expect(await code(queryChildVolumes(w.db, district, { unitCode: '510104', month: '2026-09' }))).toBe('resolved');
    expect(await code(queryMonthlyVolumes(w.db, city, { unitCode: '5101', fromMonth: '2026-9', toMonth: '2026-09' }))).toBe('BAD_INPUT');
    expect(await code(queryDailyVolumes(w.db, city, { unitCode: '510104001001', fromDay: '2026-09-01', toDay: '2026-09-30' }))).toBe('BAD_INPUT');
  });

  it('shows a department only its own items', async () => {
    const top = await queryTopItems(w.db, market, { unitCode: '5101', month: '2026-03', limit: 16 });
    expect(top.map((t) => t.item)).toEqual(['market']);
    expect(top[0]!.share).toBe(1);
    const monthly = await queryMonthlyVolumes(w.db, market, { unitCode: '5101', fromMonth: '2026-03', toMonth: '2026-03' });
    const raw = await w.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE category = 'market' AND strftime(received_at, '%Y-%m') = '2026-03'`);
    expect(monthly.reduce((s, m) => s + m.count, 0)).toBe(raw[0]!.n);
    const children = await queryChildVolumes(w.db, market, { unitCode: '5101', month: '2026-03' });
    expect(children.reduce((s, c) => s + c.count, 0)).toBe(raw[0]!.n);
    expect(await queryChildVolumesRaw(w.db, market, { unitCode: '5101', month: '2026-03' })).toEqual(children);
  });
});
