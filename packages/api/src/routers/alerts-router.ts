import { z } from 'zod';
import { ALERT_KINDS, queryAlerts, runEarlyWarnings } from '@cityops/db/index-store/index';
import { adminProcedure, authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput } from '../cached-responses.ts';
import { dayInput, unitCodeInput } from './inputs.ts';

/** Early warnings: statistical (EARS C2), sensor and cross-source escalation alerts. */
export const alertsRouter = router({
  list: authedProcedure
    .input(
      cachedProcedureInput('alerts.list', z.object({
        unitCode: unitCodeInput,
        from: dayInput,
        to: dayInput,
        kind: z.enum(ALERT_KINDS).optional(),
        limit: z.number().int().min(1).max(2000).default(200),
      })),
    )
    .query(({ ctx, input }) => cachedRead(ctx, 'alerts.list', input, () => queryAlerts(ctx.db, ctx.scope, input))),

  /** Runs the day's early-warning job (normally scheduled) and pushes new alerts to the live bus. */
  run: adminProcedure.input(z.object({ day: dayInput })).mutation(async ({ ctx, input }) => {
    const result = await runEarlyWarnings(ctx.db, { day: input.day });
    ctx.queryCache?.clear();
    for (const alert of result.created) {
      ctx.liveBus.publish({ kind: 'alert', id: alert.id, item: alert.item, unitCode: alert.unitCode, severity: alert.severity, title: alert.title, publishedAt: Date.now() });
    }
    return { statistical: result.statistical, escalations: result.escalations, created: result.created.length };
  }),
});
