/**
 * Starts the real CityOps server for the browser tests: generates a small demo database into a
 * temp dir with the CLI, serves it (API + /geo + the built dashboards) on a free port as a child
 * process, provides the base URL to the tests and stops it at teardown. The dashboards must
 * have been built beforehand (`pnpm build` runs before the e2e project in `pnpm test`).
 *
 * Set CITYOPS_E2E_BASE_URL to test against a server you already run instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const ROOT = resolve(import.meta.dirname, '..');
const APPS = ['city-command', 'district-hub', 'street-disposal'];

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

async function waitForServer(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early with code ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`server did not answer ${url} within ${timeoutMs} ms`);
}

export default async function setup(project: TestProject) {
  const external = process.env.CITYOPS_E2E_BASE_URL;
  if (external) {
    project.provide('baseUrl', external.replace(/\/$/, ''));
    return undefined;
  }
  const missing = APPS.filter((app) => !existsSync(join(ROOT, 'apps', app, 'dist', 'index.html')));
  if (missing.length) throw new Error(`build the dashboards first (pnpm build); missing dist of: ${missing.join(', ')}`);

  const dir = mkdtempSync(join(tmpdir(), 'cityops-e2e-'));
  const db = join(dir, 'e2e.duckdb');
  const generated = spawnSync(
    'pnpm',
    ['cityops', 'generate', '--scale', '0.002', '--months', '25', '--seed', '7', '--db', db],
    // Generous: on a loaded 2-core machine generating 25 months takes minutes.
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 },
  );
  if (generated.status !== 0) throw new Error(`pnpm cityops generate failed (status ${generated.status})`);

  const port = await freePort();
  // The server runs under node directly, not through `pnpm cityops`: pnpm reports a child ended by
  // the teardown's SIGTERM as "ELIFECYCLE Command failed", a false alarm in a passing run's log.
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/cli.ts', 'serve', '--db', db, '--port', String(port), '--demo'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    // Own process group, so teardown stops the server and anything it started together.
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  };
  try {
    await waitForServer(`${baseUrl}/city-command/`, server, 90_000);
  } catch (error) {
    stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  project.provide('baseUrl', baseUrl);

  return async () => {
    stop();
    await new Promise((r) => setTimeout(r, 500));
    rmSync(dir, { recursive: true, force: true });
  };
}
