import type { Scope } from '@cityops/domain';
import type { Database, PiiVault } from '@cityops/db';
import { findSessionUser } from '@cityops/db/auth-store';
import { hashSessionToken } from './auth/password.ts';
import { scopeOf, toSessionUser, type SessionUser } from './auth/session-user.ts';
import type { LoginThrottle } from './auth/login-throttle.ts';
import type { LiveBus } from './live/live-bus.ts';

export interface ApiConfig {
  sessionTtlMinutes: number;
  loginMaxAttempts: number;
  loginLockMinutes: number;
  /** Secure cookies when served over HTTPS. */
  secureCookies: boolean;
  /** Key for hashing session tokens at rest. */
  sessionSecret: string;
}

export const DEFAULT_API_CONFIG: ApiConfig = {
  sessionTtlMinutes: 8 * 60,
  loginMaxAttempts: 5,
  loginLockMinutes: 15,
  secureCookies: false,
  sessionSecret: 'cityops-demo-session-secret-not-for-production',
};

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/** How procedures touch the session cookie without knowing about HTTP. */
export interface SessionCookieJar {
  token: string | null;
  set(token: string, maxAgeSeconds: number): void;
  clear(): void;
}

export interface ApiDeps {
  db: Database;
  config: ApiConfig;
  loginThrottle: LoginThrottle;
  liveBus: LiveBus;
  /**
   * The server's ReportService (PDF needs its Chromium); `reportServiceOf` in
   * reports/report-service.ts reads it back and falls back when absent. Typed loosely here so
   * the context does not import the report layer (which imports the context).
   */
  reports?: object | undefined;
  /** Opens sealed personal data for roles that may see it; without it every role sees masks. */
  piiVault?: PiiVault | undefined;
}

export interface Context extends ApiDeps {
  user: SessionUser | null;
  scope: Scope | null;
  meta: RequestMeta;
  cookies: SessionCookieJar;
}

/** Everything a procedure needs; tests call it directly with `createCaller`, no HTTP. */
export function createContextInner(opts: ApiDeps & { user: SessionUser | null; meta?: RequestMeta; cookies?: SessionCookieJar }): Context {
  return {
    ...opts,
    scope: opts.user ? scopeOf(opts.user) : null,
    meta: opts.meta ?? { ip: null, userAgent: null },
    cookies: opts.cookies ?? memoryCookieJar(null),
  };
}

/** Resolves the session cookie to a user, then builds the inner context. */
export async function createContextFromSession(deps: ApiDeps, meta: RequestMeta, cookies: SessionCookieJar): Promise<Context> {
  const row = cookies.token ? await findSessionUser(deps.db, hashSessionToken(cookies.token, deps.config.sessionSecret)) : undefined;
  const user = row && !row.disabled ? toSessionUser(row) : null;
  return createContextInner({ ...deps, user, meta, cookies });
}

export function memoryCookieJar(token: string | null): SessionCookieJar {
  const jar: SessionCookieJar = {
    token,
    set(value) {
      jar.token = value;
    },
    clear() {
      jar.token = null;
    },
  };
  return jar;
}
