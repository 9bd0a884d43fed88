import { eventSchema, isDomainError } from '@cityops/domain';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellToParent } from 'h3-js';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../database.ts';
import { EVENT_COLUMNS, ROLLUP_MEASURES } from './0001-warehouse.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, currentSchemaVersion, migrate } from './index.ts';
import { warehouseCompactMigration } from './0009-warehouse-compact.ts';
import { EVENT_ENUM_COLUMNS, eventEnumsMigration } from './0010-event-enums.ts';
import { childVolumesMigration } from './0011-child-volumes.ts';
import { CHILD_MONTHLY_KEY_INDEX, childVolumesIndexMigration } from './0012-child-volumes-index.ts';
import { rollupOverdueFlipsMigration } from './0013-rollup-overdue-flips.ts';
import { derivedUnitCodesMigration, UNIT_CODE_DERIVATIONS } from './0014-derived-unit-codes.ts';
import { compactEventKeysMigration, KEY_COLUMNS, KEY_DERIVATIONS } from './0015-compact-event-keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'cityops-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Events of every kind of column (ENUMs, TIMESTAMP_S, NULLs) in two grids of two districts, written as versions 1–13 store them. */
const insertEvents = (db: Awaited<ReturnType<typeof openDatabase>>, reporterHash = 'ab12') => db.run(
  `INSERT INTO events BY NAME
   SELECT range AS id, 'hotline' AS source, 'RX' || range AS external_id, TIMESTAMP '2026-10-01 08:00:00' + range * INTERVAL 37 MINUTE AS received_at,
     'phone' AS channel, 'complaint' AS nature, 'market' AS category, NULL AS sub_category, '来电反映' AS summary, 104.06 AS lng, 30.67 AS lat,
     false AS location_approximate, '8740a8d6affffff' AS h3r7, '8840a8d6a1fffff' AS h3r8, '8940a8d6a03ffff' AS h3r9,
     g[1:6] AS district_code, g[1:9] AS street_code, g[1:12] AS community_code, g AS grid_code, 'normal' AS urgency,
     $hash AS reporter_hash, '王*' AS reporter_name_masked, NULL AS reporter_phone_masked, NULL AS reporter_id_masked, 'closed' AS status,
     NULL AS dispatched_at, NULL AS first_response_at, TIMESTAMP '2026-10-08 08:00:00' AS due_at, NULL AS closed_at, g[1:9] AS handling_unit,
     NULL AS handling_dept, 'satisfied' AS return_visit, NULL AS police_is_police_matter, NULL AS police_incident_type, NULL AS police_transferred_to_hotline,
     NULL AS petition_form, NULL AS petition_is_repeat, NULL AS petition_group_size, 'complaint' AS hotline_nature,
     TIMESTAMP '2026-11-01 00:00:00' AS ingested_at, TIMESTAMP '2026-11-01 00:00:00.123' AS updated_at
   FROM range(50), (SELECT CASE WHEN range % 3 = 0 THEN '510104001001002' ELSE '510107012003001' END AS g)`,
  { hash: reporterHash },
);

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

  it('compacts the event timestamps (migration 9), then types the closed-list columns as ENUMs (migration 10), of an existing database without losing a row', async () => {
    const db = await openDatabase(join(dir, 'compact.duckdb'));
    try {
      const before = MIGRATIONS.filter((m) => m.version < warehouseCompactMigration.version);
      await migrate(db, before);
      await db.run(
        `INSERT INTO events SELECT * REPLACE (id AS id, 'hotline' AS source, 'RX' || id AS external_id)
         FROM (SELECT range AS id, NULL::VARCHAR AS source, NULL::VARCHAR AS external_id,
                 TIMESTAMP '2026-10-01 08:00:00' + range * INTERVAL 37 MINUTE AS received_at, 'phone' AS channel, 'complaint' AS nature,
                 'market' AS category, NULL AS sub_category, '来电反映' AS summary, 104.06 AS lng, 30.67 AS lat, false AS location_approximate,
                 '8740a8d6affffff' AS h3r7, '8840a8d6a1fffff' AS h3r8, '8940a8d6a03ffff' AS h3r9, '510104' AS district_code,
                 '510104001' AS street_code, '510104001001' AS community_code, '510104001001001' AS grid_code, 'normal' AS urgency,
                 NULL AS reporter_hash, NULL AS reporter_name_masked, NULL AS reporter_phone_masked, NULL AS reporter_id_masked, 'closed' AS status,
                 TIMESTAMP '2026-10-01 08:10:00' + range * INTERVAL 37 MINUTE AS dispatched_at, NULL AS first_response_at,
                 TIMESTAMP '2026-10-08 08:00:00.4' AS due_at, CASE WHEN range % 2 = 0 THEN TIMESTAMP '2026-10-05 17:30:00' END AS closed_at,
                 NULL AS handling_unit, NULL AS handling_dept, NULL AS return_visit, NULL AS police_is_police_matter, NULL AS police_incident_type,
                 NULL AS police_transferred_to_hotline, NULL AS petition_form, NULL AS petition_is_repeat, NULL AS petition_group_size,
                 'complaint' AS hotline_nature, TIMESTAMP '2026-11-01 00:00:00' AS ingested_at, TIMESTAMP '2026-11-01 00:00:00.123' AS updated_at
               FROM range(100))`,
      );
      const sums = `SELECT count(*)::INTEGER AS n, sum(epoch(received_at))::DOUBLE AS r, count(closed_at)::INTEGER AS c, max(updated_at)::VARCHAR AS u FROM events`;
      const [old] = await db.all(sums);
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version <= warehouseCompactMigration.version))).toEqual([warehouseCompactMigration.version]);
      const types = await db.all<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'events' AND data_type LIKE 'TIMESTAMP%' ORDER BY column_index`);
      expect(Object.fromEntries(types.map((t) => [t.column_name, t.data_type]))).toEqual({
        received_at: 'TIMESTAMP_S', dispatched_at: 'TIMESTAMP_S', first_response_at: 'TIMESTAMP_S', due_at: 'TIMESTAMP_S', closed_at: 'TIMESTAMP_S',
        ingested_at: 'TIMESTAMP', updated_at: 'TIMESTAMP',
      });
      expect(await db.all(sums)).toEqual([old]);
      // A sub-second part is rounded to the second; the watermark keeps its milliseconds.
      const [due] = await db.all<{ due: string; u: string }>(`SELECT any_value(due_at)::VARCHAR AS due, any_value(updated_at)::VARCHAR AS u FROM events`);
      expect(due).toEqual({ due: '2026-10-08 08:00:00', u: '2026-11-01 00:00:00.123' });

      // Migration 10: the closed-list columns become ENUMs, values kept, unknown ones refused.
      const values = `SELECT source, category, urgency, status, hotline_nature, count(*)::INTEGER AS n FROM events GROUP BY ALL ORDER BY ALL`;
      const [enumBefore] = await db.all(values);
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version <= eventEnumsMigration.version))).toEqual([eventEnumsMigration.version]);
      const enums = await db.all<{ column_name: string; data_type: string }>(
        `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'events' AND data_type LIKE 'ENUM%' ORDER BY column_index`);
      expect(enums.map((c) => c.column_name).sort()).toEqual(Object.keys(EVENT_ENUM_COLUMNS).sort());
      expect(await db.all(values)).toEqual([enumBefore]);
      expect(await db.all(`SELECT count(*)::INTEGER AS n FROM events WHERE source = $s`, { s: 'no-such-source' })).toEqual([{ n: 0 }]);
      await expect(db.run(`UPDATE events SET source = 'no-such-source' WHERE id = 0`)).rejects.toThrow(/Conversion/);
    } finally {
      db.close();
    }
  });

  it('fills the child volumes of an existing database from its rollups (migration 11)', async () => {
    const db = await openDatabase(join(dir, 'children.duckdb'));
    try {
      await migrate(db, MIGRATIONS.filter((m) => m.version < childVolumesMigration.version));
      const zeros = ROLLUP_MEASURES.filter(([name]) => name !== 'events').map(([name]) => `0 AS "${name}"`).join(', ');
      await db.run(
        `INSERT INTO rollup_monthly BY NAME
         SELECT month::DATE AS month, level, unit_code, parent_code, source, item, events, ${zeros}
         FROM (VALUES ('2026-09-01', 'street', '510104001', '510104', 'hotline', 'market', 3),
                      ('2026-09-01', 'street', '510104001', '510104', 'hotline', 'traffic', 2),
                      ('2026-09-01', 'grid', '510104001001001', '510104001001', 'hotline', 'market', 3),
                      ('2026-09-01', 'district', '510104', '5101', 'police', 'market', 7),
                      ('2026-09-01', 'city', '5101', NULL, 'police', 'market', 7),
                      ('2026-10-01', 'community', '510104001001', '510104001', 'petition', 'market', 1))
           t(month, level, unit_code, parent_code, source, item, events)`,
      );
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version <= childVolumesMigration.version))).toEqual([childVolumesMigration.version]);
      const childRows = `SELECT parent_month, month::VARCHAR AS month, unit_code, source, events FROM rollup_child_monthly ORDER BY ALL`;
      expect(await db.all(childRows)).toEqual([
        { parent_month: '510104001:2026-10', month: '2026-10-01', unit_code: '510104001001', source: 'petition', events: 1 },
        { parent_month: '510104:2026-09', month: '2026-09-01', unit_code: '510104001', source: 'hotline', events: 5 },
        { parent_month: '5101:2026-09', month: '2026-09-01', unit_code: '510104', source: 'police', events: 7 },
      ]);

      // Migration 12: the key index, built over the rows already there; lookups use it and
      // the table's later writes keep it in step (a deleted key is no longer found, a new one is).
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version <= childVolumesIndexMigration.version))).toEqual([childVolumesIndexMigration.version]);
      expect(await db.all(`SELECT index_name, is_unique, expressions FROM duckdb_indexes() WHERE table_name = 'rollup_child_monthly'`)).toEqual([
        { index_name: CHILD_MONTHLY_KEY_INDEX, is_unique: false, expressions: '[parent_month]' },
      ]);
      const lookup = `SELECT unit_code, source, events FROM rollup_child_monthly WHERE parent_month = $key ORDER BY ALL`;
      // EXPLAIN ANALYZE: the table scan chooses the index when it starts (plain EXPLAIN shows a SEQ_SCAN).
      const [plan] = await db.all<{ explain_value: string }>(`EXPLAIN ANALYZE ${lookup}`, { key: '510104:2026-09' });
      expect(plan!.explain_value).toMatch(/Index Scan/);
      expect(await db.allPrepared(lookup, { key: '510104:2026-09' })).toEqual([{ unit_code: '510104001', source: 'hotline', events: 5 }]);
      await db.run(`DELETE FROM rollup_child_monthly WHERE parent_month = '510104:2026-09'`);
      await db.run(`INSERT INTO rollup_child_monthly VALUES ('510104:2026-11', DATE '2026-11-01', '510104002', 'police', 4)`);
      expect(await db.allPrepared(lookup, { key: '510104:2026-09' })).toEqual([]);
      expect(await db.allPrepared(lookup, { key: '510104:2026-11' })).toEqual([{ unit_code: '510104002', source: 'police', events: 4 }]);
      expect(await db.all(childRows)).toHaveLength(3);

      // Migration 13: an empty table of pending overdue flips; the rollups are left as they are.
      const monthly = `SELECT * FROM rollup_monthly ORDER BY ALL`;
      const monthlyBefore = await db.all(monthly);
      expect(monthlyBefore).toHaveLength(6);
      expect(await migrate(db, MIGRATIONS.filter((m) => m.version <= rollupOverdueFlipsMigration.version))).toEqual([rollupOverdueFlipsMigration.version]);
      expect(await db.all(`SELECT count(*)::INTEGER AS n FROM rollup_overdue_flips`)).toEqual([{ n: 0 }]);
      expect(await db.all(monthly)).toEqual(monthlyBefore);
    } finally {
      db.close();
    }
  });

  it('derives the upper unit codes of existing events from their grid codes (migration 14), refusing a database where they disagree', async () => {
    const before = MIGRATIONS.filter((m) => m.version < derivedUnitCodesMigration.version);
    const upTo14 = MIGRATIONS.filter((m) => m.version <= derivedUnitCodesMigration.version);
    const columns = `SELECT column_name, data_type, is_nullable FROM duckdb_columns() WHERE table_name = 'events' ORDER BY column_index`;
    const rows = `SELECT * FROM events ORDER BY id`;

    const db = await openDatabase(join(dir, 'derived.duckdb'));
    try {
      await migrate(db, before);
      await insertEvents(db);
      const [columnsBefore, rowsBefore] = [await db.all<{ column_name: string; data_type: string; is_nullable: boolean }>(columns), await db.all(rows)];
      expect(rowsBefore).toHaveLength(50);
      expect(await migrate(db, upTo14)).toEqual([derivedUnitCodesMigration.version]);
      // Same rows, same columns in the same order and types; the derived ones are no longer NOT NULL (they are never NULL: grid_code is).
      expect(await db.all(rows)).toEqual(rowsBefore);
      expect(await db.all(columns)).toEqual(columnsBefore.map((c) => (c.column_name in UNIT_CODE_DERIVATIONS ? { ...c, is_nullable: true } : c)));
      const [ddl] = await db.all<{ sql: string }>(`SELECT sql FROM duckdb_tables() WHERE table_name = 'events'`);
      for (const name of Object.keys(UNIT_CODE_DERIVATIONS)) expect(ddl!.sql).toMatch(new RegExp(`${name} VARCHAR GENERATED ALWAYS AS`));
      // A writer cannot give a derived code; a new grid code moves the event's upper codes with it.
      await expect(db.run(`UPDATE events SET district_code = '510105' WHERE id = 1`)).rejects.toThrow();
      await db.run(`UPDATE events SET grid_code = '510105002003004' WHERE id = 1`);
      expect(await db.all(`SELECT district_code, street_code, community_code FROM events WHERE id = 1`)).toEqual([
        { district_code: '510105', street_code: '510105002', community_code: '510105002003' },
      ]);
      // 33 of the 50 rows were in 510107 (ids not divisible by 3), id 1 among them.
      expect(await db.all(`SELECT count(*)::INTEGER AS n FROM events WHERE district_code = '510107'`)).toEqual([{ n: 32 }]);
    } finally {
      db.close();
    }

    // An event whose street code is not its grid's prefix: refused with the reason, nothing changed.
    const mismatched = await openDatabase(join(dir, 'derived-mismatch.duckdb'));
    try {
      await migrate(mismatched, before);
      await insertEvents(mismatched);
      await mismatched.run(`UPDATE events SET street_code = '510104002' WHERE id = 7`);
      const rowsBefore = await mismatched.all(rows);
      const error = await migrate(mismatched, upTo14).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('SCHEMA_MISMATCH');
      expect((error as Error).message).toMatch(/^1 条事件的区、街道或社区编码不是其网格编码的前缀（例如 RX7）/);
      expect(await currentSchemaVersion(mismatched)).toBe(derivedUnitCodesMigration.version - 1);
      expect(await mismatched.all(rows)).toEqual(rowsBefore);
    } finally {
      mismatched.close();
    }
  });
  it('stores the H3 cells and reporter hash of existing events as integers read back as the same text (migration 15), refusing text that is not 64-bit hex', async () => {
    const upTo13 = MIGRATIONS.filter((m) => m.version < derivedUnitCodesMigration.version);
    const upTo14 = MIGRATIONS.filter((m) => m.version < compactEventKeysMigration.version);
    const columns = `SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'events' ORDER BY column_index`;
    const rows = `SELECT * FROM events ORDER BY id`;
    // A hash with a leading zero: the integer's hex text is shorter, the column pads it back.
    const hash = '0f3a9c11d2e4b5a6';

    const db = await openDatabase(join(dir, 'keys.duckdb'));
    try {
      await migrate(db, upTo13);
      await insertEvents(db, hash);
      await migrate(db, upTo14);
      const [columnsBefore, rowsBefore] = [await db.all<{ column_name: string; data_type: string }>(columns), await db.all<Record<string, unknown>>(rows)];
      expect(await migrate(db)).toEqual([compactEventKeysMigration.version]);
      // Same columns in the same order and types, the stored integers appended.
      expect(await db.all(columns)).toEqual([...columnsBefore, ...KEY_COLUMNS.map(([name]) => ({ column_name: name, data_type: 'UBIGINT' }))]);
      const [ddl] = await db.all<{ sql: string }>(`SELECT sql FROM duckdb_tables() WHERE table_name = 'events'`);
      for (const name of Object.keys(KEY_DERIVATIONS)) expect(ddl!.sql).toMatch(new RegExp(`${name} VARCHAR GENERATED ALWAYS AS`));
      // Same rows, but h3r7: the res-9 cell's parent (8940a8d6a03ffff → 8740a8d6affffff, as h3-js cellToParent gives).
      const expected = rowsBefore.map((row) => ({ ...row, h3r7: cellToParent(row['h3r9'] as string, 7) }));
      const after = await db.all<Record<string, unknown>>(`SELECT * EXCLUDE (h3r8_cell, h3r9_cell, reporter_key) FROM events ORDER BY id`);
      expect(after).toEqual(expected);
      expect(after[0]).toMatchObject({ h3r8: '8840a8d6a1fffff', h3r9: '8940a8d6a03ffff', reporter_hash: hash });
      // A writer gives the integers; the text columns cannot be written.
      await expect(db.run(`UPDATE events SET h3r9 = '8940a8d6a07ffff' WHERE id = 1`)).rejects.toThrow();
      await db.run(`UPDATE events SET h3r9_cell = ('0x' || '8940a8d6a07ffff')::UBIGINT, reporter_key = NULL WHERE id = 1`);
      expect(await db.all(`SELECT h3r9, h3r7, reporter_hash FROM events WHERE id = 1`)).toEqual([
        { h3r9: '8940a8d6a07ffff', h3r7: cellToParent('8940a8d6a07ffff', 7), reporter_hash: null },
      ]);
    } finally {
      db.close();
    }

    // A reporter hash that is not 16 hex digits: refused with the reason, nothing changed.
    const mismatched = await openDatabase(join(dir, 'keys-mismatch.duckdb'));
    try {
      await migrate(mismatched, upTo13);
      await insertEvents(mismatched, hash);
      await mismatched.run(`UPDATE events SET reporter_hash = 'not-a-hash' WHERE id = 9`);
      await migrate(mismatched, upTo14);
      const rowsBefore = await mismatched.all(rows);
      const error = await migrate(mismatched).catch((e: unknown) => e);
      expect(isDomainError(error) && error.code).toBe('SCHEMA_MISMATCH');
      expect((error as Error).message).toMatch(/^1 条事件的 H3 网格或报告人哈希不是 64 位十六进制文本（例如 RX9）/);
      expect(await currentSchemaVersion(mismatched)).toBe(compactEventKeysMigration.version - 1);
      expect(await mismatched.all(rows)).toEqual(rowsBefore);
    } finally {
      mismatched.close();
    }
  });
});
