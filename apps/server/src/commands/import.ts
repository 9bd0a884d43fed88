import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@cityops/db/database';
import { migrate } from '@cityops/db/migrations/index';
import { CRS_NAMES, CSV_ENCODINGS, DEFAULT_BATCH_SIZE, importFile, importMemoryLimitMb, isSource, MAX_BATCH_SIZE, readMappingFile, sheetFormatOf, type CrsName, type CsvEncoding, type ImportSummary } from '@cityops/db/import/index';
import { parseCommandArgs, UsageError } from '../cli-args.ts';
import { readEnv } from '../env.ts';
import { defaultDbPath } from '../paths.ts';
import { createProgress } from '../progress.ts';

const USAGE =
  'pnpm cityops import --source hotline|police|petition FILE [--mapping MAPPING.json] [--crs wgs84|gcj02|bd09] ' +
  '[--encoding utf8|gbk|gb18030] [--rejects FILE] [--batch-size N] [--db PATH]';

/** `pnpm cityops import`: loads one department export (CSV or XLSX) into the warehouse. */
export async function runImport(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommandArgs(
    argv,
    {
      source: { type: 'string' },
      mapping: { type: 'string' },
      crs: { type: 'string' },
      encoding: { type: 'string' },
      rejects: { type: 'string' },
      'batch-size': { type: 'string' },
      db: { type: 'string' },
    },
    USAGE,
  );
  if (!values.source || !isSource(values.source)) throw new UsageError(`--source 应为 hotline、police 或 petition\n用法 / usage: ${USAGE}`);
  if (positionals.length !== 1) throw new UsageError(`请给出一个要导入的文件\n用法 / usage: ${USAGE}`);
  const file = path.resolve(positionals[0]!);
  if (!existsSync(file)) throw new UsageError(`找不到文件 ${file}`);
  if (values.crs && !(CRS_NAMES as readonly string[]).includes(values.crs)) throw new UsageError(`--crs 应为 ${CRS_NAMES.join('、')}，收到 "${values.crs}"`);
  const encodings = [...CSV_ENCODINGS, 'gbk'];
  if (values.encoding && !encodings.includes(values.encoding)) throw new UsageError(`--encoding 应为 ${encodings.join('、')}，收到 "${values.encoding}"`);
  const dbPath = path.resolve(values.db ?? readEnv().CITYOPS_DB ?? defaultDbPath());
  if (!existsSync(dbPath)) throw new UsageError(`数据库 ${dbPath} 不存在：先运行 pnpm cityops start（或 generate）创建，或用 --db 指定`);
  const mapping = values.mapping ? readMappingFile(path.resolve(values.mapping)) : undefined;
  const batchSize = batchSizeFlag(values['batch-size']);

  const db = await openDatabase(dbPath);
  const progress = createProgress(`导入 ${path.basename(file)}`);
  try {
    await migrate(db);
    // An import needs little of DuckDB's buffer pool; without a cap its cache grows with every
    // batch written (the default is 80 % of RAM). The cap grows with the batch, which must fit.
    await db.run(`SET memory_limit = '${importMemoryLimitMb(sheetFormatOf(file), batchSize, statSync(file).size)}MB'`);
    const summary = await importFile(db, {
      source: values.source,
      file,
      mapping,
      crs: values.crs as CrsName | undefined,
      encoding: values.encoding as CsvEncoding | 'gbk' | undefined,
      rejectsFile: values.rejects ? path.resolve(values.rejects) : undefined,
      batchSize,
      salt: readEnv().CITYOPS_REPORTER_SALT,
      onProgress: ({ bytesRead, totalBytes, rowsRead, phase }) => progress.update(bytesRead, totalBytes, phase ?? `${rowsRead.toLocaleString('zh-CN')} 行`),
    });
    progress.stop();
    process.stdout.write(formatImportSummary(path.basename(file), summary));
  } finally {
    progress.stop();
    db.close();
  }
}

/**
 * --batch-size: rows per transaction, at most MAX_BATCH_SIZE (a batch is held in DuckDB's memory
 * until its commit; larger batches gain little speed and the whole batch is lost to a crash).
 */
export function batchSizeFlag(value: string | undefined): number {
  if (value === undefined) return DEFAULT_BATCH_SIZE;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > MAX_BATCH_SIZE) {
    throw new UsageError(
      `--batch-size 应为 1–${MAX_BATCH_SIZE} 之间的整数，收到 "${value}"（每批在提交前整批留在数据库内存中，更大的批次几乎不再提速，且崩溃时整批重做）`,
    );
  }
  return parsed;
}

export function formatImportSummary(name: string, s: ImportSummary): string {
  const format = s.format === 'xlsx' ? 'XLSX' : `CSV ${s.encoding === 'gb18030' ? 'GBK/GB18030' : s.encoding === 'utf8-bom' ? 'UTF-8 (BOM)' : 'UTF-8'}`;
  const lines = [
    `导入完成 ${name}（${format}），用时 ${(s.ms / 1000).toFixed(1)} 秒`,
    s.engine === 'sql'
      ? `  校验方式: DuckDB 整表校验（其中 ${s.rowsNormalizedInJs} 行格式特殊，逐行复核）`
      : '  校验方式: 逐行校验',
    `  接受 accepted ${s.accepted} + 更新 updated ${s.updated} + 拒绝 rejected ${s.rejected} = 读取 rows read ${s.rowsRead}`,
    `  其中接受 = 新增 ${s.inserted} + 未变化 ${s.unchanged} + 状态旧于库中 ${s.stale}（不覆盖）`,
  ];
  if (s.resumedAfterRow !== null) lines.push(`  续传：上次中断的导入已提交到第 ${s.resumedAfterRow} 行，本次从其后继续`);
  if (s.previousRunId !== null) lines.push(`  注意：同一文件已于导入 #${s.previousRunId} 完整导入过；重复导入不会改变数据`);
  if (s.unmappedCategories.length > 0) lines.push(`  未映射到16个事项的类别: ${s.unmappedCategories.map(([name, n]) => `${name} ×${n}`).join('，')}（可在映射文件 categories 中补充）`);
  if (s.rejectReasons.length > 0) lines.push(`  拒绝原因: ${s.rejectReasons.slice(0, 8).map(([reason, n]) => `${reason} ×${n}`).join('；')}`);
  if (s.ignoredHeaders.length > 0) lines.push(`  未使用的列: ${s.ignoredHeaders.join('，')}`);
  if (s.rejectsFile) lines.push(`  被拒绝的行已写入 ${s.rejectsFile}（含 行号/列/原因，修改后可直接重新导入）`);
  if (s.rollups) lines.push(`  汇总表已刷新（${s.rollups.days} 天，${s.rollups.months} 个月，${Math.round(s.rollups.ms)} ms）`);
  return `${lines.join('\n')}\n`;
}
