import { authedProcedure, router } from '../trpc.ts';

export const liveRouter = router({
  /** Server-sent events of new events, alerts and work-order changes inside the caller's scope. */
  stream: authedProcedure.subscription(async function* ({ ctx, signal }) {
    yield* ctx.liveBus.subscribe(ctx.scope, signal);
  }),
});
