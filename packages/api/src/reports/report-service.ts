import { randomUUID } from 'node:crypto';
import { TRPCError } from '@trpc/server';
import { appendAudit } from '@cityops/db/audit-store';
import { archiveReport, type ArchivedReport, type ReportFormat } from '@cityops/db/reports-archive';
import type { Database } from '@cityops/db';
import { renderDocx, renderHtml, renderXlsx, reportImages } from '@cityops/reports';
import type { ReportData } from '@cityops/reports/report-data';
import type { SessionUser } from '../auth/session-user.ts';
import type { Context } from '../context.ts';
import { collectReportData } from './collect-report-data.ts';
import { reportCallerFor } from './report-caller.ts';

/**
 * Generating, archiving and tracking monthly reports. One service per server (it holds the job
 * table and the PDF renderer, which needs Chromium and therefore lives in apps/server).
 * TODO(wiring): add `reports?: ReportService` to ApiDeps (context.ts) and build it in serve.ts
 * with the server's reports directory and `createPdfRenderer()` from apps/server/src/reports.
 * Without it the router falls back to a per-database service that keeps files in the database
 * and cannot print PDF.
 */
export type PdfRenderer = (html: string) => Promise<Buffer>;

export interface ReportServiceOptions {
  /** Directory for archived files; absent → files are stored in the archive rows. */
  storeDir?: string | undefined;
  renderPdf?: PdfRenderer | undefined;
  /** Finished jobs are forgotten after this long (default 1 h). */
  jobTtlMs?: number;
}

export interface GenerateReportInput {
  month: string;
  unitCode: string;
  formats: readonly ReportFormat[];
  reportDate?: string;
}

export interface ReportJobFile {
  id: string;
  format: ReportFormat;
  fileName: string;
  bytes: number;
  sha256: string;
  url: string;
}

export interface ReportJob {
  jobId: string;
  owner: string;
  progress: number;
  stage: string;
  done: boolean;
  failed: boolean;
  error: string | null;
  files: ReportJobFile[];
  startedAt: number;
  finishedAt: number | null;
}

export const REPORT_DOWNLOAD_PATH = '/api/reports/:id/download';
export const downloadUrlOf = (id: string) => `/api/reports/${encodeURIComponent(id)}/download`;

export function reportFileName(data: ReportData, format: ReportFormat): string {
  return `成都市社情分析综合报告-${data.meta.unitName}-${data.meta.monthLabel}.${format}`;
}

export function toJobFile(report: ArchivedReport): ReportJobFile {
  return { id: report.id, format: report.format, fileName: report.fileName, bytes: report.bytes, sha256: report.sha256, url: downloadUrlOf(report.id) };
}

export interface RenderedReport {
  data: ReportData;
  files: { format: ReportFormat; fileName: string; content: Buffer }[];
}

/** Collects the data through the caller's procedures and renders the requested formats (charts and map drawn once). */
export async function renderReportFiles(
  ctx: Context,
  input: GenerateReportInput,
  renderPdf: PdfRenderer | undefined,
  onProgress: (fraction: number, stage: string) => void = () => undefined,
): Promise<RenderedReport> {
  if (input.formats.includes('pdf') && !renderPdf) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: '服务器未配置 PDF 渲染（Chromium）' });
  const data = await collectReportData(reportCallerFor(ctx), {
    month: input.month, unitCode: input.unitCode, departmentCode: ctx.scope?.departmentCode ?? null, generatedBy: ctx.user?.username ?? 'system',
    ...(input.reportDate ? { reportDate: input.reportDate } : {}),
    onProgress: (fraction, stage) => onProgress(fraction * 0.8, stage),
  });
  onProgress(0.8, '绘制图表与地图');
  const images = reportImages(data);
  // The formats are independent: Chromium prints the PDF in its own process while Word's PNGs
  // are rasterised on libuv's pool and the workbook is written here.
  const formats = [...new Set(input.formats)];
  const labels: Record<ReportFormat, string> = { docx: 'Word 文档', pdf: 'PDF 文档', xlsx: 'Excel 表格' };
  onProgress(0.85, `生成 ${formats.map((format) => labels[format]).join('、')}`);
  let done = 0;
  const files: RenderedReport['files'] = await Promise.all(formats.map(async (format) => {
    const content = format === 'docx' ? await renderDocx(data, { images }) : format === 'xlsx' ? await renderXlsx(data) : await renderPdf!(renderHtml(data, { images }));
    onProgress(0.85 + (0.13 * ++done) / formats.length, `${labels[format]}已生成`);
    return { format, fileName: reportFileName(data, format), content };
  }));
  return { data, files };
}

