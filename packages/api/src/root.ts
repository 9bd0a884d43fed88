import { adminRouter } from './routers/admin.ts';
import { authRouter } from './routers/auth.ts';
import { geoRouter } from './routers/geo.ts';
import { liveRouter } from './routers/live.ts';
import { indexRouter } from './routers/index-router.ts';
import { hotspotsRouter } from './routers/hotspots-router.ts';
import { alertsRouter } from './routers/alerts-router.ts';
import { workOrdersRouter } from './routers/work-orders-router.ts';
import { reportsRouter } from './routers/reports-router.ts';
import { overviewRouter } from './routers/overview.ts';
import { eventsRouter } from './routers/events-router.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  geo: geoRouter,
  overview: overviewRouter,
  events: eventsRouter,
  admin: adminRouter,
  live: liveRouter,
  index: indexRouter,
  hotspots: hotspotsRouter,
  alerts: alertsRouter,
  workOrders: workOrdersRouter,
  reports: reportsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
