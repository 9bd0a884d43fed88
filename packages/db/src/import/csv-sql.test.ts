import type { Source } from '@cityops/domain';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STORED_EVENT_COLUMNS } from '../migrations/0015-compact-event-keys.ts';
import { oneByOneLimit, sqlCsvPathApplies } from './csv-sql.ts';
import { readMappingFile, templateHeaders } from './fields.ts';
import { buildValidRows, csvLineOf, readFixtureUnits, seededRandom, type FixtureRow } from './fixture-rows.ts';
import { importFile, type ImportFileOptions, type ImportSummary } from './import-file.ts';
import { openSheet } from './readers.ts';
import { createTempWarehouse, FIXTURES_DIR, UNITS_CSV, type TempWarehouse } from './test-helpers.ts';

/**
 * The SQL path of a CSV import (csv-sql.ts) against the JavaScript path: the same files, each
 * imported both ways into its own fresh warehouse, must give the same summaries, events, history,
 * import logs and rejects files, byte for byte. The files are the fixtures and generated exports
 * of every source in which a share of the rows is mutated into what exports get wrong or write
 * unusually (every rule the SQL checks itself, and the forms it leaves to the normalizer).
 */

const warehouses: TempWarehouse[] = [];
afterAll(() => warehouses.forEach((warehouse) => warehouse.cleanup()));

interface Outcome {
  summaries: ImportSummary[];
  events: unknown[];
  history: unknown[];
  runs: unknown[];
  rejects: (string | null)[];
}

/** Imports the files in order into a fresh warehouse, one way, and reads back everything the imports wrote. */
async function importAll(files: readonly string[], options: Omit<ImportFileOptions, 'file'>, sqlPath: boolean): Promise<Outcome> {
  const warehouse = await createTempWarehouse(`cityops-csvsql-${sqlPath ? 'sql' : 'js'}-`);
  warehouses.push(warehouse);
  const summaries: ImportSummary[] = [];
  const rejects: (string | null)[] = [];
  for (const [i, file] of files.entries()) {
    const rejectsFile = path.join(warehouse.dir, `rejects-${i}${path.extname(file)}`);
    summaries.push(await importFile(warehouse.db, { ...options, file, rejectsFile, sqlPath, refreshRollups: i === files.length - 1 }));
    rejects.push(existsSync(rejectsFile) ? readFileSync(rejectsFile, 'latin1') : null);
  }
  const db = warehouse.db;
  return {
    summaries,
    // Stored as written, but for the bookkeeping timestamps (the import's clock).
    events: await db.all(`SELECT * EXCLUDE ("ingested_at", "updated_at") FROM "events" ORDER BY "id"`),
    history: await db.all(`SELECT * EXCLUDE ("seen_at") FROM "event_history" ORDER BY ALL`),
    runs: await db.all(`SELECT * EXCLUDE ("started_at", "finished_at") FROM "import_runs" ORDER BY "id"`),
    rejects,
  };
}

/** What the two ways must agree on in a summary (not its timing or which way it took). */
const comparable = ({ ms, engine, rowsNormalizedInJs, rollups, rejectsFile, ...rest }: ImportSummary) => ({ ...rest, rejectsFile: rejectsFile && path.basename(rejectsFile), rollups: rollups?.mode ?? null });

async function expectSameBothWays(files: readonly string[], options: Omit<ImportFileOptions, 'file'>): Promise<Outcome> {
  const js = await importAll(files, options, false);
  const sql = await importAll(files, options, true);
  expect(js.summaries.map((summary) => summary.engine)).toEqual(files.map(() => 'js'));
  expect(js.summaries.map((summary) => summary.rowsNormalizedInJs)).toEqual(js.summaries.map((summary) => summary.rowsRead));
  expect(sql.summaries.map(comparable)).toEqual(js.summaries.map(comparable));
  expect(sql.rejects).toEqual(js.rejects);
  expect(sql.runs).toEqual(js.runs);
  expect(sql.history).toEqual(js.history);
  expect(sql.events.length).toBe(js.events.length);
  expect(sql.events).toEqual(js.events);
  return sql;
}

const units = readFixtureUnits(UNITS_CSV);

/** A cell of a generated row, as text (dates are already text in CSV rows). */
type Mutation = (row: Record<string, string>, random: () => number, previous: Record<string, string> | undefined) => void;

