import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAND_DEFINITIONS, BANDS, CITY_CODE, DEPARTMENTS, type UnitCode } from '@cityops/domain';
import type { Database } from '@cityops/db';
import { readXlsx, renderDocx, renderHtml, renderXlsx, reportImages } from '@cityops/reports';
import type { ReportData } from '@cityops/reports/report-data';
import { LoginThrottle } from '../auth/login-throttle.ts';
import type { SessionUser } from '../auth/session-user.ts';
import { DEFAULT_API_CONFIG, createContextInner } from '../context.ts';
import { LiveBus } from '../live/live-bus.ts';
import { collectReportData, EMERGING_MONTHS, TOP_ITEMS, TREND_MONTHS } from './collect-report-data.ts';
import { reportCallerFor, type ReportSourceCaller } from './report-caller.ts';
import { docxText, htmlText, leaves, strayNumbers } from './report-consistency.ts';
import { monthRange, shiftMonth } from './report-derive.ts';
import { REPORT_DEMO_MONTH, openReportFixtureDb } from './report-fixture.ts';


const MONTH = REPORT_DEMO_MONTH;
const user = (role: SessionUser['role'], unitCode: string): SessionUser => ({
  username: `${role}-${unitCode}`, displayName: role, role, unitCode: unitCode as UnitCode, departmentCode: null, gridCodes: null, canSeePersonalData: false,
});

/**
 * Every number of a ReportData against fresh calls of the same procedures: each numeric leaf is
 * compared at its path, and at the end every numeric leaf must have been compared (no number
 * escapes the check).
 */
