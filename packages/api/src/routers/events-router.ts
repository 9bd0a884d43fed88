import { z } from 'zod';
import { ITEMS, SOURCES } from '@cityops/domain';
import { MAX_EVENT_POINTS, queryEventDetail, queryEventList, queryEventPoints } from '@cityops/db';
import { appendAudit } from '@cityops/db/audit-store';
import { authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput } from '../cached-responses.ts';
import { monthInput, unitCodeInput } from './inputs.ts';

export const eventFilterInput = z.object({
  unitCode: unitCodeInput,
  month: monthInput,
  source: z.enum(SOURCES).optional(),
  item: z.enum(ITEMS).optional(),
  nature: z.string().regex(/^[a-z_]{1,32}$/, '性质代码格式不正确').optional(),
});

/** The events behind the numbers; every query scoped in the data layer, every detail view audited. */
export const eventsRouter = router({
  list: authedProcedure
    .input(cachedProcedureInput('events.list', eventFilterInput.extend({ limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).max(1_000_000).default(0) })))
    .query(({ ctx, input }) => cachedRead(ctx, 'events.list', input, () => queryEventList(ctx.db, ctx.scope, input))),

  detail: authedProcedure.input(z.object({ id: z.string().regex(/^\d{1,18}$/, '事件编号无效') })).query(async ({ ctx, input }) => {
    const detail = await queryEventDetail(ctx.db, ctx.scope, { id: input.id, vault: ctx.piiVault });
    // Who saw which event, and whether its personal data was shown — never the data itself.
    await appendAudit(ctx.db, {
      actor: ctx.user.username,
      action: 'event.view',
      target: input.id,
      detail: { source: detail.source, gridCode: detail.gridCode, personalData: detail.personalDataVisible },
      ip: ctx.meta.ip,
    });
    return detail;
  }),

  points: authedProcedure
    .input(cachedProcedureInput('events.points', eventFilterInput.omit({ nature: true }).extend({ limit: z.number().int().min(1).max(MAX_EVENT_POINTS).default(MAX_EVENT_POINTS) })))
    .query(({ ctx, input }) => cachedRead(ctx, 'events.points', input, () => queryEventPoints(ctx.db, ctx.scope, input))),
});
