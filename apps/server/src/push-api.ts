import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Database } from '@cityops/db/database';
import type { PiiVault } from '@cityops/db/pii-vault';
import type { SimulatedEvent } from '@cityops/db/live-events';
import { createPushService, MAX_PUSH_BATCH } from '@cityops/db/import/index';

export interface PushToken {
  system: string;
  source: 'hotline' | 'police' | 'petition';
}

export interface PushRouterDeps {
  db: Database;
  /** Bearer token → the department system it identifies and the source it may push. */
  tokens: Map<string, PushToken>;
  /** Salt of the reporter hash (CITYOPS_REPORTER_SALT); the demo salt otherwise. */
  salt?: string | undefined;
  /** Delay before pushed events are folded into the rollups (default 500 ms). */
  refreshDelayMs?: number | undefined;
  /** One line per unexpected error (never request bodies: they carry phone numbers). */
  log?: ((line: string) => void) | undefined;
  /** Seals pushed reporters' personal data. */
  vault?: PiiVault | undefined;
  /** Called with the ids of newly inserted events once their batch has committed. */
  onInserted?: ((eventIds: number[], events: SimulatedEvent[]) => void) | undefined;
  /** Diagnostics (CITYOPS_TRACE=1): stage timings of the write path. */
  trace?: ((line: string) => void) | undefined;
}

/** Body limit: 1,000 events of a few KB each fit well below it. */
const BODY_LIMIT = '8mb';

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Constant-time token lookup: every configured token is compared (as a SHA-256, so lengths
 * match), so response time does not reveal how much of a guess was right.
 */
function authenticate(tokens: Map<string, PushToken>, header: string | undefined): PushToken | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  if (!match) return undefined;
  const presented = digest(match[1]!);
  let found: PushToken | undefined;
  for (const [token, identity] of tokens) if (timingSafeEqual(presented, digest(token))) found = identity;
  return found;
}

/**
 * POST /events (mounted at /api/push): department systems push events in batches of up to
 * MAX_PUSH_BATCH, with a bearer token per system and an Idempotency-Key per request. The
 * contract is described in openapi.ts.
 */
export function createPushRouter(deps: PushRouterDeps): express.Router {
  const log = deps.log ?? ((line: string) => console.error(line));
  const service = createPushService(deps.db, { salt: deps.salt, refreshDelayMs: deps.refreshDelayMs, vault: deps.vault, onInserted: deps.onInserted, trace: deps.trace, onError: (error) => log(`[push] after-commit step failed (rollup refresh or live publish): ${(error as Error).message}`) });
  const router = express.Router();
  service.prime().catch((failure: unknown) => log(`[push] warm-up failed: ${(failure as Error).message}`));

  router.post('/events', (req: Request, res: Response, next: NextFunction) => {
    const identity = authenticate(deps.tokens, req.get('authorization'));
    if (!identity) {
      res.set('WWW-Authenticate', 'Bearer realm="cityops-push"').status(401).json({ error: '缺少或无效的访问令牌 / missing or invalid bearer token' });
      return;
    }
    res.locals['pushIdentity'] = identity;
    next();
  }, express.json({ limit: BODY_LIMIT }), async (req: Request, res: Response) => {
    const identity = res.locals['pushIdentity'] as PushToken;
    const result = await service.push({ system: identity.system, source: identity.source, idempotencyKey: req.get('idempotency-key'), body: req.body });
    if (result.replayed) res.set('Idempotent-Replayed', 'true');
    res.status(result.status).json(result.body);
  });

  router.get('/limits', (_req, res) => {
    res.json({ maxEventsPerRequest: MAX_PUSH_BATCH, maxBodyBytes: BODY_LIMIT });
  });

  // Body parser failures are the client's; anything else is logged once, here at the edge.
  router.use((error: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ error: '请求体不是有效的 JSON / body is not valid JSON' });
      return;
    }
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `请求体超过 ${BODY_LIMIT} / body larger than ${BODY_LIMIT}` });
      return;
    }
    log(`[push] ${error.message}`);
    res.status(500).json({ error: '服务器内部错误 / internal error' });
  });
  return router;
}