async function assertAllNumbersMatchApi(data: ReportData, caller: ReportSourceCaller, unitCode: string): Promise<number> {
  const checked = new Set<string>();
  const eq = (path: string, actual: unknown, expected: unknown) => {
    expect(actual, path).toStrictEqual(expected);
    checked.add(path);
  };
  const rel = (a: number, b: number) => (b > 0 ? (a - b) / b : null);
  const share = (a: number, b: number) => (b > 0 ? a / b : null);

  const kpis = await caller.overview.kpis({ unitCode, month: MONTH });
  const total = { count: 0, previousMonth: 0, sameMonthLastYear: 0 };
  kpis.forEach((k) => { total.count += k.count; total.previousMonth += k.previousMonth; total.sameMonthLastYear += k.sameMonthLastYear; });
  kpis.forEach((k, i) => {
    const at = `volumes.rows[${i}]`;
    eq(`${at}.count`, data.volumes.rows[i]!.count, k.count);
    eq(`${at}.previousMonth`, data.volumes.rows[i]!.previousMonth, k.previousMonth);
    eq(`${at}.sameMonthLastYear`, data.volumes.rows[i]!.sameMonthLastYear, k.sameMonthLastYear);
    eq(`${at}.mom`, data.volumes.rows[i]!.mom, rel(k.count, k.previousMonth));
    eq(`${at}.yoy`, data.volumes.rows[i]!.yoy, rel(k.count, k.sameMonthLastYear));
    eq(`${at}.share`, data.volumes.rows[i]!.share, share(k.count, total.count));
    for (const key of ['responseRate', 'completionRate', 'onTimeRate', 'overdueRate', 'satisfactionRate', 'avgReplyWorkdays', 'overdue', 'dissatisfied'] as const) {
      eq(`volumes.rates[${i}].${key}`, data.volumes.rates[i]![key], k[key]);
    }
  });
  for (const key of ['count', 'previousMonth', 'sameMonthLastYear'] as const) eq(`volumes.total.${key}`, data.volumes.total[key], total[key]);
  eq('volumes.total.mom', data.volumes.total.mom, rel(total.count, total.previousMonth));
  eq('volumes.total.yoy', data.volumes.total.yoy, rel(total.count, total.sameMonthLastYear));

  const trend = await caller.overview.monthlyVolumes({ unitCode, months: TREND_MONTHS, toMonth: MONTH });
  data.volumes.trend.series.forEach((s, j) => s.counts.forEach((count, k) => {
    eq(`volumes.trend.series[${j}].counts[${k}]`, count, trend.find((row) => row.month === data.volumes.trend.months[k] && row.source === s.source)?.count ?? 0);
  }));

  const natures = await caller.overview.natures({ unitCode, month: MONTH });
  data.natures.groups.forEach((g, j) => {
    const rows = natures.filter((row) => row.source === g.source);
    const groupTotal = rows.reduce((sum, row) => sum + row.count, 0);
    eq(`natures.groups[${j}].total`, g.total, groupTotal);
    g.rows.forEach((r, k) => {
      eq(`natures.groups[${j}].rows[${k}].count`, r.count, rows.find((row) => row.nature === r.nature)!.count);
      eq(`natures.groups[${j}].rows[${k}].share`, r.share, share(r.count, groupTotal));
    });
    expect(g.rows.length).toBe(rows.length);
  });

  const top = await caller.overview.topItems({ unitCode, month: MONTH, limit: TOP_ITEMS });
  expect(data.topItems.map((r) => r.item)).toEqual(top.map((r) => r.item));
  top.forEach((r, i) => {
    eq(`topItems[${i}].rank`, data.topItems[i]!.rank, i + 1);
    eq(`topItems[${i}].count`, data.topItems[i]!.count, r.count);
    eq(`topItems[${i}].share`, data.topItems[i]!.share, r.share);
  });

  const unit = await caller.index.unit({ code: unitCode, month: MONTH });
  const u = data.index.unit!;
  eq('index.unit.score', u.score, unit.score);
  eq('index.unit.rank', u.rank, unit.rank);
  eq('index.unit.rankOf', u.rankOf, unit.rankOf);
  eq('index.unit.momChange', u.momChange, unit.mom?.change ?? null);
  eq('index.unit.yoyChange', u.yoyChange, unit.yoy?.change ?? null);
  for (const key of ['median', 'p5', 'p95'] as const) eq(`index.unit.rankInterval.${key}`, u.rankInterval?.[key], unit.rankInterval?.[key]);
  u.pillars.forEach((p, i) => eq(`index.unit.pillars[${i}].score`, p.score, unit.pillars[p.pillar as keyof typeof unit.pillars]));
  eq('meta.index.revision', data.meta.index.revision, unit.source.revision);
  expect(data.meta.index.methodVersion).toBe(unit.source.methodVersion);

  const ranking = await caller.index.ranking({ unitCode, month: MONTH });
  expect(data.index.ranking.map((r) => r.code)).toEqual(ranking.units.map((r) => r.code));
  ranking.units.forEach((r, i) => {
    const at = `index.ranking[${i}]`;
    eq(`${at}.score`, data.index.ranking[i]!.score, r.score);
    eq(`${at}.rank`, data.index.ranking[i]!.rank, r.rank);
    eq(`${at}.rankOf`, data.index.ranking[i]!.rankOf, r.rankOf);
    eq(`${at}.momChange`, data.index.ranking[i]!.momChange, r.momChange);
    for (const key of ['median', 'p5', 'p95'] as const) eq(`${at}.rankInterval.${key}`, data.index.ranking[i]!.rankInterval?.[key], r.rankInterval?.[key]);
  });
  for (const [i, m] of data.index.movers.entries()) {
    const d = await caller.index.decomposition({ code: m.code, month: MONTH, compareTo: shiftMonth(MONTH, -1) });
    eq(`index.movers[${i}].scoreBefore`, m.scoreBefore, d.scoreBefore);
    eq(`index.movers[${i}].scoreAfter`, m.scoreAfter, d.scoreAfter);
    eq(`index.movers[${i}].change`, m.change, d.change);
    m.pillars.forEach((p, j) => eq(`index.movers[${i}].pillars[${j}].contribution`, p.contribution, d.pillars[p.pillar as keyof typeof d.pillars]));
    m.indicators.forEach((x, j) => eq(`index.movers[${i}].indicators[${j}].contribution`, x.contribution, d.indicators[j]!.contribution));
  }
  // Method constants (the band thresholds of the legend) come from the domain, not from a procedure.
  data.index.bands.forEach((b, i) => eq(`index.bands[${i}].min`, b.min, BAND_DEFINITIONS[BANDS[i]!].min));

  const gi = await caller.hotspots.gi({ unitCode, month: MONTH });
  eq('hotspots.resolution', data.hotspots.resolution, gi.resolution);
  eq('hotspots.studyAreaCells', data.hotspots.studyAreaCells, gi.studyAreaCells);
  data.hotspots.bins.forEach((b, i) => {
    eq(`hotspots.bins[${i}].cells`, b.cells, gi.bins[String(b.bin)]);
    eq(`hotspots.bins[${i}].bin`, b.bin, [3, 2, 1, 0, -1, -2, -3][i]);
  });
  data.hotspots.topCells.forEach((c, i) => {
    const cell = gi.cells.find((x) => x.cell === c.cell)!;
    eq(`hotspots.topCells[${i}].events`, c.events, cell.events);
    eq(`hotspots.topCells[${i}].z`, c.z, cell.z);
  });
  const emerging = await caller.hotspots.emerging({ unitCode, month: MONTH, months: EMERGING_MONTHS });
  eq('hotspots.emerging.months', data.hotspots.emerging!.months, emerging.months.length);
  data.hotspots.emerging!.categories.forEach((c, i) => eq(`hotspots.emerging.categories[${i}].cells`, c.cells, emerging.categories[c.category as keyof typeof emerging.categories]));

  const woCheck = (at: string, row: ReportData['workOrders']['byUnit'][number], m: Awaited<ReturnType<ReportSourceCaller['workOrders']['metrics']>>) => {
    const c = m.counts;
    eq(`${at}.received`, row.received, c.received);
    eq(`${at}.disposed`, row.disposed, c.disposed);
    eq(`${at}.dueInPeriod`, row.dueInPeriod, c.dueInPeriod);
    eq(`${at}.overdue`, row.overdue, c.dueInPeriod - c.disposedOnTime);
    eq(`${at}.overdueRate`, row.overdueRate, share(c.dueInPeriod - c.disposedOnTime, c.dueInPeriod));
    eq(`${at}.responseRate`, row.responseRate, m.metrics.responseRate);
    eq(`${at}.dispositionRate`, row.dispositionRate, m.metrics.dispositionRate);
    eq(`${at}.onTimeRate`, row.onTimeRate, m.metrics.onTimeDispositionRate);
    eq(`${at}.satisfactionRate`, row.satisfactionRate, m.metrics.satisfactionRate);
    eq(`${at}.dissatisfied`, row.dissatisfied, c.dissatisfied);
    eq(`${at}.avgReplyWorkdays`, row.avgReplyWorkdays, m.metrics.averageReplyCycleWorkingDays);
  };
  woCheck('workOrders.total', data.workOrders.total!, await caller.workOrders.metrics({ unitCode, month: MONTH }));
  for (const [i, row] of data.workOrders.byUnit.entries()) woCheck(`workOrders.byUnit[${i}]`, row, await caller.workOrders.metrics({ unitCode: row.code, month: MONTH }));
  for (const [i, row] of data.workOrders.byDepartment.entries()) woCheck(`workOrders.byDepartment[${i}]`, row, await caller.workOrders.metrics({ departmentCode: row.code as (typeof DEPARTMENTS)[number]['code'], month: MONTH }));

  const alerts = await caller.alerts.list({ unitCode, ...monthRange(MONTH), limit: 2000 });
  eq('warnings.total', data.warnings.total, alerts.length);
  data.warnings.byKind.forEach((k, i) => eq(`warnings.byKind[${i}].count`, k.count, alerts.filter((a) => a.kind === k.kind).length));
  data.warnings.bySeverity.forEach((s, i) => eq(`warnings.bySeverity[${i}].count`, s.count, alerts.filter((a) => a.severity === s.severity).length));

  const numeric = leaves(data).filter((leaf) => typeof leaf.value === 'number').map((leaf) => leaf.path);
  expect(numeric.filter((p) => !checked.has(p)), 'numbers of the report that no API figure accounts for').toEqual([]);
  return numeric.length;
}

