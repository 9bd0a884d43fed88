import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { blobValue } from '@duckdb/node-api';
import { DomainError, scopeCoversUnit, type Scope } from '@cityops/domain';
import type { Database } from './database.ts';

/**
 * The archive of generated monthly reports (table `report_archive`, migration 0006-reports).
 * Rows are only inserted. A file is kept on disk when a directory is given (the server's
 * reports directory), otherwise in the row itself (tests, single-file deployments).
 *
 * Visibility follows the scope the report was generated for: a territorial report is visible
 * to callers whose territory covers its unit; a department's report only to that department.
 */
export const REPORT_FORMATS = ['docx', 'pdf', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface NewArchivedReport {
  month: string;
  unitCode: string;
  unitName: string;
  departmentCode: string | null;
  format: ReportFormat;
  fileName: string;
  generatedBy: string;
  indexStatus: 'published' | 'provisional';
  snapshotId: string | null;
  snapshotRevision: number | null;
  methodVersion: string;
}

export interface ArchivedReport extends NewArchivedReport {
  id: string;
  sha256: string;
  bytes: number;
  generatedAt: string;
  stored: 'file' | 'blob';
}

interface ArchiveRow {
  id: string;
  month: string;
  unit_code: string;
  unit_name: string;
  department_code: string | null;
  format: ReportFormat;
  file_name: string;
  path: string | null;
  sha256: string;
  bytes: number;
  generated_by: string;
  generated_at: string;
  index_status: 'published' | 'provisional';
  snapshot_id: string | null;
  snapshot_revision: number | null;
  method_version: string;
}

const SELECT_META = `"id", "month", "unit_code", "unit_name", "department_code", "format", "file_name", "path", "sha256", "bytes"::DOUBLE AS "bytes",
  "generated_by", strftime("generated_at", '%Y-%m-%d %H:%M:%S') AS "generated_at", "index_status", "snapshot_id", "snapshot_revision", "method_version"`;

function toArchived(row: ArchiveRow): ArchivedReport {
  return {
    id: row.id, month: row.month, unitCode: row.unit_code, unitName: row.unit_name, departmentCode: row.department_code, format: row.format,
    fileName: row.file_name, generatedBy: row.generated_by, indexStatus: row.index_status, snapshotId: row.snapshot_id,
    snapshotRevision: row.snapshot_revision, methodVersion: row.method_version, sha256: row.sha256, bytes: row.bytes,
    generatedAt: row.generated_at, stored: row.path ? 'file' : 'blob',
  };
}

export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Stores one generated file; `storeDir` keeps it on disk (as `<id>.<format>`), otherwise in the row. */
export async function archiveReport(db: Database, report: NewArchivedReport, content: Uint8Array, opts: { storeDir?: string | undefined } = {}): Promise<ArchivedReport> {
  const id = `RPT-${report.month.replace('-', '')}-${report.unitCode}-${randomUUID().slice(0, 8)}`;
  let filePath: string | null = null;
  if (opts.storeDir) {
    mkdirSync(opts.storeDir, { recursive: true });
    filePath = path.resolve(opts.storeDir, `${id}.${report.format}`);
    writeFileSync(filePath, content);
  }
  await db.run(
    `INSERT INTO "report_archive" ("id", "month", "unit_code", "unit_name", "department_code", "format", "file_name", "path", "content", "sha256", "bytes",
       "generated_by", "generated_at", "index_status", "snapshot_id", "snapshot_revision", "method_version")
     VALUES ($id, $month, $unit, $unitName, $department, $format, $fileName, $path, $content, $sha, $bytes, $by, now()::TIMESTAMP, $status, $snapshot, $revision, $method)`,
    {
      id, month: report.month, unit: report.unitCode, unitName: report.unitName, department: report.departmentCode, format: report.format,
      fileName: report.fileName, path: filePath, content: filePath ? null : blobValue(content), sha: sha256Hex(content), bytes: content.byteLength,
      by: report.generatedBy, status: report.indexStatus, snapshot: report.snapshotId, revision: report.snapshotRevision, method: report.methodVersion,
    },
  );
  const [row] = await db.all<ArchiveRow>(`SELECT ${SELECT_META} FROM "report_archive" WHERE "id" = $id`, { id });
  return toArchived(row!);
}

function visibleTo(scope: Scope, row: Pick<ArchiveRow, 'unit_code' | 'department_code'>): boolean {
  if (scope.role === 'department_officer' || scope.items) return row.department_code !== null && row.department_code === scope.departmentCode;
  return row.department_code === null && scopeCoversUnit(scope, row.unit_code);
}

export interface ListArchivedReportsInput {
  unitCode?: string | undefined;
  month?: string | undefined;
  limit?: number | undefined;
}

/** Archived reports the caller may see, newest first. */
export async function listArchivedReports(db: Database, scope: Scope, input: ListArchivedReportsInput = {}): Promise<ArchivedReport[]> {
  const limit = Math.min(Math.max(1, input.limit ?? 200), 1000);
  const rows = await db.all<ArchiveRow>(
    `SELECT ${SELECT_META} FROM "report_archive"
     WHERE ($unit::VARCHAR IS NULL OR "unit_code" = $unit) AND ($month::VARCHAR IS NULL OR "month" = $month) AND starts_with("unit_code", $root)
     ORDER BY "generated_at" DESC, "id" DESC`,
    { unit: input.unitCode ?? null, month: input.month ?? null, root: scope.unitCode },
  );
  return rows.filter((row) => visibleTo(scope, row)).slice(0, limit).map(toArchived);
}

/** One archived report and its bytes; NOT_FOUND when absent, FORBIDDEN outside the caller's scope. */
export async function readArchivedReport(db: Database, scope: Scope, id: string): Promise<{ report: ArchivedReport; content: Buffer }> {
  const [row] = await db.all<ArchiveRow & { content: Uint8Array | null }>(`SELECT ${SELECT_META}, "content" FROM "report_archive" WHERE "id" = $id`, { id });
  if (!row) throw new DomainError('NOT_FOUND', `未找到报告 ${id}`, { id });
  if (!visibleTo(scope, row)) throw new DomainError('FORBIDDEN', '无权下载该报告', { id });
  const content = row.path ? readFileSync(row.path) : Buffer.from(row.content ?? new Uint8Array());
  if (sha256Hex(content) !== row.sha256) throw new DomainError('INTERNAL', `报告文件校验失败 / report ${id} fails its sha256 check`, { id });
  return { report: toArchived(row), content };
}
