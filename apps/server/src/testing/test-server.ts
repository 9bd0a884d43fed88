import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoPiiVault, migrate, openDatabase, type Database, type PiiVault } from '@cityops/db';
import { DEFAULT_API_CONFIG, LiveBus, LoginThrottle, QueryCache, seedDemoUsers } from '@cityops/api';
import { inject } from 'vitest';
import { createHttpApp } from '../http-app.ts';

export interface TestServer {
  baseUrl: string;
  db: Database;
  liveBus: LiveBus;
  dbPath: string;
  piiVault: PiiVault;
  /** Answers served straight from the query cache, without tRPC (see cached-answers.ts). */
  cachedAnswersServed(): number;
  close(): Promise<void>;
}

/**
 * A real server on a free loopback port over a private copy of the run's template database
 * (generated once by testing/global-setup.ts with the same code as `pnpm cityops generate`).
 */
export async function startTestServer(opts: { throttleBaseMs?: number; throttleMaxMs?: number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-server-'));
  const dbPath = path.join(dir, 'test.duckdb');
  copyFileSync(inject('templateDbPath'), dbPath);
  const db = await openDatabase(dbPath);
  await migrate(db);
  await seedDemoUsers(db);
  const liveBus = new LiveBus();
  const piiVault = demoPiiVault();
  const app = createHttpApp({
    deps: { db, config: { ...DEFAULT_API_CONFIG, loginMaxAttempts: 5 }, loginThrottle: new LoginThrottle(opts.throttleBaseMs ?? 200, opts.throttleMaxMs ?? 400), liveBus, piiVault, queryCache: new QueryCache() },
    log: () => {},
    pushTokens: new Map([['test-hotline-push-token', { system: 'test-12345', source: 'hotline' as const }]]),
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    liveBus,
    dbPath,
    piiVault,
    cachedAnswersServed: () => (app.locals['cachedAnswers'] as { served: number }).served,
    async close() {
      // Open SSE streams would keep close() waiting forever.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