const pick = <T,>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;

/** What exports get wrong or write unusually, each by the field it touches (keys are the template's fields in order). */
function mutations(source: Source): Mutation[] {
  const headers = templateHeaders(source);
  const h = (index: number) => headers[index]!;
  const [id, received, channelOrForm, natureOrMatter, category] = [h(0), h(1), h(2), h(3), h(4)];
  const header = (field: string, fallback: string) => headers.find((name) => name === field) ?? fallback;
  const summary = headers[6]!;
  const dateHeaders = headers.filter((name) => /时间|时限|期限/.test(name) && name !== received);
  const text = (value: string) => (row: Record<string, string>, column: string) => (row[column] = value);
  return [
    (row, random) => { const column = pick(random, Object.keys(row)); row[column] = pick(random, [' ', '\u3000', '\t', '\u00a0']) + (row[column] ?? '') + pick(random, ['', ' ']); },
    (row, random) => { row[received] = pick(random, ['2025/3/5 9:07', '2025年3月5日 9时7分', '45678.5', '20250305090700', '2025-03-05T09:07:00+08:00', '2025-02-30 10:00:00', '2025-13-01 00:00:00', '1999-12-31 23:59:59', '2099-12-31 23:59:59', '2025-01-01 24:00:00', '2025-01-01 23:59:60', '2025-1-01 00:00:00', '']); },
    (row, random) => { const column = pick(random, dateHeaders); if (column) row[column] = pick(random, ['2020-01-01 00:00:00', '2025/01/02 03:04', 'soon', '2025-04-31 12:00:00', '2024-02-29 12:00:00']); },
    (row, random) => { row[channelOrForm] = pick(random, ['PHONE', 'web', 'App', '市长信箱', '来访', '=cmd|x', '一个很长很长很长很长很长很长很长很长很长的渠道名称啊啊啊啊', 'x'.repeat(32), '-x'.repeat(16), 'unknown']); },
    (row, random) => { row[natureOrMatter] = pick(random, ['咨询', 'COMPLAINT', 'praise', '警情', '非警务', '求决', '检举控告', 'xyz', '=1', '是']); },
    (row, random) => { row[category] = pick(random, ['', '疫情防控', 'toString', 'constructor', '交通', '刑事', '其他', row[category]!.toLowerCase()]); },
    (row, random) => { const lng = header('经度', header('发案地经度', '')); const lat = header('纬度', header('发案地纬度', '')); if (!lng) return; pick(random, [() => delete row[lng], () => delete row[lat], () => { row[lng] = '120.0'; row[lat] = '30.5'; }, () => { row[lng] = '104.06.1'; }, () => { row[lng] = '1e2'; }, () => { row[lat] = '30'; row[lng] = '104'; }, () => { row[lng] = '-104.1'; }])(); },
    (row, random) => { const [district, street, community] = [headers[7]!, headers[8]!, headers[9]!]; pick(random, [() => (row[district] = '天府新区'), () => (row[street] = '不存在街道'), () => delete row[community], () => { delete row[community]; delete row[street]; }, () => (row[headers[10]!] = pick(random, ['510104', '12345', '510104001001001', '510104020', '5101040'])), () => (row[community] = `${row[community] ?? ''}居委会`), () => (row[street] = `成都市${row[street] ?? ''}`)])(); },
    (row, random) => { const phone = headers[14]!; row[phone] = pick(random, ['028-8765 4321', '138-0000-0000', '12', '+86 13800000000', 'abc', '(028)87654321', '1380000000000000', '138\u00a000000000']); },
    (row, random) => { const name = headers[13]!; row[name] = pick(random, ['A', '=cmd|x', 'Zoë', '王😀', '李', '欧阳·娜娜', '+王', 'Li Ming']); },
    (row, random, previous) => { pick(random, [() => { if (previous) row[id] = previous[id]!; }, () => (row[id] = '=HYPERLINK("x")'), () => (row[id] = 'x'.repeat(65)), () => (row[id] = '-'.repeat(64)), () => delete row[id], () => (row[id] = `${row[id]}😀`)])(); },
    (row, random) => { row[summary] = pick(random, ['=1+1', '-5 items', '@x', 'a'.repeat(2001), '长'.repeat(1990), '𠀀'.repeat(1001), 'a,b\r\nc "quoted"', '包含\uFFFD的文本', '']); },
    (row, random) => { const closed = dateHeaders.find((name) => /办结时间|处结时间/.test(name)); if (closed) row[closed] = '2000-01-01 00:00:00'; void random; },
    (row, random) => { const idNumber = headers[15]!; row[idNumber] = pick(random, ['51010419900101123x', '510104900101123', '5101041990010112', '51010419900101123X']); },
    (row, random) => { for (const name of headers.slice(16)) if (random() < 0.3) row[name] = pick(random, ['是', '否', 'Yes', '重复件', 'maybe', '0', '3', '100000', '市住建局', '住建局', '=evil', '紧急', '特急', '非常满意', '已评价', '已到场', 'closed', 'N']); },
  ];
}

