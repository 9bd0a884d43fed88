import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type Database } from '@cityops/db';
import { DEFAULT_API_CONFIG, LiveBus, LoginThrottle, seedDemoUsers } from '@cityops/api';
import { generateDatabaseFile } from '../commands/generate.ts';
import { createHttpApp } from '../http-app.ts';

export interface TestServer {
  baseUrl: string;
  db: Database;
  dbPath: string;
  close(): Promise<void>;
}

/** A real server on a free loopback port over a small generated database. */
export async function startTestServer(opts: { scale?: number; months?: number; throttleBaseMs?: number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-server-'));
  const dbPath = path.join(dir, 'test.duckdb');
  await generateDatabaseFile({ dbPath, scale: opts.scale ?? 0.001, months: opts.months ?? 14, seed: 11, endMonth: '2026-10' });
  const db = await openDatabase(dbPath);
  await migrate(db);
  await seedDemoUsers(db);
  const app = createHttpApp({
    deps: { db, config: { ...DEFAULT_API_CONFIG, loginMaxAttempts: 5 }, loginThrottle: new LoginThrottle(opts.throttleBaseMs ?? 200, 400), liveBus: new LiveBus() },
    log: () => {},
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    dbPath,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
