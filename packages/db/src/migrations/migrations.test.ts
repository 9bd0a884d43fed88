import { eventSchema, isDomainError } from '@cityops/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../database.ts';
import { EVENT_COLUMNS } from './0001-warehouse.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, currentSchemaVersion, migrate } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'cityops-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

describe('migrations', () => {
  it('creates every table on a fresh database and is idempotent', async () => {
    const db = await openDatabase(join(dir, 'fresh.duckdb'));
    try {
      expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
      expect(await currentSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const tables = await db.all<{ table_name: string }>(`SELECT table_name FROM duckdb_tables() ORDER BY 1`);
      expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['units', 'events', 'rollup_daily', 'rollup_monthly', 'ground_truth', 'schema_migrations']));
      expect(await migrate(db)).toEqual([]);
      expect(await currentSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('stores every field of the canonical event schema', () => {
    const columns = new Set(EVENT_COLUMNS.map(([name]) => name));
    for (const field of Object.keys(eventSchema.shape)) expect(columns, field).toContain(snake(field));
    expect(columns).toContain('ingested_at');
    expect(columns).toContain('updated_at');
  });

  it('refuses a database newer than the code with SCHEMA_MISMATCH and a migration path', async () => {
    const path = join(dir, 'newer.duckdb');
    const db = await openDatabase(path);
    await migrate(db);
    await db.run(`INSERT INTO schema_migrations VALUES (999, 'from the future', now()::TIMESTAMP)`);
    db.close();
    const reopened = await openDatabase(path);
    try {
      const error = await migrate(reopened).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('SCHEMA_MISMATCH');
      expect((error as Error).message).toMatch(/999/);
      expect((error as Error).message).toMatch(/迁移|migrate/);
    } finally {
      reopened.close();
    }
  });

  it('refuses a database whose tables do not match their recorded version', async () => {
    const db = await openDatabase(join(dir, 'drifted.duckdb'));
    try {
      await migrate(db);
      await db.run(`ALTER TABLE events DROP COLUMN summary`);
      const error = await migrate(db).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('SCHEMA_MISMATCH');
      expect((error as Error).message).toMatch(/summary/);
    } finally {
      db.close();
    }
  });

  it('refuses a foreign database that already has an events table', async () => {
    const db = await openDatabase(join(dir, 'foreign.duckdb'));
    try {
      await db.run(`CREATE TABLE events (x INTEGER)`);
      const error = await migrate(db).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('SCHEMA_MISMATCH');
    } finally {
      db.close();
    }
  });

  it('rolls a failing migration back, leaving the previous version', async () => {
    const db = await openDatabase(join(dir, 'failing.duckdb'));
    try {
      const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', tables: {}, up: async (tx: typeof db) => {
        await tx.run(`CREATE TABLE half_done (x INTEGER)`);
        await tx.run(`SELECT * FROM no_such_table`);
      } }];
      await expect(migrate(db, broken)).rejects.toThrow();
      expect(await currentSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      const half = await db.all(`SELECT * FROM duckdb_tables() WHERE table_name = 'half_done'`);
      expect(half).toHaveLength(0);
    } finally {
      db.close();
    }
  });
});
