import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CITY_CODE, parseUnitCode, type UnitCode } from '@cityops/domain';
import { listUnitsOfLevel, migrate, openDatabase, type Database } from '@cityops/db';
import { appendAudit } from '@cityops/db/audit-store';
import { REPORT_FORMATS, type ArchivedReport, type ReportFormat } from '@cityops/db/reports-archive';
import { DEFAULT_API_CONFIG, LiveBus, LoginThrottle, createContextInner, type SessionUser } from '@cityops/api';
import { archiveAll, renderReportFiles } from '@cityops/api/reports/report-service';
import { monthFlag, parseCommandArgs, UsageError } from '../cli-args.ts';
import { defaultDbPath } from '../paths.ts';
import { createPdfRenderer, type PdfRenderer } from '../reports/render-pdf.ts';

const USAGE = 'pnpm cityops report --month YYYY-MM [--unit CODE] --format docx|pdf|xlsx[,…] --out DIR [--db PATH]';

/** The command line and the post-publish hook act as the platform (city-wide scope), not as a person. */
function systemUser(username: string): SessionUser {
  return { username, displayName: '系统', role: 'admin', unitCode: CITY_CODE, departmentCode: null, gridCodes: null, canSeePersonalData: false };
}

function systemContext(db: Database, username: string) {
  const user = systemUser(username);
  return { ...createContextInner({ db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(), liveBus: new LiveBus(), user }), user };
}

export function parseFormats(value: string | undefined): ReportFormat[] {
  if (!value) throw new UsageError(`缺少 --format\n用法 / usage: ${USAGE}`);
  const formats = value.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean);
  const unknown = formats.filter((f) => !REPORT_FORMATS.includes(f as ReportFormat));
  if (formats.length === 0 || unknown.length > 0) throw new UsageError(`--format 只能是 docx、pdf、xlsx（可用逗号组合），收到 "${value}"`);
  return [...new Set(formats)] as ReportFormat[];
}

async function hasArchiveTable(db: Database): Promise<boolean> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM duckdb_tables() WHERE "table_name" = 'report_archive'`);
  return (rows[0]?.n ?? 0) > 0;
}

export interface ReportRunResult {
  files: string[];
  archived: ArchivedReport[];
  seconds: number;
}

/** Renders one report to `outDir` (and archives it when the database has the archive table). */
export async function writeReport(db: Database, opts: { month: string; unitCode: string; formats: ReportFormat[]; outDir: string; actor: string; pdf?: PdfRenderer; reportDate?: string }): Promise<ReportRunResult> {
  const started = Date.now();
  const ctx = systemContext(db, opts.actor);
  const ownPdf = opts.formats.includes('pdf') && !opts.pdf ? createPdfRenderer() : undefined;
  const pdf = opts.pdf ?? ownPdf;
  // Chromium starts while the data is collected.
  if (opts.formats.includes('pdf')) pdf?.warm();
  try {
    const log = (fraction: number, stage: string) => process.stderr.write(`  [${String(Math.round(fraction * 100)).padStart(3)}%] ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${stage}\n`);
    const { data, files } = await renderReportFiles(ctx, { month: opts.month, unitCode: opts.unitCode, formats: opts.formats, ...(opts.reportDate ? { reportDate: opts.reportDate } : {}) }, pdf ? (html) => pdf.render(html) : undefined, log);
    mkdirSync(opts.outDir, { recursive: true });
    const written = files.map((file) => {
      const target = path.join(opts.outDir, file.fileName);
      writeFileSync(target, file.content);
      return target;
    });
    const archived = (await hasArchiveTable(db)) ? await archiveAll(db, data, files, { generatedBy: opts.actor, departmentCode: null }) : [];
    if (archived.length > 0) {
      await appendAudit(db, { actor: opts.actor, action: 'report.generate', target: `${opts.unitCode}/${opts.month}`, detail: { formats: opts.formats, ids: archived.map((a) => a.id), via: 'cli' }, ip: null }).catch(() => undefined);
    }
    return { files: written, archived, seconds: (Date.now() - started) / 1000 };
  } finally {
    await ownPdf?.close();
  }
}

/** `pnpm cityops report --month YYYY-MM [--unit CODE] --format docx,pdf,xlsx --out DIR [--db PATH]`. */
export async function runReport(argv: string[]): Promise<void> {
  const { values } = parseCommandArgs(argv, { month: { type: 'string' }, unit: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' }, db: { type: 'string' } }, USAGE);
  const month = monthFlag(values.month, 'month');
  if (!month) throw new UsageError(`缺少 --month\n用法 / usage: ${USAGE}`);
  if (!values.out) throw new UsageError(`缺少 --out\n用法 / usage: ${USAGE}`);
  let unitCode: UnitCode = CITY_CODE;
  try {
    if (values.unit) unitCode = parseUnitCode(values.unit);
  } catch {
    throw new UsageError(`--unit 不是有效的区划代码: ${values.unit}`);
  }
  const formats = parseFormats(values.format);
  const file = path.resolve(values.db ?? defaultDbPath());
  if (!existsSync(file)) throw new UsageError(`数据库 ${file} 不存在；请先运行 pnpm cityops generate 或 pnpm cityops start`);
  const db = await openDatabase(file);
  try {
    await migrate(db);
    const result = await writeReport(db, { month, unitCode, formats, outDir: path.resolve(values.out), actor: 'cli' });
    for (const written of result.files) process.stdout.write(`${written}\n`);
    process.stderr.write(`已生成 ${result.files.length} 个文件，用时 ${result.seconds.toFixed(1)} 秒${result.archived.length > 0 ? '，已归档' : ''}\n`);
  } finally {
    db.close();
  }
}

export interface AfterPublishOptions {
  /** Units to report on (default: the city and its 20 districts). */
  unitCodes?: string[];
  formats?: ReportFormat[];
  /** Where archived files go (default: in the archive rows). */
  storeDir?: string;
  pdf?: PdfRenderer;
}

/**
 * Called after `publish`: archives the month's reports for the city and every district (one
 * Chromium for all PDFs). Returns what was archived; a unit that fails is reported and skipped.
 */
export async function generateReportsAfterPublish(db: Database, month: string, opts: AfterPublishOptions = {}): Promise<ArchivedReport[]> {
  const formats = opts.formats ?? ['docx', 'pdf', 'xlsx'];
  const units = opts.unitCodes ?? [CITY_CODE, ...(await listUnitsOfLevel(db, 'district')).map((unit) => unit.code)];
  const ctx = systemContext(db, 'publish');
  const ownPdf = formats.includes('pdf') && !opts.pdf ? createPdfRenderer() : undefined;
  const pdf = opts.pdf ?? ownPdf;
  if (formats.includes('pdf')) pdf?.warm();
  const archived: ArchivedReport[] = [];
  try {
    for (const unitCode of units) {
      try {
        const { data, files } = await renderReportFiles(ctx, { month, unitCode, formats }, pdf ? (html) => pdf.render(html) : undefined);
        const done = await archiveAll(db, data, files, { generatedBy: 'publish', departmentCode: null, storeDir: opts.storeDir });
        await appendAudit(db, { actor: 'publish', action: 'report.generate', target: `${unitCode}/${month}`, detail: { formats, ids: done.map((a) => a.id), via: 'publish' }, ip: null });
        archived.push(...done);
      } catch (error) {
        process.stderr.write(`报告生成失败 ${unitCode} ${month}: ${(error as Error).message}\n`);
      }
    }
  } finally {
    await ownPdf?.close();
  }
  return archived;
}