/** A generated export of `count` rows with about `share` of them mutated, as a UTF-8 CSV (with BOM when asked). */
function writeMutatedCsv(file: string, source: Source, count: number, seed: number, share: number, bom: boolean): void {
  const headers = templateHeaders(source);
  const rows = buildValidRows(source, units, count, seed, { startMs: Date.UTC(2025, 0, 1), coordinateShare: 0.6, idPrefix: `M${seed}-` });
  const random = seededRandom(seed * 7 + 1);
  const kinds = mutations(source);
  let previous: Record<string, string> | undefined;
  const lines = rows.map((fixture: FixtureRow) => {
    const row = Object.fromEntries(Object.entries(fixture).map(([key, value]) => [key, String(value)]));
    if (random() < share) {
      const times = 1 + Math.floor(random() * 2);
      for (let i = 0; i < times; i += 1) pick(random, kinds)(row, random, previous);
    }
    previous = row;
    return csvLineOf(headers, row);
  });
  writeFileSync(file, `${bom ? '\uFEFF' : ''}${headers.join(',')}\r\n${lines.join('')}`);
}

describe('CSV import, SQL path against the JavaScript path (real DuckDB files)', () => {
  it('the hotline fixtures: the October export with every kind of bad row, then the later export (updates, stale rows)', async () => {
    const files = ['hotline-2026-10.csv', 'hotline-2026-11-later.csv'].map((file) => path.join(FIXTURES_DIR, file));
    const sql = await expectSameBothWays(files, { source: 'hotline' });
    // The October file holds a row in GBK bytes: read from a copy with U+FFFD for them, as the JavaScript reader reads it.
    expect(sql.summaries.map((summary) => summary.engine)).toEqual(['sql', 'sql']);
    expect(sql.summaries[1]!.updated).toBeGreaterThan(0);
    expect(sql.summaries[0]!.rejected).toBeGreaterThan(10);
    // The bad rows (and only about those) went to the normalizer.
    expect(sql.summaries[0]!.rowsNormalizedInJs).toBeGreaterThanOrEqual(sql.summaries[0]!.rejected - 2);
    expect(sql.summaries[0]!.rowsNormalizedInJs).toBeLessThan(sql.summaries[0]!.rowsRead / 3);
  });

  it('the custom-header fixture with its mapping file (extra category names) and BD-09 points', async () => {
    const file = path.join(FIXTURES_DIR, 'hotline-custom-headers.csv');
    const sql = await expectSameBothWays([file], { source: 'hotline', crs: 'bd09', mapping: readMappingFile(path.join(FIXTURES_DIR, 'hotline-custom-mapping.json')) });
    expect(sql.summaries[0]!.engine).toBe('sql');
  });

  it.each([
    ['hotline', 11, true],
    ['police', 12, false],
    ['petition', 13, true],
  ] as const)('a generated %s export with a third of its rows mutated, imported twice', async (source, seed, bom) => {
    const warehouse = await createTempWarehouse('cityops-csvsql-files-');
    warehouses.push(warehouse);
    const file = path.join(warehouse.dir, `${source}-mutated.csv`);
    writeMutatedCsv(file, source, 1500, seed, 0.35, bom);
    // Twice: the second import matches every key (the general path, from the same relation).
    const sql = await expectSameBothWays([file, file], { source, batchSize: 400 });
    expect(sql.summaries.map((summary) => summary.engine)).toEqual(['sql', 'sql']);
    const [first, second] = sql.summaries;
    expect(first!.rejected).toBeGreaterThan(100);
    expect(first!.inserted).toBeGreaterThan(800);
    expect(second!.inserted).toBe(0);
    expect(second!.unchanged).toBe(first!.inserted);
    // The SQL vouched for most rows itself; the mutated ones went to the normalizer.
    expect(first!.rowsNormalizedInJs).toBeGreaterThan(first!.rejected);
    expect(first!.rowsNormalizedInJs).toBeLessThan(first!.rowsRead / 2);
  });

  it('resumes an interrupted run at the same row both ways', async () => {
    const warehouse = await createTempWarehouse('cityops-csvsql-files-');
    warehouses.push(warehouse);
    const file = path.join(warehouse.dir, 'hotline-resume.csv');
    writeMutatedCsv(file, 'hotline', 900, 21, 0.2, true);
    const outcomes = [];
    for (const sqlPath of [false, true]) {
      const target = await createTempWarehouse('cityops-csvsql-resume-');
      warehouses.push(target);
      // The first run stops after its second batch (a failure in the batch callback: the batch itself committed).
      let batches = 0;
      await expect(importFile(target.db, {
        source: 'hotline', file, sqlPath, batchSize: 200, refreshRollups: false, rejectsFile: path.join(target.dir, 'r.csv'),
        onBatchCommitted: () => {
          batches += 1;
          if (batches === 2) throw new Error('stop here');
        },
      })).rejects.toThrow();
      const summary = await importFile(target.db, { source: 'hotline', file, sqlPath, batchSize: 200, refreshRollups: false, rejectsFile: path.join(target.dir, 'r.csv') });
      outcomes.push({
        summary: comparable(summary),
        events: await target.db.all(`SELECT * EXCLUDE ("ingested_at", "updated_at") FROM "events" ORDER BY "id"`),
        rejects: readFileSync(path.join(target.dir, 'r.csv'), 'latin1'),
      });
    }
    expect(outcomes[0]!.summary.resumedAfterRow).toBeGreaterThan(1);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });
});

