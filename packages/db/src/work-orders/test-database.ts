// Test-only helpers for this folder (not exported from index.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../database.ts';
import { warehouseMigration } from '../migrations/0001-warehouse.ts';
import { AUTH_AUDIT_DDL } from '../audit-store.ts';
import { authAuditMigration } from '../migrations/0002-auth-audit.ts';
import { workOrdersMigration } from '../migrations/0004-work-orders.ts';
import { migrate } from '../migrations/index.ts';
import type { Migration } from '../migrations/types.ts';
import { writeSyntheticUnitsCsv } from '../testing/synthetic-units.ts';
import { loadUnits } from '../units-store.ts';

// Version 3 belongs to another module; the registry needs consecutive versions, so the tests
// of this folder stand in an empty migration for it.
const placeholderV3: Migration = { version: 3, name: 'placeholder (work-order tests)', up: async () => undefined, tables: {} };

// AUTH_AUDIT_DDL declares a bare `at` column, a syntax error since DuckDB 1.5 made AT a
// keyword; until its owner quotes it, the tests apply the same DDL with the name quoted.
const authAuditV2: Migration = {
  ...authAuditMigration,
  async up(db) {
    const ddl = AUTH_AUDIT_DDL.replace(/\n(\s*)at TIMESTAMP/g, '\n$1"at" TIMESTAMP');
    for (const statement of ddl.split(';').map((s) => s.trim()).filter(Boolean)) await db.run(statement);
  },
};

export const WORK_ORDER_TEST_MIGRATIONS: readonly Migration[] = [warehouseMigration, authAuditV2, placeholderV3, workOrdersMigration];

export interface TestDatabase {
  db: Database;
  dir: string;
  /** Opens another handle on the same file (a second connection of the cached instance). */
  openAnother(): Promise<Database>;
  close(): void;
}

/**
 * A file database (so a second connection can be opened) with the schema up to work orders
 * and synthetic units: districts 510104/510105, 2 streets each, 3 communities, 4 grids.
 */
export async function openWorkOrderTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'cityops-wo-'));
  const path = join(dir, 'test.duckdb');
  const db = await openDatabase(path);
  await migrate(db, WORK_ORDER_TEST_MIGRATIONS);
  const csv = join(dir, 'units.csv');
  writeSyntheticUnitsCsv(csv, { districts: 2 });
  await loadUnits(db, csv);
  return {
    db,
    dir,
    openAnother: () => openDatabase(path),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A Database whose transactions run on a connection of their own — what database.ts should
 * offer as `withTransactionConnection` (see exclusive-transaction.ts). Used to prove the
 * module is correct with real concurrent connections, not only with the interim mutex.
 */
export function withOwnTransactionConnections(db: Database, openAnother: () => Promise<Database>): Database {
  const wrapped = Object.create(db) as Database & { withTransactionConnection: <T>(fn: (tx: Database) => Promise<T>) => Promise<T> };
  wrapped.withTransactionConnection = async <T,>(fn: (tx: Database) => Promise<T>): Promise<T> => {
    const connection = await openAnother();
    try {
      return await connection.transaction(fn);
    } finally {
      connection.close();
    }
  };
  return wrapped;
}
