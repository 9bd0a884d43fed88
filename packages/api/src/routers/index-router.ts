import { z } from 'zod';
import { TRPCError } from '@trpc/server';
import { UNIT_LEVELS } from '@cityops/domain';
import { appendAudit } from '@cityops/db/audit-store';
import {
  publishMonth,
  queryIndexDecomposition,
  queryIndexRanking,
  queryIndexUnit,
  querySnapshots,
} from '@cityops/db/index-store/index';
import { authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput } from '../cached-responses.ts';
import { monthInput, unitCodeInput } from './inputs.ts';

/** Who may publish the monthly index: the platform admin and the city operations center. */
const PUBLISHERS = new Set(['admin', 'city_commander']);

/**
 * The social condition index (社情指数). Reads resolve a month to its latest published
 * revision, or to a provisional computation labelled as such (`source.status`). Scope checks
 * happen in the data layer.
 */
export const indexRouter = router({
  ranking: authedProcedure
    .input(cachedProcedureInput('index.ranking', z.object({ unitCode: unitCodeInput, month: monthInput, level: z.enum(UNIT_LEVELS).optional() })))
    .query(({ ctx, input }) => cachedRead(ctx, 'index.ranking', input, () => queryIndexRanking(ctx.db, ctx.scope, input))),

  unit: authedProcedure
    .input(cachedProcedureInput('index.unit', z.object({ code: unitCodeInput, month: monthInput })))
    .query(({ ctx, input }) => cachedRead(ctx, 'index.unit', input, () => queryIndexUnit(ctx.db, ctx.scope, input))),

  decomposition: authedProcedure
    .input(cachedProcedureInput('index.decomposition', z.object({ code: unitCodeInput, month: monthInput, compareTo: monthInput })))
    .query(({ ctx, input }) => cachedRead(ctx, 'index.decomposition', input, () => queryIndexDecomposition(ctx.db, ctx.scope, input))),

  snapshots: authedProcedure
    .input(z.object({ month: monthInput }))
    .query(({ ctx, input }) => querySnapshots(ctx.db, ctx.scope, input)),

  publish: authedProcedure
    .input(z.object({ month: monthInput, cutoff: z.string().max(40).optional() }))
    .mutation(async ({ ctx, input }) => {
      if (!PUBLISHERS.has(ctx.user.role)) throw new TRPCError({ code: 'FORBIDDEN', message: '仅系统管理员或市城运中心可发布社情指数' });
      ctx.queryCache?.clear();
      const result = await publishMonth(ctx.db, { month: input.month, publishedBy: ctx.user.username, ...(input.cutoff ? { cutoff: input.cutoff } : {}) });
      await appendAudit(ctx.db, {
        actor: ctx.user.username,
        action: 'index.publish',
        target: input.month,
        detail: { revision: result.snapshot.revision, created: result.created, unitsChanged: result.snapshot.changes.unitsChanged },
        ip: ctx.meta.ip,
      });
      // The per-unit change list can be 24,000 rows; the caller gets the summary (snapshots() has the list).
      const { units, ...changes } = result.snapshot.changes;
      return { created: result.created, snapshot: { ...result.snapshot, changes: { ...changes, units: units.slice(0, 50) } } };
    }),
});
