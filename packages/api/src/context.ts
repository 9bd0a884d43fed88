import type { Scope } from '@cityops/domain';
import type { Database, PiiVault } from '@cityops/db';
import { findSessionUser } from '@cityops/db/auth-store';
import { hashSessionToken } from './auth/password.ts';
import { scopeOf, toSessionUser, type SessionUser } from './auth/session-user.ts';
import type { LoginThrottle } from './auth/login-throttle.ts';
import type { LiveBus } from './live/live-bus.ts';
import type { QueryCache } from './query-cache.ts';

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
  /** Short-lived cache of aggregate reads (see query-cache.ts); absent → every read queries. */
  queryCache?: QueryCache | undefined;
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
  const user = cookies.token ? await sessionUser(deps.db, hashSessionToken(cookies.token, deps.config.sessionSecret)) : null;
  return createContextInner({ ...deps, user, meta, cookies });
}

/**
 * Resolved sessions are remembered for a few seconds per database, so a burst of requests from
 * one screen costs one lookup, not one per request queued on the database connection. Logout
 * forgets the session at once (`forgetSession`); an expiry or a disabled account takes effect
 * within SESSION_CACHE_MS.
 */
const SESSION_CACHE_MS = 5_000;
const sessionCache = new WeakMap<Database, Map<string, { user: SessionUser | null; until: number }>>();

async function sessionUser(db: Database, tokenHash: string): Promise<SessionUser | null> {
  let cache = sessionCache.get(db);
  if (!cache) sessionCache.set(db, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(tokenHash);
  if (hit && hit.until > now) return hit.user;
  const row = await findSessionUser(db, tokenHash);
  const user = row && !row.disabled ? toSessionUser(row) : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(tokenHash, { user, until: now + SESSION_CACHE_MS });
  return user;
}

/**
 * The session's user if it was resolved within SESSION_CACHE_MS (no database lookup), else
 * undefined — also for a remembered "no such session", so the caller takes the full path.
 */
export function peekSessionUser(db: Database, tokenHash: string): SessionUser | undefined {
  const hit = sessionCache.get(db)?.get(tokenHash);
  return hit && hit.until > Date.now() && hit.user ? hit.user : undefined;
}

export function forgetSession(db: Database, tokenHash: string): void {
  sessionCache.get(db)?.delete(tokenHash);
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
