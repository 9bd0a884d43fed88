import { z } from 'zod';
import { searchAudit } from '@cityops/db/audit-store';
import { adminProcedure, router } from '../trpc.ts';

export const adminRouter = router({
  audit: adminProcedure
    .input(
      z.object({
        actor: z.string().max(64).optional(),
        action: z.string().max(64).optional(),
        fromTime: z.string().datetime({ local: true }).optional(),
        toTime: z.string().datetime({ local: true }).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      }),
    )
    .query(({ ctx, input }) => searchAudit(ctx.db, input)),
});
