import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DEMO_SCALE, generateDemoData, loadUnits, migrate, openDatabase, refreshRollups } from '@cityops/db';
import { monthFlag, numberFlag, parseCommandArgs, UsageError } from '../cli-args.ts';
import { defaultDbPath, unitsCsvPath } from '../paths.ts';
import { createProgress } from '../progress.ts';
import { demoPipelineSteps } from './demo-pipeline.ts';

const USAGE = 'pnpm cityops generate [--scale S] [--months M] [--seed N] [--end-month YYYY-MM] [--db PATH] [--replace]';

export interface GenerateOptions {
  dbPath: string;
  scale: number;
  months: number;
  seed: number;
  endMonth?: string | undefined;
}

export async function runGenerate(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(
    argv,
    {
      scale: { type: 'string' },
      months: { type: 'string' },
      seed: { type: 'string' },
      'end-month': { type: 'string' },
      db: { type: 'string' },
      replace: { type: 'boolean' },
    },
    USAGE,
  );
  const options: GenerateOptions = {
    dbPath: path.resolve(values.db ?? defaultDbPath()),
    scale: numberFlag(values.scale, 'scale', DEMO_SCALE, [0.0001, 5]),
    months: numberFlag(values.months, 'months', 25, [1, 120]),
    seed: numberFlag(values.seed, 'seed', 20260101, [0, 2 ** 31 - 1]),
    endMonth: monthFlag(values['end-month'], 'end-month'),
  };
  if (!Number.isInteger(options.months)) throw new UsageError('--months 应为整数');
  if (existsSync(options.dbPath) && !values.replace) {
    throw new UsageError(`数据库 ${options.dbPath} 已存在；如需重新生成请加 --replace（将覆盖原数据）`);
  }
  await generateDatabaseFile(options);
}

/**
 * Generates into a sibling temp file and renames it into place only when complete, so an
 * interrupted run never leaves a half-written database behind.
 */
export async function generateDatabaseFile(options: GenerateOptions): Promise<void> {
  mkdirSync(path.dirname(options.dbPath), { recursive: true });
  const partial = `${options.dbPath}.partial`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });
  const progress = createProgress('生成演示数据');
  const started = Date.now();
  const db = await openDatabase(partial);
  let events = 0;
  try {
    await migrate(db);
    await loadUnits(db, unitsCsvPath());
    const result = await generateDemoData(db, {
      scale: options.scale,
      months: options.months,
      seed: options.seed,
      ...(options.endMonth ? { endMonth: options.endMonth } : {}),
      onProgress: (done, total, label) => progress.update(done, total, label),
    });
    events = result.events;
    const steps = demoPipelineSteps(options.seed);
    progress.update(0, steps.length + 1, '汇总表');
    await refreshRollups(db, {});
    for (const [index, step] of steps.entries()) {
      progress.update(index + 1, steps.length + 1, step.label);
      await step.run(db);
    }
    progress.update(steps.length + 1, steps.length + 1, '完成');
  } catch (error) {
    progress.stop();
    await db.close();
    rmSync(partial, { force: true });
    rmSync(`${partial}.wal`, { force: true });
    throw error;
  }
  progress.stop();
  await db.close();
  rmSync(`${options.dbPath}.wal`, { force: true });
  renameSync(partial, options.dbPath);
  const seconds = (Date.now() - started) / 1000;
  process.stderr.write(`已生成 ${events.toLocaleString('zh-CN')} 条事件，用时 ${seconds.toFixed(1)} 秒 → ${options.dbPath}\n`);
}
