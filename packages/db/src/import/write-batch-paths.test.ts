import { SOURCES, type Source } from '@cityops/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database.ts';
import { DEFAULT_HEADERS, templateHeaders, type ImportField } from './fields.ts';
import { buildValidRows, readFixtureUnits, wallClockText } from './fixture-rows.ts';
import { createImportRun } from './import-log.ts';
import { UnitLocator } from './locate.ts';
import { createRowNormalizer, STAGING_COLUMNS, type StagedRow } from './normalize-row.ts';
import { createTempWarehouse, UNITS_CSV, type TempWarehouse } from './test-helpers.ts';
import { importClockFloor, StagedCsvBatch, writeImportBatch, type BatchResult } from './write-batch.ts';

/** Valid staged rows of one source (the fixtures' generator, through the real normalizer), row_no from 1. */
function stagedRowsOf(source: Source, locator: UnitLocator, count: number, seed: number, startMs: number, quirks = false): StagedRow[] {
  const fields = Object.keys(DEFAULT_HEADERS[source]) as ImportField[];
  const headers = templateHeaders(source);
  const normalize = createRowNormalizer({ source, locator });
  const units = readFixtureUnits(UNITS_CSV);
  return buildValidRows(source, units, count, seed, { startMs, coordinateShare: 0.5 }).map((fixture, index) => {
    const raw: Partial<Record<ImportField, string>> = {};
    for (const [header, value] of Object.entries(fixture)) {
      raw[fields[headers.indexOf(header)]!] = value instanceof Date ? wallClockText(value.getTime()) : String(value);
    }
    // Text the staging file must carry exactly: quotes, commas, a formula, a line break, '' vs NULL.
    if (quirks && index % 7 === 0) raw.summary = `他说"不行",=SUM(A1)\n第二行 ${index}`;
    if (quirks && index % 11 === 0) delete raw.summary;
    const result = normalize(raw);
    if (!result.ok) throw new Error(`fixture row ${index} refused: ${JSON.stringify(result.problems)}`);
    result.row[0] = index + 1;
    return result.row;
  });
}

const STATUS = STAGING_COLUMNS.findIndex(([name]) => name === 'status');

async function snapshot(db: Database): Promise<unknown[]> {
  const events = await db.all(`SELECT * EXCLUDE ("ingested_at", "updated_at") FROM "events" ORDER BY "id"`);
  const history = await db.all(`SELECT * EXCLUDE ("seen_at") FROM "event_history" ORDER BY "event_id", "origin", "status"`);
  const runs = await db.all(`SELECT "rows_read", "inserted", "unchanged", "stale", "updated", "rejected", "last_row", "received_from", "received_to" FROM "import_runs" ORDER BY "id"`);
  return [events, history, runs];
}

/**
 * writeImportBatch takes a shorter path for a file batch (StagedCsvBatch) whose keys match no
 * stored case: inserted straight from its staging file, without the staging table and the
 * match. It must store exactly what the general path (rows given as values) stores, and a
 * batch with known keys must still go the general way (updates and history).
 */
describe('writeImportBatch: the new-cases path of file batches = the general path', () => {
  const warehouses: Record<'file' | 'values', TempWarehouse> = {} as never;
  const results: Record<'file' | 'values', BatchResult[]> = { file: [], values: [] };
  const stages: Record<'file' | 'values', Set<string>[]> = { file: [], values: [] };

  beforeAll(async () => {
    for (const kind of ['file', 'values'] as const) warehouses[kind] = await createTempWarehouse(`cityops-paths-${kind}-`);
    const locator = UnitLocator.fromRows(await UnitLocator.loadRows(warehouses.file.db));
    const start = Date.UTC(2026, 9, 1);
    const batches: { source: Source; rows: StagedRow[] }[] = [];
    for (const source of SOURCES) batches.push({ source, rows: stagedRowsOf(source, locator, 600, 11, start, true) });
    // Hotline again: 300 known cases with a later state, 300 new ones (the general path in both warehouses).
    const again = stagedRowsOf('hotline', locator, 900, 11, start, true).slice(300);
    batches.push({ source: 'hotline', rows: again.map((row, index) => ((row[0] = index + 1), index < 300 ? row.map((value, column) => (column === STATUS ? 'closed' : value)) : row)) });
    for (const kind of ['file', 'values'] as const) {
      const db = warehouses[kind].db;
      for (const [n, { source, rows }] of batches.entries()) {
        const runId = await createImportRun(db, { kind: 'file', source, fileName: `batch-${n}`, fileHash: `h${n}`, optionsHash: 'o' });
        let staged: StagedRow[] | StagedCsvBatch = rows;
        if (kind === 'file') {
          staged = new StagedCsvBatch();
          for (const row of rows) staged.add(row);
        }
        const seen = new Set<string>();
        results[kind].push(await writeImportBatch(db, {
          runId, source, origin: 'import', rows: staged, clockFloor: await importClockFloor(db),
          tally: { rowsRead: rows.length, rejected: 0, lastRow: rows.length + 1, receivedFrom: null, receivedTo: null, unmappedCategories: {} },
          onStage: (name) => seen.add(name),
        }));
        stages[kind].push(seen);
      }
    }
  }, 120_000);
  afterAll(() => {
    for (const warehouse of Object.values(warehouses)) warehouse?.cleanup();
  });

  it('stores the same events, history and log, with the same counts', async () => {
    expect(results.file).toEqual(results.values);
    expect(results.file.map((r) => r.inserted)).toEqual([600, 600, 600, 300]);
    expect(results.file[3]!.updated + results.file[3]!.unchanged + results.file[3]!.stale).toBe(300);
    expect(results.file[3]!.updated).toBeGreaterThan(0);
    const [fileSnapshot, valuesSnapshot] = [await snapshot(warehouses.file.db), await snapshot(warehouses.values.db)];
    expect((fileSnapshot[0] as unknown[]).length).toBe(2100);
    expect(fileSnapshot).toEqual(valuesSnapshot);
    // The quirky texts arrived intact (quotes, comma, formula neutralised, line break; NULL summary stays '').
    const texts = await warehouses.file.db.all<{ summary: string }>(`SELECT "summary" FROM "events" WHERE "summary" LIKE '%第二行%' LIMIT 1`);
    expect(texts[0]!.summary).toMatch(/^他说"不行",'?=SUM\(A1\)\n第二行 \d+$/);
  });

  it('takes the short path for new cases only', () => {
    // The general path stages the rows in a table ('stage'); the short path does not.
    expect(stages.file.map((seen) => seen.has('stage'))).toEqual([false, false, false, true]);
    expect(stages.values.map((seen) => seen.has('stage'))).toEqual([true, true, true, true]);
  });
});