describe('which CSV files take the SQL path', () => {
  const probe = async (name: string, bytes: Buffer | string) => {
    const warehouse = warehouses[0] ?? (await createTempWarehouse('cityops-csvsql-probe-'));
    if (!warehouses.includes(warehouse)) warehouses.push(warehouse);
    const file = path.join(warehouse.dir, name);
    writeFileSync(file, bytes);
    const sheet = await openSheet(file);
    try {
      return sqlCsvPathApplies(sheet, file);
    } finally {
      await sheet.close();
    }
  };

  it('UTF-8 files with or without BOM, LF or CRLF; not GB18030, blank lines or lone carriage returns', async () => {
    expect(await probe('lf.csv', 'a,b\n1,2\n3,4\n')).toBe(true);
    expect(await probe('crlf.csv', '\uFEFFa,b\r\n1,2\r\n3,4')).toBe(true);
    expect(await probe('blank.csv', 'a,b\n1,2\n\n3,4\n')).toBe(false);
    expect(await probe('blank-crlf.csv', 'a,b\r\n1,2\r\n\r\n3,4\r\n')).toBe(false);
    expect(await probe('cr.csv', 'a,b\r1,2\r3,4\r')).toBe(false);
    expect(await probe('gbk.csv', readFileSync(path.join(FIXTURES_DIR, 'petition-2026-10-gbk.csv')))).toBe(false);
  });
});

