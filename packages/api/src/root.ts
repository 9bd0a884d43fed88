import { adminRouter } from './routers/admin.ts';
import { authRouter } from './routers/auth.ts';
import { geoRouter } from './routers/geo.ts';
import { overviewRouter } from './routers/overview.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  auth: authRouter,
  geo: geoRouter,
  overview: overviewRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
