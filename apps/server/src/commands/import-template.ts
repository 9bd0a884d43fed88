import path from 'node:path';
import { isSource, writeImportTemplate } from '@cityops/db/import/index';
import { parseCommandArgs, UsageError } from '../cli-args.ts';

const USAGE = 'pnpm cityops import-template --source hotline|police|petition --out FILE.csv|FILE.xlsx';

/** `pnpm cityops import-template`: writes the column template of a source, with one example row. */
export async function runImportTemplate(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { source: { type: 'string' }, out: { type: 'string' } }, USAGE);
  if (!values.source || !isSource(values.source)) throw new UsageError(`--source 应为 hotline、police 或 petition\n用法 / usage: ${USAGE}`);
  if (!values.out || !/\.(csv|xlsx)$/i.test(values.out)) throw new UsageError(`--out 应为 .csv 或 .xlsx 文件\n用法 / usage: ${USAGE}`);
  const out = path.resolve(values.out);
  await writeImportTemplate(values.source, out);
  process.stdout.write(`已写入 ${values.source} 导入模板 → ${out}\n`);
}
