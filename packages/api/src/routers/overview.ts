import { z } from 'zod';
import { ITEMS, SOURCES } from '@cityops/domain';
import {
  queryAvailableMonths,
  queryChildVolumes,
  queryKpis,
  queryMonthlyVolumes,
  queryNatureBreakdown,
  queryTopItems,
  type MonthlyVolume,
} from '@cityops/db';
import { authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput, cachedProcedureWithoutInput } from '../cached-responses.ts';
import { monthInput, unitCodeInput } from './inputs.ts';

function shiftMonth(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * Every month of the window that has data, for every source, a quiet one as a zero: a grid's
 * trend is mostly quiet months, and a line that skipped them would join the months around a
 * gap (and end the axis at its last busy month).
 */
export function withQuietMonths(rows: readonly MonthlyVolume[], months: readonly string[]): MonthlyVolume[] {
  const counts = new Map(rows.map((row) => [`${row.month}|${row.source}`, row.count]));
  const all = [...new Set([...months, ...rows.map((row) => row.month)])].sort();
  return all.flatMap((month) => SOURCES.map((source) => ({ month, source, count: counts.get(`${month}|${source}`) ?? 0 })));
}

cachedProcedureWithoutInput('overview.months');

export const overviewRouter = router({
  months: authedProcedure.query(({ ctx }) => cachedRead(ctx, 'overview.months', null, async () => ({ months: await queryAvailableMonths(ctx.db) }))),

  monthlyVolumes: authedProcedure
    .input(cachedProcedureInput('overview.monthlyVolumes', z.object({ unitCode: unitCodeInput, months: z.number().int().min(1).max(60).default(12), toMonth: monthInput.optional() })))
    .query(({ ctx, input }) => cachedRead(ctx, 'overview.monthlyVolumes', input, async () => {
      const available = await queryAvailableMonths(ctx.db);
      const toMonth = input.toMonth ?? available.at(-1);
      if (!toMonth) return [];
      const fromMonth = shiftMonth(toMonth, -(input.months - 1));
      const rows = await queryMonthlyVolumes(ctx.db, ctx.scope, { unitCode: input.unitCode, fromMonth, toMonth });
      return withQuietMonths(rows, available.filter((m) => m >= fromMonth && m <= toMonth));
    })),

  childVolumes: authedProcedure
    .input(cachedProcedureInput('overview.childVolumes', z.object({ unitCode: unitCodeInput, month: monthInput, source: z.enum(SOURCES).optional(), item: z.enum(ITEMS).optional() })))
    .query(({ ctx, input }) => cachedRead(ctx, 'overview.childVolumes', input, () => queryChildVolumes(ctx.db, ctx.scope, input))),

  kpis: authedProcedure
    .input(cachedProcedureInput('overview.kpis', z.object({ unitCode: unitCodeInput, month: monthInput })))
    .query(({ ctx, input }) => cachedRead(ctx, 'overview.kpis', input, () => queryKpis(ctx.db, ctx.scope, input))),

  /** The month's events by source and nature (性质). */
  natures: authedProcedure
    .input(cachedProcedureInput('overview.natures', z.object({ unitCode: unitCodeInput, month: monthInput })))
    .query(({ ctx, input }) => cachedRead(ctx, 'overview.natures', input, () => queryNatureBreakdown(ctx.db, ctx.scope, input))),

  topItems: authedProcedure
    .input(cachedProcedureInput('overview.topItems', z.object({ unitCode: unitCodeInput, month: monthInput, limit: z.number().int().min(1).max(16).default(10) })))
    .query(({ ctx, input }) => cachedRead(ctx, 'overview.topItems', input, () => queryTopItems(ctx.db, ctx.scope, input))),
});
