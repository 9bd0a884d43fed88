import type { z } from 'zod';
import type { ApiDeps } from './context.ts';
import { peekSessionUser } from './context.ts';
import { hashSessionToken } from './auth/password.ts';
import { scopeOf } from './auth/session-user.ts';
import { cacheKey } from './query-cache.ts';

/**
 * Procedures whose whole answer is `cachedRead(ctx, path, parsedInput, …)` (after, at most, a
 * deterministic check of scope and input), with how their raw input is parsed — the same
 * schema the router gives tRPC. Only these may be answered by `cachedResponseBodies`.
 */
const CACHED_PROCEDURES = new Map<string, (raw: unknown) => { ok: true; input: unknown } | { ok: false }>();

/** Registers a cached procedure's input schema (the router passes the returned schema to `.input`). */
export function cachedProcedureInput<S extends z.ZodType>(path: string, schema: S): S {
  CACHED_PROCEDURES.set(path, (raw) => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? { ok: true, input: parsed.data } : { ok: false };
  });
  return schema;
}

/** Registers a cached procedure without input (its cache key holds `null`). */
export function cachedProcedureWithoutInput(path: string): void {
  CACHED_PROCEDURES.set(path, () => ({ ok: true, input: null }));
}

export function isCachedProcedure(path: string): boolean {
  return CACHED_PROCEDURES.has(path);
}

/**
 * The hot path of the dashboards' polling: answers a GET of cached procedures without going
 * through tRPC when every call is already in the query cache — the session resolved from the
 * session cache (no database), the input parsed with the procedure's own schema, the key built
 * exactly as `cachedRead` builds it (procedure, parsed input, the caller's whole scope), and
 * the response body serialized once per cache entry. Returns one body per call, or undefined
 * when any call is not a fresh hit (unknown session, invalid input, miss, still computing):
 * the caller then hands the request to tRPC, which answers it (and fills the cache) as always.
 * Serves nothing a tRPC call by the same user would not have returned at that moment.
 */
export function cachedResponseBodies(deps: ApiDeps, sessionToken: string, calls: readonly { path: string; rawInput: unknown }[]): string[] | undefined {
  const cache = deps.queryCache;
  if (!cache || calls.length === 0) return undefined;
  const parsers = calls.map((call) => CACHED_PROCEDURES.get(call.path));
  if (parsers.some((parser) => !parser)) return undefined;
  const user = peekSessionUser(deps.db, hashSessionToken(sessionToken, deps.config.sessionSecret));
  if (!user) return undefined;
  const scope = scopeOf(user);
  const bodies: string[] = [];
  for (const [i, call] of calls.entries()) {
    const parsed = parsers[i]!(call.rawInput);
    if (!parsed.ok) return undefined;
    const body = cache.readResponseBody(cacheKey(call.path, parsed.input, scope));
    if (body === undefined) return undefined;
    bodies.push(body);
  }
  return bodies;
}
