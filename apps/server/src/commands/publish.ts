import { existsSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, type Database } from '@cityops/db/database';
import { listUnitsOfLevel } from '@cityops/db';
import { migrate } from '@cityops/db/migrations/index';
import { computeIndexMonth, listRollupMonths, publishMonth } from '@cityops/db/index-store/index';
import { CITY_CODE } from '@cityops/domain';
import { monthFlag, parseCommandArgs, UsageError } from '../cli-args.ts';
import { generateReportsAfterPublish } from './report.ts';
import { defaultDbPath } from '../paths.ts';

const PUBLISH_USAGE = 'pnpm cityops publish --month YYYY-MM [--cutoff "YYYY-MM-DD HH:MM:SS"] [--by NAME] [--reports city|all|none] [--db PATH]';
const INDEX_USAGE = 'pnpm cityops index --month YYYY-MM [--db PATH]';

export async function openExistingDatabase(dbPath: string | undefined): Promise<Database> {
  const file = path.resolve(dbPath ?? defaultDbPath());
  if (!existsSync(file)) throw new UsageError(`数据库 ${file} 不存在；请先运行 pnpm cityops generate 或 pnpm cityops start`);
  const db = await openDatabase(file);
  try {
    await migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function requireMonth(value: string | undefined, usage: string): string {
  const month = monthFlag(value, 'month');
  if (!month) throw new UsageError(`缺少 --month\n用法 / usage: ${usage}`);
  return month;
}

async function assertMonthHasData(db: Database, month: string): Promise<void> {
  const months = await listRollupMonths(db);
  if (!months.includes(month)) {
    throw new UsageError(`${month} 没有数据（已有 ${months[0] ?? '—'} … ${months[months.length - 1] ?? '—'}）`);
  }
}

/** `pnpm cityops publish --month YYYY-MM`: freezes the month's index as a new revision (or reports it unchanged). */
export async function runPublish(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { month: { type: 'string' }, cutoff: { type: 'string' }, by: { type: 'string' }, reports: { type: 'string' }, db: { type: 'string' } }, PUBLISH_USAGE);
  const month = requireMonth(values.month, PUBLISH_USAGE);
  const reports = values.reports ?? 'city';
  if (!['city', 'all', 'none'].includes(reports)) throw new UsageError(`--reports 应为 city、all 或 none，收到 "${reports}"`);
  const db = await openExistingDatabase(values.db);
  try {
    await assertMonthHasData(db, month);
    const started = Date.now();
    const result = await publishMonth(db, { month, publishedBy: values.by ?? process.env['USER'] ?? 'cli', ...(values.cutoff ? { cutoff: values.cutoff } : {}) });
    const s = result.snapshot;
    const lines = [
      result.created ? `已发布 ${month} 社情指数 第 ${s.revision} 版 / published revision ${s.revision}` : `${month} 数据无变化，保持第 ${s.revision} 版 / unchanged: revision ${s.revision} stands`,
      `  单位数 units:            ${s.units.toLocaleString('zh-CN')}`,
      `  方法版本 method:         ${s.methodVersion}`,
      `  数据截止 cut-off:        ${s.cutoff}`,
      `  基期 baseline:           ${s.baselineFrom} … ${s.baselineTo}`,
      `  发布人 by:               ${s.publishedBy} @ ${s.publishedAt}`,
      `  内容摘要 sha256:         ${s.contentHash.slice(0, 16)}…`,
    ];
    if (result.created && s.previousRevision !== null) {
      const c = s.changes;
      lines.push(
        `  相对第 ${s.previousRevision} 版的变化 / changes vs revision ${s.previousRevision}: ${c.unitsChanged} 个单位（分值 ${c.scoreChanged}，排名 ${c.rankChanged}），最大分值变化 ${c.maxAbsScoreChange.toFixed(4)}` +
          `${c.methodChanged ? '；方法版本变化' : ''}${c.baselineChanged ? '；基期变化' : ''}${c.weightsChanged ? '；权重变化' : ''}`,
      );
      for (const unit of c.units.slice(0, 10)) {
        lines.push(`    ${unit.code} (${unit.level}) 分值 ${unit.scoreFrom.toFixed(2)} → ${unit.scoreTo.toFixed(2)}，排名 ${unit.rankFrom} → ${unit.rankTo}`);
      }
      if (c.units.length > 10) lines.push(`    … 另有 ${c.units.length - 10} 个单位`);
    }
    lines.push(`  用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    process.stdout.write(`${lines.join('\n')}\n`);
    if (result.created && reports !== 'none') {
      // The monthly report follows every publication (issue 9): the city's by default, every
      // district's too with --reports all.
      const archived = await generateReportsAfterPublish(db, month, reports === 'city' ? { unitCodes: [CITY_CODE] } : {});
      process.stdout.write(`  已生成并归档报告 ${archived.length} 份（${[...new Set(archived.map((a) => a.format))].join('、')}）\n`);
    }
  } finally {
    db.close();
  }
}

/** `pnpm cityops index --month YYYY-MM`: computes the provisional index of a month and prints the district table. */
export async function runIndex(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { month: { type: 'string' }, db: { type: 'string' } }, INDEX_USAGE);
  const month = requireMonth(values.month, INDEX_USAGE);
  const db = await openExistingDatabase(values.db);
  try {
    await assertMonthHasData(db, month);
    const started = Date.now();
    const { values: units, baseline } = await computeIndexMonth(db, { month });
    const names = new Map([...(await listUnitsOfLevel(db, 'city')), ...(await listUnitsOfLevel(db, 'district'))].map((unit) => [unit.code as string, unit.name]));
    const lines = [`${month} 社情指数（暂定，未发布）/ provisional index — ${units.length.toLocaleString('zh-CN')} 个单位，基期 ${baseline.from} … ${baseline.to}`];
    for (const unit of units.filter((u) => u.level === 'city' || u.level === 'district').sort((a, b) => a.level.localeCompare(b.level) || a.rank - b.rank)) {
      lines.push(`  ${String(unit.rank).padStart(2)}  ${unit.code.padEnd(6)} ${(names.get(unit.code) ?? '').padEnd(6, '　')} ${unit.score.toFixed(1).padStart(5)}  ${unit.band}`);
    }
    lines.push(`  用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    db.close();
  }
}
