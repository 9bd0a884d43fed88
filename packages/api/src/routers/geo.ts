import { z } from 'zod';
import { assertUnitInScope } from '@cityops/domain';
import { getUnit, listChildUnits } from '@cityops/db';
import { TRPCError } from '@trpc/server';
import { authedProcedure, router } from '../trpc.ts';
import { cachedRead } from '../query-cache.ts';
import { cachedProcedureInput } from '../cached-responses.ts';
import { unitCodeInput } from './inputs.ts';

export const geoRouter = router({
  unit: authedProcedure.input(cachedProcedureInput('geo.unit', z.object({ code: unitCodeInput }))).query(({ ctx, input }) => {
    assertUnitInScope(ctx.scope, input.code);
    return cachedRead(ctx, 'geo.unit', input, async () => {
      const unit = await getUnit(ctx.db, input.code);
      if (!unit) throw new TRPCError({ code: 'NOT_FOUND', message: `未找到区划 ${input.code}` });
      return unit;
    });
  }),
  children: authedProcedure.input(cachedProcedureInput('geo.children', z.object({ code: unitCodeInput }))).query(({ ctx, input }) => {
    assertUnitInScope(ctx.scope, input.code);
    return cachedRead(ctx, 'geo.children', input, () => listChildUnits(ctx.db, input.code));
  }),
});