export class ReportService {
  private readonly jobs = new Map<string, ReportJob>();

  constructor(private readonly options: ReportServiceOptions = {}) {}

  get canRenderPdf(): boolean {
    return this.options.renderPdf !== undefined;
  }

  /** Generates, archives and audits one report (all requested formats); resolves when done. */
  async generate(ctx: Context & { user: SessionUser }, input: GenerateReportInput, onProgress?: (fraction: number, stage: string) => void): Promise<ArchivedReport[]> {
    const { data, files } = await renderReportFiles(ctx, input, this.options.renderPdf, onProgress);
    onProgress?.(0.98, '归档');
    const archived = await archiveAll(ctx.db, data, files, { generatedBy: ctx.user.username, departmentCode: ctx.scope?.departmentCode ?? null, storeDir: this.options.storeDir });
    await appendAudit(ctx.db, {
      actor: ctx.user.username,
      action: 'report.generate',
      target: `${input.unitCode}/${input.month}`,
      detail: { formats: files.map((f) => f.format), ids: archived.map((a) => a.id), indexStatus: data.meta.index.status, revision: data.meta.index.revision, methodVersion: data.meta.index.methodVersion },
      ip: ctx.meta.ip,
    });
    return archived;
  }

  /** Starts a generation in the background and returns its job id (poll `status`). */
  start(ctx: Context & { user: SessionUser }, input: GenerateReportInput): string {
    this.prune();
    const job: ReportJob = { jobId: randomUUID(), owner: ctx.user.username, progress: 0, stage: '排队中', done: false, failed: false, error: null, files: [], startedAt: Date.now(), finishedAt: null };
    this.jobs.set(job.jobId, job);
    void this.generate(ctx, input, (progress, stage) => Object.assign(job, { progress, stage }))
      .then((archived) => Object.assign(job, { progress: 1, stage: '已完成', done: true, files: archived.map(toJobFile), finishedAt: Date.now() }))
      .catch((error: unknown) => Object.assign(job, { stage: '生成失败', done: true, failed: true, error: (error as Error)?.message ?? String(error), finishedAt: Date.now() }));
    return job.jobId;
  }

  /** A job of this user (another user's job id is as unknown as a wrong one). */
  status(jobId: string, username: string): ReportJob {
    const job = this.jobs.get(jobId);
    if (!job || job.owner !== username) throw new TRPCError({ code: 'NOT_FOUND', message: '未找到该报告任务' });
    return { ...job, files: [...job.files] };
  }

  private prune(): void {
    const ttl = this.options.jobTtlMs ?? 3_600_000;
    for (const [id, job] of this.jobs) if (job.finishedAt !== null && Date.now() - job.finishedAt > ttl) this.jobs.delete(id);
  }
}

export async function archiveAll(
  db: Database,
  data: ReportData,
  files: RenderedReport['files'],
  opts: { generatedBy: string; departmentCode: string | null; storeDir?: string | undefined },
): Promise<ArchivedReport[]> {
  const archived: ArchivedReport[] = [];
  for (const file of files) {
    archived.push(
      await archiveReport(
        db,
        {
          month: data.meta.month, unitCode: data.meta.unitCode, unitName: data.meta.unitName, departmentCode: opts.departmentCode,
          format: file.format, fileName: file.fileName, generatedBy: opts.generatedBy, indexStatus: data.meta.index.status, snapshotId: data.meta.index.snapshotId,
          snapshotRevision: data.meta.index.revision, methodVersion: data.meta.index.methodVersion,
        },
        file.content,
        { storeDir: opts.storeDir },
      ),
    );
  }
  return archived;
}

const fallbackServices = new WeakMap<Database, ReportService>();

/** The server's service when wired into the context, else a per-database fallback (blob storage, no PDF). */
export function reportServiceOf(ctx: Context): ReportService {
  const wired = (ctx as Context & { reports?: ReportService }).reports;
  if (wired) return wired;
  let service = fallbackServices.get(ctx.db);
  if (!service) fallbackServices.set(ctx.db, (service = new ReportService()));
  return service;
}
