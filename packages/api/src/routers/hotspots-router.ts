import { z } from 'zod';
import { ITEMS, SOURCES } from '@cityops/domain';
import { queryEmergingHotspots, queryHotspots } from '@cityops/db/index-store/index';
import { authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput } from '../cached-responses.ts';
import { monthInput, unitCodeInput } from './inputs.ts';

/** Getis-Ord Gi* hotspots (H3 res 8 for the city and districts, res 9 for streets) and emerging hotspots. */
export const hotspotsRouter = router({
  gi: authedProcedure
    .input(
      cachedProcedureInput('hotspots.gi', z.object({
        unitCode: unitCodeInput,
        month: monthInput,
        source: z.enum(SOURCES).optional(),
        item: z.enum(ITEMS).optional(),
        fdr: z.boolean().default(true),
      })),
    )
    .query(({ ctx, input }) => cachedRead(ctx, 'hotspots.gi', input, () => queryHotspots(ctx.db, ctx.scope, input))),

  emerging: authedProcedure
    .input(
      cachedProcedureInput('hotspots.emerging', z.object({
        unitCode: unitCodeInput,
        month: monthInput,
        months: z.number().int().min(3).max(36).default(12),
        source: z.enum(SOURCES).optional(),
        item: z.enum(ITEMS).optional(),
        fdr: z.boolean().default(true),
      })),
    )
    .query(({ ctx, input }) => cachedRead(ctx, 'hotspots.emerging', input, () => queryEmergingHotspots(ctx.db, ctx.scope, input))),
});
