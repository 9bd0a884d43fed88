import { z } from 'zod';
import { assertUnitInScope } from '@cityops/domain';
import { REPORT_FORMATS, listArchivedReports } from '@cityops/db/reports-archive';
import { reportServiceOf, toJobFile } from '../reports/report-service.ts';
import { authedProcedure, router } from '../trpc.ts';
import { monthInput, unitCodeInput } from './inputs.ts';

/**
 * Monthly 《社情分析综合报告》: generate (a background job with progress), poll its status, list
 * the archive of the caller's scope. Files are downloaded from `/api/reports/:id/download`
 * (apps/server/src/reports/download-route.ts), which checks the scope again and audits.
 */
export const reportsRouter = router({
  generate: authedProcedure
    .input(z.object({ month: monthInput, unitCode: unitCodeInput, formats: z.array(z.enum(REPORT_FORMATS)).min(1).max(3).default(['docx', 'pdf', 'xlsx']) }))
    .mutation(({ ctx, input }) => {
      assertUnitInScope(ctx.scope, input.unitCode);
      const jobId = reportServiceOf(ctx).start(ctx, { month: input.month, unitCode: input.unitCode, formats: input.formats });
      return { jobId };
    }),

  status: authedProcedure.input(z.object({ jobId: z.string().uuid() })).query(({ ctx, input }) => {
    const job = reportServiceOf(ctx).status(input.jobId, ctx.user.username);
    return { jobId: job.jobId, progress: job.progress, stage: job.stage, done: job.done, failed: job.failed, error: job.error, files: job.files };
  }),

  list: authedProcedure
    .input(z.object({ unitCode: unitCodeInput.optional(), month: monthInput.optional(), limit: z.number().int().min(1).max(1000).default(200) }).default({ limit: 200 }))
    .query(async ({ ctx, input }) => {
      if (input.unitCode) assertUnitInScope(ctx.scope, input.unitCode);
      const reports = await listArchivedReports(ctx.db, ctx.scope, input);
      return reports.map((report) => ({ ...report, url: toJobFile(report).url }));
    }),

  /** Whether this server can print PDF (the dashboards hide the option otherwise). */
  capabilities: authedProcedure.query(({ ctx }) => ({ formats: REPORT_FORMATS.filter((format) => format !== 'pdf' || reportServiceOf(ctx).canRenderPdf) })),
});
