import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEMO_SCALE, PiiVault, demoPiiVault, migrate, openDatabase, refreshRollups, warmReadPaths } from '@cityops/db';
import { countUsersWithRole } from '@cityops/db/auth-store';
import { retimeOpenDemoOrders } from '@cityops/db/work-orders/index';
import { buildEventKeyIndex } from '@cityops/db/import/event-key-index';
import { wallClockFromInstant } from '@cityops/domain';
import { DEFAULT_API_CONFIG, DEMO_PASSWORD, LiveBus, LoginThrottle, QueryCache, ReportService, seedDemoUsers } from '@cityops/api';
import { createPdfRenderer } from '../reports/render-pdf.ts';
import { startLiveSimulator } from '../live-simulator.ts';
import { numberFlag, parseCommandArgs, UsageError } from '../cli-args.ts';
import { readEnv } from '../env.ts';
import { createHttpApp } from '../http-app.ts';
import { DASHBOARDS, defaultDbPath } from '../paths.ts';
import { generateDatabaseFile } from './generate.ts';
import type { PushToken } from '../push-api.ts';

const USAGE = 'pnpm cityops serve --db PATH [--port N] [--host H] [--demo] [--live-rate N]';

/** Demo-only push tokens (printed at start); real deployments set CITYOPS_PUSH_TOKENS. */
const DEMO_PUSH_TOKENS = 'demo-hotline-push-token:demo-12345:hotline,demo-police-push-token0:demo-110:police,demo-petition-push-token:demo-xinfang:petition';

function parsePushTokens(spec: string | undefined): Map<string, PushToken> {
  const tokens = new Map<string, PushToken>();
  for (const entry of spec ? spec.split(',') : []) {
    const [token, system, source] = entry.split(':') as [string, string, PushToken['source']];
    tokens.set(token, { system, source });
  }
  return tokens;
}

interface ServeOptions {
  dbPath: string;
  port: number;
  host: string;
  demo: boolean;
  /** Simulated new events per minute in demo mode (0 = off). */
  liveRate: number;
}

function parseServeArgs(argv: string[]): ServeOptions {
  const env = readEnv();
  const { values } = parseCommandArgs(
    argv,
    { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, demo: { type: 'boolean' }, 'live-rate': { type: 'string' } },
    USAGE,
  );
  return {
    dbPath: path.resolve(values.db ?? env.CITYOPS_DB ?? defaultDbPath()),
    port: numberFlag(values.port, 'port', env.CITYOPS_PORT, [0, 65535]),
    host: values.host ?? env.CITYOPS_HOST,
    demo: Boolean(values.demo),
    liveRate: numberFlag(values['live-rate'], 'live-rate', 30, [0, 60_000]),
  };
}

/** `pnpm start`: the demo database is generated on first run, then everything is served. */
export async function runStart(argv: string[]): Promise<void> {
  const options = parseServeArgs(argv);
  if (!existsSync(options.dbPath)) {
    process.stderr.write(`首次运行：正在生成演示数据库（规模 ${DEMO_SCALE}，25 个月）…\n`);
    await generateDatabaseFile({ dbPath: options.dbPath, scale: DEMO_SCALE, months: 25, seed: 20260101 });
  }
  await serve({ ...options, demo: true });
}

export async function runServe(argv: string[]): Promise<void> {
  const options = parseServeArgs(argv);
  if (!existsSync(options.dbPath)) throw new UsageError(`数据库 ${options.dbPath} 不存在；先运行 pnpm cityops generate --db ${options.dbPath}`);
  await serve(options);
}

