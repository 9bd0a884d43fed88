import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { generateDatabaseFile } from '../commands/generate.ts';

/** Parameters of the shared server-test database; every server test copies the file. */
export const TEMPLATE_DB = { scale: 0.001, months: 14, seed: 11, endMonth: '2026-10' } as const;

declare module 'vitest' {
  export interface ProvidedContext {
    templateDbPath: string;
  }
}

/**
 * Generates the small demo database that the HTTP-server tests start from, once per run
 * (through the same code path as `pnpm cityops generate`), instead of once per test file.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-template-'));
  const dbPath = path.join(dir, 'template.duckdb');
  await generateDatabaseFile({ dbPath, ...TEMPLATE_DB });
  project.provide('templateDbPath', dbPath);
  return () => rmSync(dir, { recursive: true, force: true });
}
