import { generateDemoSensorReadings, ingestSensorReadings, runEarlyWarnings } from '@cityops/db/index-store/index';
import { numberFlag, parseCommandArgs, UsageError } from '../cli-args.ts';
import { openExistingDatabase } from './publish.ts';

const USAGE = 'pnpm cityops warnings --day YYYY-MM-DD [--from-day YYYY-MM-DD] [--demo-sensors N] [--db PATH]';

function dayFlag(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`--${name} 应为 YYYY-MM-DD 格式，收到 "${value}"`);
  return value;
}

/**
 * `pnpm cityops warnings --day D`: the daily early-warning job (EARS C2 per street/district ×
 * item, cross-source escalations) and, with --demo-sensors N, N demo sensor alarms for the day.
 */
export async function runWarnings(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { day: { type: 'string' }, 'from-day': { type: 'string' }, 'demo-sensors': { type: 'string' }, db: { type: 'string' } }, USAGE);
  const day = dayFlag(values.day, 'day');
  if (!day) throw new UsageError(`缺少 --day\n用法 / usage: ${USAGE}`);
  const fromDay = dayFlag(values['from-day'], 'from-day');
  const sensors = numberFlag(values['demo-sensors'], 'demo-sensors', 0, [0, 1000]);
  const db = await openExistingDatabase(values.db);
  try {
    const result = await runEarlyWarnings(db, { day, ...(fromDay ? { fromDay } : {}) });
    const sensorAlerts = sensors > 0 ? await ingestSensorReadings(db, await generateDemoSensorReadings(db, { day, count: sensors })) : [];
    const created = [...result.created, ...sensorAlerts];
    process.stdout.write(`预警 ${fromDay ?? day}…${day}: 统计 ${result.statistical}，升级 ${result.escalations}，传感器 ${sensorAlerts.length}；新增 ${created.length} 条\n`);
    for (const alert of created.slice(0, 20)) process.stdout.write(`  [${alert.severity}] ${alert.day} ${alert.unitCode} ${alert.title}\n`);
  } finally {
    db.close();
  }
}