describe('CSV import, SQL path: a case stored by someone else during the import', () => {
  it('is matched (updated, not inserted twice) although the file was checked before its first batch', async () => {
    const warehouse = await createTempWarehouse('cityops-csvsql-race-');
    warehouses.push(warehouse);
    const file = path.join(warehouse.dir, 'hotline-race.csv');
    writeMutatedCsv(file, 'hotline', 600, 31, 0, false);
    // The id of the file's row 500 (in the fifth batch of 100), stored by "another writer" after the first batch.
    const target = readFileSync(file, 'utf8').split('\r\n')[499]!.split(',')[0]!;
    const db = warehouse.db;
    let batches = 0;
    const summary = await importFile(db, {
      source: 'hotline', file, batchSize: 100, refreshRollups: false, rejectsFile: path.join(warehouse.dir, 'r.csv'),
      onBatchCommitted: async () => {
        batches += 1;
        if (batches !== 1) return;
        const columns = STORED_EVENT_COLUMNS;
        await db.run(
          `INSERT INTO "events" (${columns.map((name) => `"${name}"`).join(', ')})
           SELECT ${columns.map((name) => (name === 'id' ? '(SELECT max("id") + 1 FROM "events")' : name === 'external_id' ? '$id' : `"${name}"`)).join(', ')}
           FROM "events" ORDER BY "id" LIMIT 1`,
          { id: target },
        );
      },
    });
    expect(summary.engine).toBe('sql');
    expect(batches).toBe(6);
    const stored = await db.all<{ n: number; summary: string }>(`SELECT count(*)::INTEGER AS "n", any_value("summary") AS "summary" FROM "events" WHERE "external_id" = $id`, { id: target });
    expect(stored[0]!.n).toBe(1);
    expect(summary.inserted).toBe(599);
    expect(summary.updated + summary.stale).toBe(1);
    expect(summary.inserted + summary.updated + summary.stale + summary.unchanged + summary.rejected).toBe(600);
  });
});

describe('CSV import, SQL path: a file mostly of another form', () => {
  it('is given up to the JavaScript path (which streams) when more rows need the normalizer than oneByOneLimit', async () => {
    const warehouse = await createTempWarehouse('cityops-csvsql-slashes-');
    warehouses.push(warehouse);
    const file = path.join(warehouse.dir, 'hotline-slashes.csv');
    const rows = 25_000;
    writeMutatedCsv(file, 'hotline', rows, 41, 0, true);
    // Every timestamp written 2025/01/02 03:04:05: valid, but not the form the SQL vouches for.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\d{4})-(\d{2})-(\d{2}) /g, '$1/$2/$3 '));
    expect(rows).toBeGreaterThan(oneByOneLimit(rows));
    const summary = await importFile(warehouse.db, { source: 'hotline', file, refreshRollups: false, rejectsFile: path.join(warehouse.dir, 'r.csv') });
    expect(summary.engine).toBe('js');
    expect(summary.rowsNormalizedInJs).toBe(rows);
    expect(summary.inserted).toBe(rows);
    // Rows are in time order: the first row's time, read back in the stored form.
    const firstTime = readFileSync(file, 'utf8').split('\r\n')[1]!.split(',')[1]!;
    expect(firstTime).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/);
    const [stored] = await warehouse.db.all<{ n: number; first: string }>(`SELECT count(*)::INTEGER AS "n", min("received_at")::VARCHAR AS "first" FROM "events"`);
    expect(stored).toEqual({ n: rows, first: firstTime.replaceAll('/', '-') });
  });
});

describe('CSV import, SQL path: small and unusual files', () => {
  it('a header-only file, one row without a final line break, and a tab-separated file give what the JavaScript path gives', async () => {
    const warehouse = await createTempWarehouse('cityops-csvsql-small-');
    warehouses.push(warehouse);
    const headers = templateHeaders('hotline');
    const source = path.join(warehouse.dir, 'source.csv');
    writeMutatedCsv(source, 'hotline', 30, 51, 0.3, false);
    const lines = readFileSync(source, 'utf8').split('\r\n');
    // Unmutated rows for the tab-separated file: a mutation may pad a cell with a tab.
    const plain = path.join(warehouse.dir, 'plain.csv');
    writeMutatedCsv(plain, 'hotline', 30, 52, 0, false);
    const files = {
      'header-only.csv': `${headers.join(',')}\r\n`,
      'one-row.csv': `${lines[0]}\r\n${lines[1]}`,
      // No quoted cells in these rows: the commas become tabs one for one.
      'tabs.tsv': readFileSync(plain, 'utf8').split('\r\n').filter((line) => !line.includes('"')).map((line) => line.replaceAll(',', '\t')).join('\n'),
    };
    for (const [name, text] of Object.entries(files)) {
      const file = path.join(warehouse.dir, name);
      writeFileSync(file, text);
      const sql = await expectSameBothWays([file], { source: 'hotline' });
      expect([name, sql.summaries[0]!.engine]).toEqual([name, 'sql']);
    }
  });
});
