import type { Database } from '@cityops/db';
import {
  generateDemoSensorReadings,
  ingestSensorReadings,
  listCompleteMonths,
  publishMonth,
  refreshH3Rollup,
  runEarlyWarnings,
} from '@cityops/db/index-store/index';
import { generateDemoWorkOrders, refreshServiceCounts } from '@cityops/db/work-orders/index';

export interface DemoPipelineStep {
  label: string;
  run: (db: Database) => Promise<unknown>;
}

/** Days of early warnings (and demo sensor alarms) computed for the newest part of the data. */
const WARNING_DAYS = 14;

function addDays(day: string, delta: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + delta);
  return date.toISOString().slice(0, 10);
}

function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/**
 * After the events and rollups: what makes the demo a working product rather than raw data —
 * the H3 rollup behind hotspots, work orders driven through the real state machine, the last
 * complete month published as an index snapshot, and the newest fortnight's early warnings.
 */
export function demoPipelineSteps(seed: number): DemoPipelineStep[] {
  return [
    { label: 'H3 汇总', run: (db) => refreshH3Rollup(db) },
    { label: '工单流转', run: (db) => generateDemoWorkOrders(db, { seed, months: 2 }) },
    // The service counts (三率) of the index, dashboards and report, once the orders exist.
    { label: '办理指标', run: (db) => refreshServiceCounts(db) },
    {
      label: '发布指数',
      run: async (db) => {
        const months = await listCompleteMonths(db);
        const latest = months.at(-1);
        if (latest) await publishMonth(db, { month: latest, publishedBy: 'demo' });
      },
    },
    {
      label: '预警研判',
      run: async (db) => {
        const latest = (await listCompleteMonths(db)).at(-1);
        if (!latest) return;
        const day = lastDayOf(latest);
        await runEarlyWarnings(db, { day, fromDay: addDays(day, -(WARNING_DAYS - 1)) });
        for (let offset = WARNING_DAYS - 1; offset >= 0; offset -= 1) {
          const sensorDay = addDays(day, -offset);
          await ingestSensorReadings(db, await generateDemoSensorReadings(db, { day: sensorDay, seed, count: 3 }));
        }
      },
    },
  ];
}
