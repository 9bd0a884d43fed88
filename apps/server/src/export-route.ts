import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { DomainError, ITEMS, SOURCES, SOURCE_LABELS, URGENCY_LABELS, isDomainError, type Scope, type Urgency } from '@cityops/domain';
import { queryChildVolumes, queryEventList } from '@cityops/db';
import { appendAudit } from '@cityops/db/audit-store';
import { createContextFromSession, type ApiDeps } from '@cityops/api';
import { renderTableCsv, renderTableXlsx, type ExportTable } from '@cityops/reports';
import { sessionCookieJar } from './cookies.ts';

/** The most event rows one export carries (a district's month is ~20–40 k events at full scale). */
export const MAX_EXPORT_EVENTS = 50_000;

const LEVEL_LABELS: Record<string, string> = { city: '市', district: '区（市）县', street: '街道（镇）', community: '社区（村）', grid: '网格' };

const filterSchema = z.object({
  unitCode: z.string().regex(/^(\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, '区划代码格式不正确'),
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM'),
  source: z.enum(SOURCES).optional(),
  item: z.enum(ITEMS).optional(),
  nature: z.string().regex(/^[a-z_]{1,32}$/, '性质代码格式不正确').optional(),
});
type ExportFilter = z.infer<typeof filterSchema>;

const FILE = /^(children|events)\.(csv|xlsx)$/;

/**
 * `GET /api/export/{children|events}.{csv|xlsx}?unitCode=&month=&source=&item=&nature=` — the
 * current dashboard view as a file, through the same scoped queries as the dashboards (so an
 * export can never hold more than the screen may show), without personal data, audited.
 */
export function createExportHandler(deps: ApiDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const match = FILE.exec(String(req.params['file'] ?? ''));
    if (!match) {
      res.status(404).json({ error: '未知的导出内容，可选 children 或 events，格式 csv 或 xlsx' });
      return;
    }
    const [, table, format] = match as unknown as [string, 'children' | 'events', 'csv' | 'xlsx'];
    const meta = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    const ctx = await createContextFromSession(deps, meta, sessionCookieJar(req, res, deps.config.secureCookies));
    if (!ctx.user || !ctx.scope) {
      res.status(401).json({ error: '请先登录' });
      return;
    }
    const parsed = filterSchema.safeParse(Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== '')));
    if (!parsed.success) {
      res.status(400).json({ error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('；') });
      return;
    }
    const filter = parsed.data;
    try {
      const sheet = table === 'children' ? await childrenTable(deps, ctx.scope, filter) : await eventsTable(deps, ctx.scope, filter);
      const body = format === 'csv' ? renderTableCsv(sheet) : await renderTableXlsx(sheet);
      await appendAudit(ctx.db, { actor: ctx.user.username, action: 'export.view', target: `${table}.${format}`, detail: { ...filter, rows: sheet.rows.length }, ip: meta.ip });
      const name = `${sheet.title}-${filter.unitCode}-${filter.month}.${format}`;
      res.status(200);
      res.setHeader('Content-Type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      res.setHeader('Content-Disposition', `attachment; filename="export.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`);
      res.setHeader('X-Row-Count', String(sheet.rows.length));
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(body);
    } catch (error) {
      if (isDomainError(error) && ['FORBIDDEN', 'BAD_INPUT', 'NOT_FOUND'].includes(error.code)) {
        if (error.code === 'FORBIDDEN') await appendAudit(ctx.db, { actor: ctx.user.username, action: 'export.view', target: `${table}.${format}`, detail: { ...filter, refused: 'FORBIDDEN' }, ip: meta.ip });
        res.status(error.code === 'FORBIDDEN' ? 403 : error.code === 'NOT_FOUND' ? 404 : 400).json({ error: error.message });
        return;
      }
      res.status(500).json({ error: '服务器内部错误，请稍后重试' });
    }
  };
}

async function childrenTable(deps: ApiDeps, scope: Scope, filter: ExportFilter): Promise<ExportTable> {
  if (filter.nature) throw new DomainError('BAD_INPUT', '下级区域汇总不按性质统计，请去掉“性质”筛选或导出事件清单');
  const rows = await queryChildVolumes(deps.db, scope, filter);
  return {
    title: '下级区域事件量',
    columns: [
      { header: '区划代码', kind: 'text' }, { header: '名称', kind: 'text' }, { header: '层级', kind: 'text' },
      { header: '常住人口', kind: 'count' }, { header: '事件数', kind: 'count' }, { header: '每万人事件数', kind: 'decimal' },
    ],
    rows: rows.map((row) => [row.code, row.name, LEVEL_LABELS[row.level] ?? row.level, row.population, row.count, row.ratePer10k === null ? null : Math.round(row.ratePer10k * 100) / 100]),
  };
}

async function eventsTable(deps: ApiDeps, scope: Scope, filter: ExportFilter): Promise<ExportTable> {
  const { rows } = await queryEventList(deps.db, scope, { ...filter, limit: MAX_EXPORT_EVENTS });
  return {
    title: '事件清单',
    columns: [
      { header: '事件编号', kind: 'text' }, { header: '来源', kind: 'text' }, { header: '受理时间', kind: 'datetime' }, { header: '事项', kind: 'text' },
      { header: '性质', kind: 'text' }, { header: '摘要', kind: 'text' }, { header: '街道代码', kind: 'text' }, { header: '社区代码', kind: 'text' },
      { header: '网格代码', kind: 'text' }, { header: '紧急程度', kind: 'text' }, { header: '状态', kind: 'text' },
    ],
    rows: rows.map((row) => [
      row.externalId, SOURCE_LABELS[row.source].zh, row.receivedAt, row.itemLabel, row.natureLabel, row.summary, row.streetCode, row.communityCode,
      row.gridCode, URGENCY_LABELS[row.urgency as Urgency] ?? row.urgency, row.status,
    ]),
  };
}
