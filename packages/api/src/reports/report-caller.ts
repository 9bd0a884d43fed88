import type { Context } from '../context.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from '../routers/alerts-router.ts';
import { geoRouter } from '../routers/geo.ts';
import { hotspotsRouter } from '../routers/hotspots-router.ts';
import { indexRouter } from '../routers/index-router.ts';
import { overviewRouter } from '../routers/overview.ts';
import { workOrdersRouter } from '../routers/work-orders-router.ts';

/**
 * The procedures a report reads, under the names they have in `appRouter` (a subset: the
 * reports router is part of appRouter, so importing appRouter here would be a cycle).
 */
export const reportSourceRouter = router({
  geo: geoRouter,
  overview: overviewRouter,
  index: indexRouter,
  hotspots: hotspotsRouter,
  alerts: alertsRouter,
  workOrders: workOrdersRouter,
});

const createReportSourceCaller = createCallerFactory(reportSourceRouter);

export type ReportSourceCaller = ReturnType<typeof createReportSourceCaller>;

/** A caller for the user's own context: the report sees exactly what the user's dashboards see. */
export function reportCallerFor(ctx: Context): ReportSourceCaller {
  return createReportSourceCaller(ctx);
}