async function serve(options: ServeOptions): Promise<void> {
  const env = readEnv();
  if (!options.demo && !env.CITYOPS_SESSION_SECRET) {
    throw new UsageError('非演示模式必须设置 CITYOPS_SESSION_SECRET（至少 32 个字符）/ set CITYOPS_SESSION_SECRET outside demo mode');
  }
  if (!options.demo && !env.CITYOPS_PII_KEY) {
    throw new UsageError('非演示模式必须设置 CITYOPS_PII_KEY（至少 32 个字符，用于加密个人信息）/ set CITYOPS_PII_KEY outside demo mode');
  }
  const piiVault = env.CITYOPS_PII_KEY ? new PiiVault(env.CITYOPS_PII_KEY) : demoPiiVault();
  // Reads beside the main connection: a slow query does not hold up the others.
  const db = await openDatabase(options.dbPath, { readConnections: 3 });
  await migrate(db);
  let retimed = 0;
  if (options.demo) {
    await seedDemoUsers(db);
    // The street desk on the real clock: open demo orders move to the days before this start.
    retimed = (await retimeOpenDemoOrders(db, { now: wallClockFromInstant(new Date()) })).retimed;
  } else if ((await countUsersWithRole(db, 'admin')) === 0) {
    await db.close();
    throw new UsageError('非演示模式下数据库中没有管理员账号，拒绝启动 / no admin user: refusing to start outside demo mode');
  }
  // Fold in what changed while the server was down (cases that fell overdue since the last
  // refresh: at full scale after days off, tens of seconds) before serving, so the dashboards
  // start current and the first pushed batch does not pay for the backlog.
  const folded = await refreshRollups(db);
  // Then what the first screens read: the service counts behind the KPI tiles (the demo
  // re-timing above changes work orders) and the index of the month the screens open on —
  // here, not on the first dashboard request, which would otherwise wait minutes at full scale.
  process.stderr.write('正在预热：工单服务统计与最新月份社情指数…\n');
  const warm = await warmReadPaths(db);
  const recounted = warm.serviceCountsRecounted;
  process.stderr.write(`预热完成（${(warm.ms / 1000).toFixed(1)} 秒${warm.month ? `，最新月份 ${warm.month}` : ''}）\n`);
  // The push path's index of event keys (see event-key-index.ts): built before serving so the
  // first pushes do not scan the key column, and so its seconds of both cores do not land on
  // the first dashboard requests.
  const keyIndexStarted = Date.now();
  await buildEventKeyIndex(db, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`事件编号索引就绪（${((Date.now() - keyIndexStarted) / 1000).toFixed(1)} 秒）\n`);
  const config = {
    ...DEFAULT_API_CONFIG,
    secureCookies: env.CITYOPS_HTTPS === '1',
    sessionSecret: env.CITYOPS_SESSION_SECRET ?? DEFAULT_API_CONFIG.sessionSecret,
  };
  const trace = env.CITYOPS_TRACE === '1' ? (line: string) => process.stderr.write(`${line}\n`) : undefined;
  if (trace) traceEventLoop(trace, db, options.dbPath);
  const liveBus = new LiveBus();
  // Answers computed after the last write are kept (up to 5 min: only clock-dependent parts such
  // as a month rollover could differ) instead of being recomputed every 10 s — a city-wide
  // recompute costs seconds of both cores at full scale; see query-cache.ts.
  const queryCache = new QueryCache(10_000, 5_000, Date.now, 3_000, { writeGeneration: () => db.writeGeneration, maxAgeMs: 300_000 });
  const stopSimulator = options.demo && options.liveRate > 0 ? startLiveSimulator(db, liveBus, { perMinute: options.liveRate, vault: piiVault, onRollupsRefreshed: () => queryCache.clear() }) : () => {};
  const pdf = createPdfRenderer();
  const reports = new ReportService({ storeDir: path.join(path.dirname(options.dbPath), 'reports'), renderPdf: (html) => pdf.render(html) });
  const pushTokens = parsePushTokens(env.CITYOPS_PUSH_TOKENS ?? (options.demo ? DEMO_PUSH_TOKENS : undefined));
  const app = createHttpApp({
    deps: { db, config, loginThrottle: new LoginThrottle(), liveBus, reports, piiVault, queryCache },
    pushTokens,
    reporterSalt: env.CITYOPS_REPORTER_SALT,
    pushRefreshDelayMs: env.CITYOPS_PUSH_REFRESH_DELAY_MS,
    trace,
  });
  const server = app.listen(options.port, options.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const base = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}`;
  const lines = [
    '',
    `CityOps 已启动 ${options.demo ? '（演示模式）' : ''}  数据库: ${options.dbPath}`,
    ...DASHBOARDS.map((d) => `  ${d.title.padEnd(16, '　')}  ${base}/${d.name}/`),
  ];
  if (options.demo) {
    lines.push('', `演示账号（密码均为 ${DEMO_PASSWORD}）：`, '  city（市城运中心）  jinjiang（锦江区）  jgy（锦官驿街道）  market（市市场监管局）  grid（网格员）  admin（管理员）',
      `推送接口 ${base}/api/push/events（OpenAPI: ${base}/api/openapi.json），演示令牌: demo-hotline-push-token`);
    if (retimed > 0) lines.push(`演示工单：${retimed} 件未结工单已按当前时间重排`);
    if (recounted) lines.push('服务指标计数已重新统计');
    if (folded.days > 0 || folded.months > 0) lines.push(`汇总表已更新：${folded.days} 天、${folded.months} 个月（${(folded.ms / 1000).toFixed(1)} 秒）`);
  }
  process.stdout.write(`${lines.join('\n')}\n\nLISTENING ${base}\n`);

  const shutdown = () => {
    stopSimulator();
    server.close(() => {
      void pdf.close();
      db.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

/** Diagnostics: the event loop's delay (p50/p99/max) and the write counter every 5 s, as a line on stderr. */
function traceEventLoop(trace: (line: string) => void, db: { readonly writeGeneration: number }, dbPath: string): void {
  const walBytes = () => (existsSync(`${dbPath}.wal`) ? statSync(`${dbPath}.wal`).size : 0);
  trace(`[trace] WAL ${(walBytes() / 1e6).toFixed(1)} MB before serving`);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  setInterval(() => {
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    trace(`[trace] event loop delay p50 ${ms(histogram.percentile(50))} p99 ${ms(histogram.percentile(99))} max ${ms(histogram.max)} ms, write generation ${db.writeGeneration}, WAL ${(walBytes() / 1e6).toFixed(1)} MB`);
    histogram.reset();
  }, 5000).unref();
}
