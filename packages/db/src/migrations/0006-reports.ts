import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * The archive of generated monthly reports (《社情分析综合报告》, issue 9). One row per file
 * (a month × unit × format generation). The file lives either on disk (`path`) or in the row
 * (`content`); `sha256` and `bytes` are of the file either way. `snapshot_id`/`snapshot_revision`
 * name the published index revision the report was built from (null when it was built from a
 * provisional computation, `index_status` says which).
 */
export const REPORT_ARCHIVE_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['month', 'VARCHAR NOT NULL'],
  ['unit_code', 'VARCHAR NOT NULL'],
  ['unit_name', 'VARCHAR NOT NULL'],
  // Set for a department's report (its items only, city-wide); null for a territorial one.
  ['department_code', 'VARCHAR'],
  ['format', 'VARCHAR NOT NULL'],
  ['file_name', 'VARCHAR NOT NULL'],
  ['path', 'VARCHAR'],
  ['content', 'BLOB'],
  ['sha256', 'VARCHAR NOT NULL'],
  ['bytes', 'BIGINT NOT NULL'],
  ['generated_by', 'VARCHAR NOT NULL'],
  ['generated_at', 'TIMESTAMP NOT NULL'],
  ['index_status', 'VARCHAR NOT NULL'],
  ['snapshot_id', 'VARCHAR'],
  ['snapshot_revision', 'INTEGER'],
  ['method_version', 'VARCHAR NOT NULL'],
];

export const reportsMigration: Migration = {
  version: 6,
  name: 'reports',
  async up(db) {
    await db.run(`CREATE TABLE "report_archive" (${REPORT_ARCHIVE_COLUMNS.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
  },
  tables: { report_archive: REPORT_ARCHIVE_COLUMNS.map(([name]) => name) },
};
