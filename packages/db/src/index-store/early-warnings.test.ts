import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cityScope, departmentScope, type Scope } from '@cityops/domain';
import type { Database } from '../database.ts';
import { readGroundTruth, type GroundTruthManifest } from '../generator/index.ts';
import { queryAlerts } from './alerts-store.ts';
import { runEarlyWarnings } from './early-warnings.ts';
import { addDays } from './months.ts';
import { generateDemoSensorReadings, ingestSensorReadings } from './sensors.ts';
import { openFixtureDb } from './test-fixture.ts';

const within = (a: string, b: string) => a.startsWith(b) || b.startsWith(a);

describe('early warnings: statistical, escalation, sensor', () => {
  let db: Database;
  let cleanup: () => void;
  let manifest: GroundTruthManifest;
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('warnings'));
    manifest = (await readGroundTruth(db))!;
  }, 300_000);
  afterAll(() => cleanup?.());

  it('raises alerts for the planted bursts (recall ≥ 90 %)', async () => {
    let found = 0;
    for (const burst of manifest.bursts) {
      const result = await runEarlyWarnings(db, { day: burst.days[1]!, fromDay: burst.days[0]!, escalations: false });
      const hit = result.created.some((a) => a.kind === 'statistical' && within(a.unitCode, burst.unitCode) && burst.days.includes(a.day) && burst.items.includes(a.item));
      if (hit) found += 1;
    }
    console.info(`burst recall: ${found}/${manifest.bursts.length}`);
    expect(found / manifest.bursts.length).toBeGreaterThanOrEqual(0.9);
    // Re-running the same days creates nothing new.
    const again = await runEarlyWarnings(db, { day: manifest.bursts[0]!.days[1]!, fromDay: manifest.bursts[0]!.days[0]!, escalations: false });
    expect(again.created).toHaveLength(0);
  });

  it('raises few false alarms on quiet days (measured vs nominal)', async () => {
    // 60 days with no burst or consumer-rights spike; alerts explained by a planted cluster
    // (its street, item and month) are true signals, not false alarms.
    const from = '2026-01-01';
    const to = '2026-03-01';
    const busy = new Set([...manifest.bursts.flatMap((b) => b.days), ...manifest.spikes.map((s) => s.day)]);
    expect([...busy].some((day) => day >= from && day <= to && !day.endsWith('03-14') && !day.endsWith('03-15'))).toBe(false);
    const result = await runEarlyWarnings(db, { day: to, fromDay: from, escalations: false });
    const unexplained = result.created.filter(
      (a) => !busy.has(a.day) && !manifest.clusters.some((c) => within(a.unitCode, c.streetCode) && c.item === a.item && c.months.includes(a.day.slice(0, 7))),
    );
    const [series] = await db.all<{ n: number }>(
      `SELECT count(DISTINCT "unit_code" || "item")::INTEGER AS "n" FROM "rollup_daily" WHERE "level" IN ('district', 'street') AND "day" BETWEEN $lo::DATE AND $hi::DATE`,
      { lo: addDays(from, -35), hi: to },
    );
    const days = 60;
    const rate = unexplained.length / (series!.n * days);
    console.info(`quiet false-alarm rate: ${unexplained.length} alerts / (${series!.n} series × ${days} days) = ${(100 * rate).toFixed(3)} % of series-days (nominal 0.135 % for a one-sided 3-sd rule)`);
    expect(rate).toBeLessThan(0.005);
  });

  it('finds the planted escalation chains and lists their linked events (recall ≥ 90 %)', async () => {
    const first = manifest.escalations.map((e) => e.days[0]!).sort()[0]!;
    const last = manifest.escalations.map((e) => e.days[e.days.length - 1]!).sort().reverse()[0]!;
    const result = await runEarlyWarnings(db, { day: last, fromDay: first, statistical: false });
    const alerts = result.created.filter((a) => a.kind === 'escalation');
    const found = manifest.escalations.filter((truth) => alerts.some((a) => (a.detail['eventIds'] as number[]).filter((id) => truth.eventIds.includes(id)).length >= 2));
    const planted = alerts.filter((a) => manifest.escalations.some((t) => (a.detail['eventIds'] as number[]).some((id) => t.eventIds.includes(id))));
    console.info(`escalation recall: ${found.length}/${manifest.escalations.length}; ${alerts.length} escalation alerts from ${first} to ${last}, ${planted.length} on planted chains`);
    expect(found.length / manifest.escalations.length).toBeGreaterThanOrEqual(0.9);
    for (const alert of planted) {
      expect((alert.detail['sources'] as string[]).length).toBeGreaterThanOrEqual(2);
      expect(alert.detail['severityTo'] as number).toBeGreaterThan(alert.detail['severityFrom'] as number);
    }
  });

  it('routes sensor alarms to the grid they fall in and serves alerts by scope', async () => {
    const readings = await generateDemoSensorReadings(db, { day: '2026-10-30', seed: 3, count: 40 });
    const created = await ingestSensorReadings(db, readings);
    expect(created).toHaveLength(40);
    const routed = readings.filter((reading, i) => created[i]!.gridCode === reading.sourceGrid).length;
    expect(routed / readings.length).toBeGreaterThanOrEqual(0.9);
    expect(await ingestSensorReadings(db, readings)).toHaveLength(0);

    const grid = created[0]!.gridCode!;
    const district = grid.slice(0, 6);
    const scope: Scope = { ...cityScope('district_analyst'), unitCode: district as Scope['unitCode'] };
    const mine = await queryAlerts(db, scope, { unitCode: district, from: '2024-01-01', to: '2026-12-31' });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.unitCode.startsWith(district))).toBe(true);
    expect(mine.some((a) => a.kind === 'sensor' && a.gridCode === grid)).toBe(true);
    const other = district === '510104' ? '510105' : '510104';
    await expect(queryAlerts(db, scope, { unitCode: other, from: '2024-01-01', to: '2026-12-31' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const market = await queryAlerts(db, departmentScope('D01'), { unitCode: '5101', from: '2024-01-01', to: '2026-12-31', limit: 2000 });
    expect(market.every((a) => a.item === 'market')).toBe(true);
    const escalations = await queryAlerts(db, cityScope(), { unitCode: '5101', from: '2024-01-01', to: '2026-12-31', kind: 'escalation', limit: 5 });
    expect(escalations.every((a) => a.kind === 'escalation' && !('reporterHash' in a.detail))).toBe(true);
  });
});
