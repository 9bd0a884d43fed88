import { DomainError } from '@cityops/domain';
import type { Database } from '../database.ts';
import { warehouseMigration } from './0001-warehouse.ts';
import { authAuditMigration } from './0002-auth-audit.ts';
import { importMigration } from './0003-import.ts';
import { workOrdersMigration } from './0004-work-orders.ts';
import { indexMigration } from './0005-index.ts';
import { reportsMigration } from './0006-reports.ts';
import { piiVaultMigration } from './0007-pii-vault.ts';
import { serviceMetricsMigration } from './0008-service-metrics.ts';
import { warehouseCompactMigration } from './0009-warehouse-compact.ts';
import { eventEnumsMigration } from './0010-event-enums.ts';
import { childVolumesMigration } from './0011-child-volumes.ts';
import { childVolumesIndexMigration } from './0012-child-volumes-index.ts';
import { rollupOverdueFlipsMigration } from './0013-rollup-overdue-flips.ts';
import { derivedUnitCodesMigration } from './0014-derived-unit-codes.ts';
import { compactEventKeysMigration } from './0015-compact-event-keys.ts';
import type { Migration } from './types.ts';

export type { Migration } from './types.ts';

/**
 * Every schema change, in order. Append new migrations with the next version number;
 * never edit one that has shipped (databases in the field have already applied it).
 */
export const MIGRATIONS: readonly Migration[] = [
  warehouseMigration,
  authAuditMigration,
  importMigration,
  workOrdersMigration,
  indexMigration,
  reportsMigration,
  piiVaultMigration,
  serviceMetricsMigration,
  warehouseCompactMigration,
  eventEnumsMigration,
  childVolumesMigration,
  childVolumesIndexMigration,
  rollupOverdueFlipsMigration,
  derivedUnitCodesMigration,
  compactEventKeysMigration,
];

export const LATEST_SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version));

const MIGRATION_PATH_HINT =
  '迁移方法 / how to migrate: 升级 CityOps 到最新版本后重新打开；或用 `pnpm cityops generate --db <新文件>` 生成新库 / ' +
  'upgrade CityOps and reopen it, or build a fresh database with `pnpm cityops generate --db <new file>`.';

/** The version recorded in the database (0 for an empty database). */
export async function currentSchemaVersion(db: Database): Promise<number> {
  const tables = await db.all<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND schema_name = 'main'`,
  );
  if (!tables[0]?.n) return 0;
  const rows = await db.all<{ version: number | null }>(`SELECT max("version")::INTEGER AS version FROM "schema_migrations"`);
  return rows[0]?.version ?? 0;
}

/**
 * Applies pending migrations in order, each in its own transaction (a failure leaves the
 * database at the previous version, never half-migrated). Refuses databases that are newer
 * than this code or whose tables differ from what the migrations created.
 * Returns the versions applied.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  assertRegistryOrdered(migrations);
  const latest = Math.max(0, ...migrations.map((migration) => migration.version));
  const current = await currentSchemaVersion(db);
  if (current > latest) {
    throw new DomainError(
      'SCHEMA_MISMATCH',
      `数据库 ${db.path} 的结构版本为 ${current}，比本程序认识的版本 ${latest} 更新 / ` +
        `database ${db.path} has schema version ${current}, newer than this build knows (${latest}). ${MIGRATION_PATH_HINT}`,
      { path: db.path, current, latest },
    );
  }
  if (current === 0) await assertNoForeignTables(db);
  else await assertTablesMatch(db, migrations.filter((migration) => migration.version <= current));

  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.run(`CREATE TABLE IF NOT EXISTS "schema_migrations" ("version" INTEGER PRIMARY KEY, "name" VARCHAR NOT NULL, "applied_at" TIMESTAMP NOT NULL)`);
      await migration.up(tx);
      await tx.run(`INSERT INTO "schema_migrations" VALUES ($version, $name, now()::TIMESTAMP)`, {
        version: migration.version,
        name: migration.name,
      });
    });
    applied.push(migration.version);
  }
  return applied;
}

function assertRegistryOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration registry out of order: expected version ${index + 1}, found ${migration.version} (${migration.name})`);
    }
  });
}

async function listColumns(db: Database): Promise<Map<string, Set<string>>> {
  const rows = await db.all<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM duckdb_columns() WHERE schema_name = 'main' AND NOT internal`,
  );
  const tables = new Map<string, Set<string>>();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Set<string>();
    columns.add(row.column_name);
    tables.set(row.table_name, columns);
  }
  return tables;
}

/** A database without our bookkeeping but with tables of ours is of another schema. */
async function assertNoForeignTables(db: Database): Promise<void> {
  const existing = await listColumns(db);
  const ours = new Set(MIGRATIONS.flatMap((migration) => Object.keys(migration.tables)));
  const clashing = [...existing.keys()].filter((table) => ours.has(table));
  if (clashing.length > 0) {
    throw new DomainError(
      'SCHEMA_MISMATCH',
      `数据库 ${db.path} 含有表 ${clashing.join(', ')} 但没有版本记录，不是 CityOps 数据库 / ` +
        `database ${db.path} has tables ${clashing.join(', ')} but no schema_migrations: not a CityOps database. ${MIGRATION_PATH_HINT}`,
      { path: db.path, tables: clashing },
    );
  }
}

async function assertTablesMatch(db: Database, applied: readonly Migration[]): Promise<void> {
  const expected = new Map<string, readonly string[]>();
  for (const migration of applied) for (const [table, columns] of Object.entries(migration.tables)) expected.set(table, columns);
  const existing = await listColumns(db);
  const problems: string[] = [];
  for (const [table, columns] of expected) {
    const actual = existing.get(table);
    if (!actual) {
      problems.push(`missing table ${table}`);
      continue;
    }
    const missing = columns.filter((column) => !actual.has(column));
    if (missing.length > 0) problems.push(`${table} lacks ${missing.join(', ')}`);
  }
  if (problems.length > 0) {
    throw new DomainError(
      'SCHEMA_MISMATCH',
      `数据库 ${db.path} 的表结构与版本记录不符 / database ${db.path} does not match its recorded schema: ${problems.join('; ')}. ${MIGRATION_PATH_HINT}`,
      { path: db.path, problems },
    );
  }
}
