import type { Context } from '../context.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from '../routers/alerts-router.ts';
import { geoRouter } from '../routers/geo.ts';
import { hotspotsRouter } from '../routers/hotspots-router.ts';
import { indexRouter } from '../routers/index-router.ts';
import { overviewRouter } from '../routers/overview.ts';
import { workOrdersRouter } from '../routers/work-orders-router.ts';
import { reportInterimRouter } from './interim-procedures.ts';

/**
 * The procedures a report reads, under the names they have (or will have) in `appRouter`.
 * TODO(wiring): once root.ts registers index/hotspots/alerts/workOrders, a `createCaller(ctx)`
 * of appRouter has the same shape for everything but `reportInterim` (see interim-procedures.ts).
 */
export const reportSourceRouter = router({
  geo: geoRouter,
  overview: overviewRouter,
  index: indexRouter,
  hotspots: hotspotsRouter,
  alerts: alertsRouter,
  workOrders: workOrdersRouter,
  reportInterim: reportInterimRouter,
});

const createReportSourceCaller = createCallerFactory(reportSourceRouter);

export type ReportSourceCaller = ReturnType<typeof createReportSourceCaller>;

/** A caller for the user's own context: the report sees exactly what the user's dashboards see. */
export function reportCallerFor(ctx: Context): ReportSourceCaller {
  return createReportSourceCaller(ctx);
}
