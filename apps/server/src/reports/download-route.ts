import type { Request, RequestHandler, Response } from 'express';
import { isDomainError } from '@cityops/domain';
import { appendAudit } from '@cityops/db/audit-store';
import { REPORT_CONTENT_TYPES, readArchivedReport } from '@cityops/db/reports-archive';
import { createContextFromSession, type ApiDeps } from '@cityops/api';
import { sessionCookieJar } from '../cookies.ts';

/**
 * `GET /api/reports/:id/download` — streams an archived report to a signed-in user whose scope
 * covers it, and audits the download (and refused attempts). Mount:
 *   app.get('/api/reports/:id/download', createReportDownloadHandler(deps));
 */
export function createReportDownloadHandler(deps: ApiDeps): RequestHandler {
  return async (req: Request, res: Response) => {
    const id = String(req.params['id'] ?? '');
    const meta = { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null };
    const ctx = await createContextFromSession(deps, meta, sessionCookieJar(req, res, deps.config.secureCookies));
    if (!ctx.user || !ctx.scope) {
      res.status(401).json({ error: '请先登录' });
      return;
    }
    try {
      const { report, content } = await readArchivedReport(ctx.db, ctx.scope, id);
      await appendAudit(ctx.db, { actor: ctx.user.username, action: 'report.download', target: id, detail: { format: report.format, unitCode: report.unitCode, month: report.month, bytes: report.bytes }, ip: meta.ip });
      res.status(200);
      res.setHeader('Content-Type', REPORT_CONTENT_TYPES[report.format]);
      res.setHeader('Content-Length', String(content.byteLength));
      res.setHeader('Content-Disposition', `attachment; filename="report.${report.format}"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`);
      res.setHeader('X-Content-SHA256', report.sha256);
      res.setHeader('Cache-Control', 'private, no-store');
      res.end(content);
    } catch (error) {
      if (isDomainError(error) && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) {
        if (error.code === 'FORBIDDEN') await appendAudit(ctx.db, { actor: ctx.user.username, action: 'report.download', target: id, detail: { refused: 'FORBIDDEN' }, ip: meta.ip });
        res.status(error.code === 'FORBIDDEN' ? 403 : 404).json({ error: error.message });
        return;
      }
      res.status(500).json({ error: '服务器内部错误，请稍后重试' });
    }
  };
}
