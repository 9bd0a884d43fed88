import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { cachedResponseBodies, type ApiDeps } from '@cityops/api';
import { readCookie, SESSION_COOKIE } from './cookies.ts';

/** The headers tRPC's fetch handler sets on a JSON answer; a cached answer carries the same. */
const ANSWER_HEADERS = { 'content-type': 'application/json', vary: 'trpc-accept, accept' };

/**
 * Mounted at /api/trpc before tRPC: a GET of cached procedures (one call, or a batch of the
 * dashboards' httpBatchLink) whose answers are all fresh in the query cache (or, for the
 * work-order list, a shared fresh read with no write since) is answered with the stored bodies — no tRPC request/response objects, no per-request JSON
 * serialization of the answer. Everything else (POSTs, subscriptions, misses, unknown
 * sessions, invalid input, procedures that are not cache-only) goes on to tRPC unchanged.
 */
export function serveCachedAnswers(deps: ApiDeps): RequestHandler & { served: number } {
  const handler: RequestHandler & { served: number } = Object.assign((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET') return next();
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) return next();
    const batch = req.query['batch'] === '1';
    const paths = req.path.slice(1).split(',');
    if (!batch && paths.length !== 1) return next();
    const rawInput = req.query['input'];
    let input: unknown;
    try {
      input = typeof rawInput === 'string' ? JSON.parse(rawInput) : undefined;
    } catch {
      return next(); // tRPC answers with its own parse error
    }
    // A batch's input is an object keyed by the call's position ("0", "1", …).
    if (batch && input !== undefined && (input === null || typeof input !== 'object')) return next();
    const calls = paths.map((path, i) => ({ path, rawInput: batch ? (input as Record<string, unknown> | undefined)?.[String(i)] : input }));
    const bodies = cachedResponseBodies(deps, token, calls);
    if (!bodies) return next();
    handler.served += 1;
    res.writeHead(200, ANSWER_HEADERS);
    res.end(batch ? `[${bodies.join(',')}]` : bodies[0]);
  }, { served: 0 });
  return handler;
}