describe('monthly report data and documents', () => {
  let db: Database;
  let cleanup: () => void;
  const callerFor = (u: SessionUser) => reportCallerFor(createContextInner({ db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(), liveBus: new LiveBus(), user: u }));
  let city: ReportData;
  let docx: Buffer;
  let html: string;
  let xlsx: Buffer;

  beforeAll(async () => {
    ({ db, cleanup } = await openReportFixtureDb('collect'));
    city = await collectReportData(callerFor(user('city_commander', CITY_CODE)), { month: MONTH, unitCode: CITY_CODE, reportDate: '2026-11-05' });
    const images = reportImages(city);
    [docx, xlsx] = await Promise.all([renderDocx(city, { images }), renderXlsx(city)]);
    html = renderHtml(city, { images });
  }, 400_000);
  afterAll(() => cleanup?.());

  it('city report: every number equals what the API returns for the same scope and month', async () => {
    expect(city.meta.index.status).toBe('published');
    expect(city.index.ranking).toHaveLength(20);
    expect(city.workOrders.byDepartment).toHaveLength(16);
    const count = await assertAllNumbersMatchApi(city, callerFor(user('city_commander', CITY_CODE)), CITY_CODE);
    expect(count).toBeGreaterThan(500);
  }, 120_000);

  it('DOCX and HTML print only numbers that come from the ReportData, and Chinese text', () => {
    const text = docxText(docx);
    expect(text).toContain('成都市社情分析综合报告');
    for (const heading of ['一、总体情况', '三、社情指数', '四、热点与新兴热点', '五、工单办理绩效', '六、预警与矛盾纠纷升级', '七、方法说明', '附表']) expect(text).toContain(heading);
    expect(text).toContain(`方法版本 ${city.meta.index.methodVersion}`);
    expect(strayNumbers(text, city)).toEqual([]);
    expect(strayNumbers(htmlText(html), city)).toEqual([]);
    expect(text.match(/\d/g)!.length).toBeGreaterThan(1000);
    // A figure printed in the text is the ReportData figure (spot-check the headline).
    expect(text).toContain(`共受理群众诉求${city.volumes.total.count.toLocaleString('en-US')}件`);
    expect(docx.includes(Buffer.from('word/media/'))).toBe(true);
  });

  it('XLSX: Chinese sheet names, numeric cells from the ReportData, SUM formulas with cached totals', async () => {
    const sheets = await readXlsx(xlsx);
    expect(sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['报告信息', '诉求总量', '指数排名', '工单办理（区域）', '工单办理（部门）', '预警列表', '月度趋势']));
    const numbers = new Set(leaves(city).filter((l) => typeof l.value === 'number').map((l) => l.value as number));
    const cells = sheets.flatMap((s) => s.cells.map((c) => ({ ...c, sheet: s.name })));
    const numeric = cells.filter((c) => c.type === 'number');
    expect(numeric.length).toBeGreaterThan(400);
    expect(numeric.filter((c) => !numbers.has(c.value as number)).map((c) => `${c.sheet}!R${c.row}C${c.col}=${c.value}`)).toEqual([]);
    const volumes = sheets.find((s) => s.name === '诉求总量')!;
    const countCell = volumes.cells.find((c) => c.row === 2 && c.col === 2)!;
    expect(countCell).toMatchObject({ type: 'number', value: city.volumes.rows[0]!.count, numFmt: '#,##0' });
    const formulas = cells.filter((c) => c.type === 'formula');
    expect(formulas.length).toBeGreaterThanOrEqual(4);
    for (const f of formulas) {
      const m = /^SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)$/.exec(f.formula!)!;
      expect(m, f.formula).not.toBeNull();
      const col = m[1]!.charCodeAt(0) - 64;
      const sum = sheets.find((s) => s.name === f.sheet)!.cells.filter((c) => c.col === col && c.row >= Number(m[2]) && c.row <= Number(m[4])).reduce((acc, c) => acc + (c.value as number), 0);
      expect(f.result, `${f.sheet} ${f.formula}`).toBe(sum);
    }
    expect(formulas.find((f) => f.sheet === '诉求总量' && f.col === 2)?.result).toBe(city.volumes.total.count);
    expect(cells.filter((c) => c.type === 'date').length).toBeGreaterThan(13);
  });

  it('district report for a district analyst: consistent, scoped, and refused for another district', async () => {
    const analyst = callerFor(user('district_analyst', '510104'));
    const district = await collectReportData(analyst, { month: MONTH, unitCode: '510104', reportDate: '2026-11-05' });
    expect(district.meta.unitName).toBe('锦江区');
    expect(district.index.ranking.every((r) => r.code.startsWith('510104'))).toBe(true);
    expect(district.workOrders.byDepartment).toEqual([]);
    await assertAllNumbersMatchApi(district, analyst, '510104');
    const docxDistrict = await renderDocx(district);
    expect(strayNumbers(docxText(docxDistrict), district)).toEqual([]);
    await expect(collectReportData(analyst, { month: MONTH, unitCode: '510105' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  }, 120_000);
});
