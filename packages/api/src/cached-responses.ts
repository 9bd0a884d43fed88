import type { z } from 'zod';
import type { ApiDeps } from './context.ts';
import { peekSessionUser } from './context.ts';
import { hashSessionToken } from './auth/password.ts';
import { scopeOf } from './auth/session-user.ts';
import { cacheKey, sharedFreshResponseBody } from './query-cache.ts';

/**
 * Procedures whose whole answer is `cachedRead(ctx, path, parsedInput, …)` (after, at most, a
 * deterministic check of scope and input) or `sharedFreshRead(…)` (`fresh`), with how their raw
 * input is parsed — the same schema the router gives tRPC. Only these may be answered by
 * `cachedResponseBodies`.
 */
const CACHED_PROCEDURES = new Map<string, { parse: (raw: unknown) => { ok: true; input: unknown } | { ok: false }; fresh: boolean }>();

function parserOf(schema: z.ZodType): (raw: unknown) => { ok: true; input: unknown } | { ok: false } {
  return (raw) => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? { ok: true, input: parsed.data } : { ok: false };
  };
}

/** Registers a cached procedure's input schema (the router passes the returned schema to `.input`). */
export function cachedProcedureInput<S extends z.ZodType>(path: string, schema: S): S {
  CACHED_PROCEDURES.set(path, { parse: parserOf(schema), fresh: false });
  return schema;
}

/** Registers a cached procedure without input (its cache key holds `null`). */
export function cachedProcedureWithoutInput(path: string): void {
  CACHED_PROCEDURES.set(path, { parse: () => ({ ok: true, input: null }), fresh: false });
}

/** Registers a procedure whose whole answer is `sharedFreshRead(ctx, path, parsedInput, …)`. */
export function sharedFreshProcedureInput<S extends z.ZodType>(path: string, schema: S): S {
  CACHED_PROCEDURES.set(path, { parse: parserOf(schema), fresh: true });
  return schema;
}

export function isCachedProcedure(path: string): boolean {
  return CACHED_PROCEDURES.has(path);
}

/**
 * The hot path of the dashboards' polling: answers a GET of cached procedures without going
 * through tRPC when every call is already in the query cache — the session resolved from the
 * session cache (no database), the input parsed with the procedure's own schema, the key built
 * exactly as `cachedRead` builds it (procedure, parsed input, the caller's whole scope), and
 * the response body serialized once per cache entry; a fresh read's answer only when
 * `sharedFreshRead` would share it at this moment (no write since). Returns one body per call, or undefined
 * when any call is not a fresh hit (unknown session, invalid input, miss, still computing):
 * the caller then hands the request to tRPC, which answers it (and fills the cache) as always.
 * Serves nothing a tRPC call by the same user would not have returned at that moment.
 */
export function cachedResponseBodies(deps: ApiDeps, sessionToken: string, calls: readonly { path: string; rawInput: unknown }[]): string[] | undefined {
  const cache = deps.queryCache;
  if (calls.length === 0) return undefined;
  const procedures = calls.map((call) => CACHED_PROCEDURES.get(call.path));
  if (procedures.some((procedure) => !procedure || (!procedure.fresh && !cache))) return undefined;
  const user = peekSessionUser(deps.db, hashSessionToken(sessionToken, deps.config.sessionSecret));
  if (!user) return undefined;
  const scope = scopeOf(user);
  const bodies: string[] = [];
  for (const [i, call] of calls.entries()) {
    const procedure = procedures[i]!;
    const parsed = procedure.parse(call.rawInput);
    if (!parsed.ok) return undefined;
    const key = cacheKey(call.path, parsed.input, scope);
    const body = procedure.fresh ? sharedFreshResponseBody(deps.db, key) : cache!.readResponseBody(key);
    if (body === undefined) return undefined;
    bodies.push(body);
  }
  return bodies;
}
