export { appRouter, createCaller, type AppRouter } from './root.ts';
export {
  createContextInner,
  createContextFromSession,
  memoryCookieJar,
  DEFAULT_API_CONFIG,
  type ApiConfig,
  type ApiDeps,
  type Context,
  type RequestMeta,
  type SessionCookieJar,
} from './context.ts';
export { LoginThrottle } from './auth/login-throttle.ts';
export { hashPassword, verifyPassword } from './auth/password.ts';
export { seedDemoUsers, DEMO_USERS, DEMO_PASSWORD } from './demo-users.ts';
export type { SessionUser } from './auth/session-user.ts';
export { LiveBus, isVisibleTo, type LiveMessage } from './live/live-bus.ts';
export { ReportService } from './reports/report-service.ts';
export { QueryCache, cachedRead, scopeKey } from './query-cache.ts';
export { cachedResponseBodies, isCachedProcedure } from './cached-responses.ts';
