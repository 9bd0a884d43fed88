import express, { type Express } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import { appRouter, createContextFromSession, type ApiDeps } from '@cityops/api';
import { sessionCookieJar } from './cookies.ts';
import { serveCachedAnswers } from './cached-answers.ts';
import { DASHBOARDS, geoDir, appDistDir } from './paths.ts';
import { createPushRouter, type PushToken } from './push-api.ts';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { createReportDownloadHandler } from './reports/download-route.ts';
import { createExportHandler } from './export-route.ts';
import { publishEvents } from './live-simulator.ts';
import type { SimulatedEvent } from '@cityops/db';

export interface HttpAppOptions {
  deps: ApiDeps;
  /** Log one line per unexpected error (never personal data, never request bodies). */
  log?: (line: string) => void;
  /** Department systems allowed to push events (bearer token → identity). */
  pushTokens?: Map<string, PushToken>;
  /** Salt of the reporter hash for pushed events. */
  reporterSalt?: string | undefined;
  /** Diagnostics (CITYOPS_TRACE=1): stage timings, never data. */
  trace?: ((line: string) => void) | undefined;
  /** Delay before pushed events are folded into the rollups (push-api's default when absent). */
  pushRefreshDelayMs?: number | undefined;
}

export function createHttpApp({ deps, log = console.error, pushTokens = new Map(), reporterSalt, trace, pushRefreshDelayMs }: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // maplibre needs blob: workers; deck.gl/echarts draw to canvas; everything else is same-origin.
          'worker-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:', 'blob:'],
          'connect-src': ["'self'"],
          'upgrade-insecure-requests': deps.config.secureCookies ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  // Dashboards polling answers already in the query cache skip tRPC (see cached-answers.ts);
  // app.locals.cachedAnswers.served counts them.
  const cachedAnswers = serveCachedAnswers(deps);
  app.locals['cachedAnswers'] = cachedAnswers;
  app.use(
    '/api/trpc',
    cachedAnswers,
    express.json({ limit: '256kb' }),
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ req, res }) =>
        createContextFromSession(
          deps,
          { ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null },
          sessionCookieJar(req, res, deps.config.secureCookies),
        ),
      onError: ({ error, path: procedure }) => {
        if (error.code === 'INTERNAL_SERVER_ERROR') log(`[api] ${procedure ?? '?'}: ${error.cause?.message ?? error.message}`);
      },
    }),
  );

  // Pushed events go live as soon as their batch commits, from the committed rows (no read
  // back: under a push stream that read queued behind the write path); the bus filters by scope.
  const onInserted = (_ids: number[], events: SimulatedEvent[]) => {
    publishEvents(deps.liveBus, events);
  };
  app.use('/api/push', createPushRouter({ db: deps.db, tokens: pushTokens, salt: reporterSalt, log, vault: deps.piiVault, onInserted, trace, refreshDelayMs: pushRefreshDelayMs }));
  app.get('/api/reports/:id/download', createReportDownloadHandler(deps));
  app.get('/api/export/:file', createExportHandler(deps));
  app.get('/api/openapi.json', (_req, res) => {
    res.json(OPENAPI_DOCUMENT);
  });

  // Geography is public reference data; served read-only, no directory listing (express.static has none).
  app.use('/geo', express.static(geoDir(), { index: false, maxAge: '1h', fallthrough: false }));

  for (const dashboard of DASHBOARDS) {
    const dist = appDistDir(dashboard.name);
    if (!existsSync(dist)) continue;
    app.use(`/${dashboard.name}`, express.static(dist, { index: 'index.html', maxAge: '5m' }));
    app.get(`/${dashboard.name}/*splat`, (_req, res) => res.sendFile(path.join(dist, 'index.html')));
  }

  app.get('/', (_req, res) => {
    const links = DASHBOARDS.map((d) => `<li><a href="/${d.name}/">${d.title}</a> — ${d.role}</li>`).join('');
    res.type('html').send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>CityOps 社情指数平台</title>
<body style="font-family:'Noto Sans CJK SC',sans-serif;background:#0b1a2e;color:#e6f0ff;padding:40px">
<h1>CityOps · 成都社情指数三级平台</h1><ul style="font-size:20px;line-height:2">${links}</ul></body></html>`);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: '未找到 / not found' });
  });
  // Last resort: express's default handler would answer with an HTML page (and a stack trace
  // outside production). Clients get a short JSON error; unexpected ones are logged once here.
  app.use((error: Error & { type?: string; status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (error.type === 'entity.parse.failed') {
      res.status(400).json({ error: '请求体不是有效的 JSON / body is not valid JSON' });
      return;
    }
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: '请求体过大 / body too large' });
      return;
    }
    // A client error raised by middleware (express.static: a missing /geo file is a 404 with
    // fallthrough off) is the client's, not the server's: answered with its status, not logged.
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: error.status === 404 ? '未找到 / not found' : '请求无效 / bad request' });
      return;
    }
    log(`[http] ${error.message}`);
    res.status(500).json({ error: '服务器内部错误，请稍后重试' });
  });
  return app;
}
