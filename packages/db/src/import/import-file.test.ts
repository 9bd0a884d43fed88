import ExcelJS from 'exceljs';
import gcoord from 'gcoord';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Source } from '@cityops/domain';
import { readMappingFile } from './fields.ts';
import type { FixtureExpectation } from './fixtures-script.ts';
import { importFile, importMemoryLimitMb, MAX_BATCH_SIZE, type ImportSummary } from './import-file.ts';
import { writeImportTemplate } from './templates.ts';
import { createTempWarehouse, FIXTURES_DIR, type TempWarehouse } from './test-helpers.ts';

const expected = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'expected.json'), 'utf8')) as Record<string, FixtureExpectation>;

async function readRejects(file: string): Promise<string[][]> {
  if (file.endsWith('.xlsx')) {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const rows: string[][] = [];
    workbook.worksheets[0]!.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => String(v ?? ''))));
    return rows;
  }
  const bytes = readFileSync(file);
  const text = file.includes('gbk') ? iconv.decode(bytes, 'gb18030') : bytes.toString('utf8').replace(/^\uFEFF/, '');
  return parse(text, { relax_column_count: true }) as string[][];
}

describe('importFile on the fixtures (real DuckDB file)', () => {
  let warehouse: TempWarehouse;
  const summaries: Record<string, ImportSummary> = {};
  const run = (file: string, extra: Partial<Parameters<typeof importFile>[1]> = {}) => {
    const facts = expected[file]!;
    return importFile(warehouse.db, {
      source: facts.source,
      file: path.join(FIXTURES_DIR, file),
      crs: facts.crs,
      mapping: facts.mapping ? readMappingFile(path.join(FIXTURES_DIR, facts.mapping)) : undefined,
      rejectsFile: path.join(warehouse.dir, `${file}.rejects${path.extname(file)}`),
      ...extra,
    });
  };

  beforeAll(async () => {
    warehouse = await createTempWarehouse();
    for (const file of ['hotline-2026-10.csv', 'police-2026-10.xlsx', 'petition-2026-10-gbk.csv', 'hotline-custom-headers.csv']) summaries[file] = await run(file);
  });
  afterAll(() => warehouse.cleanup());

  it.each(['hotline-2026-10.csv', 'police-2026-10.xlsx', 'petition-2026-10-gbk.csv', 'hotline-custom-headers.csv'])('%s: counts add up and match the fixture', (file) => {
    const summary = summaries[file]!;
    const facts = expected[file]!;
    expect(summary.accepted + summary.updated + summary.rejected).toBe(summary.rowsRead);
    expect(summary.rowsRead).toBe(facts.rowsRead);
    expect(summary.rejected).toBe(facts.rejected);
    expect(summary.inserted).toBe(facts.inserted);
    expect(Object.fromEntries(summary.unmappedCategories)).toEqual(facts.unmapped ?? {});
  });

  it.each(['hotline-2026-10.csv', 'police-2026-10.xlsx', 'petition-2026-10-gbk.csv'])('%s: every bad row is in the rejects file, neutralised, with 行号/列/原因', async (file) => {
    const summary = summaries[file]!;
    const rows = await readRejects(summary.rejectsFile!);
    const header = rows[0]!;
    expect(header.slice(-3)).toEqual(['行号', '列', '原因']);
    const byRow = new Map(rows.slice(1).map((row) => [Number(row[header.length - 3]), row]));
    expect(byRow.size).toBe(expected[file]!.rejected);
    for (const [kind, rowNumber] of Object.entries(expected[file]!.rejectedRows)) {
      expect(byRow.has(rowNumber), `${kind} at row ${rowNumber}`).toBe(true);
      expect(byRow.get(rowNumber)![header.length - 1]!.length, `${kind} has a reason`).toBeGreaterThan(0);
    }
    // No cell of a rejects file may start with a formula character.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    const formulaRow = byRow.get(expected[file]!.rejectedRows['formula-in-refused-row']!)!;
    expect(formulaRow.some((cell) => cell.startsWith(`'`))).toBe(true);
  });

  it('keeps the input format of the rejects file: BOM for a BOM file, GBK for a GBK file, XLSX for XLSX', () => {
    expect([...readFileSync(summaries['hotline-2026-10.csv']!.rejectsFile!).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const gbk = readFileSync(summaries['petition-2026-10-gbk.csv']!.rejectsFile!);
    expect(iconv.decode(gbk, 'gb18030')).toContain('原因');
    expect(gbk.toString('utf8')).not.toContain('原因');
    expect(summaries['police-2026-10.xlsx']!.rejectsFile!.endsWith('.xlsx')).toBe(true);
    expect(summaries['petition-2026-10-gbk.csv']!.encoding).toBe('gb18030');
  });

  it('names the reason of each kind of bad row', async () => {
    const rows = await readRejects(summaries['hotline-2026-10.csv']!.rejectsFile!);
    const reasons = new Map(rows.slice(1).map((row) => [Number(row[row.length - 3]), row[row.length - 1]!]));
    const at = (kind: string) => reasons.get(expected['hotline-2026-10.csv']!.rejectedRows[kind]!)!;
    expect(at('missing-id')).toMatch(/必填项为空/);
    expect(at('impossible-date-feb-30')).toMatch(/日期不存在/);
    expect(at('unknown-district')).toMatch(/所属区县不存在: 天府新区/);
    expect(at('unmapped-category-3')).toMatch(/类别未映射.*营商环境/);
    expect(at('duplicate-id-same-row')).toMatch(/重复/);
    expect(at('wrong-encoding')).toMatch(/编码错误/);
    expect(at('point-outside-chengdu')).toMatch(/坐标不在成都市范围内/);
    expect(at('future-date')).toMatch(/未来/);
  });

  it('stores neither raw phone nor ID numbers, only hashes and masks; hostile text neutralised', async () => {
    const text = readFileSync(path.join(FIXTURES_DIR, 'hotline-2026-10.csv'), 'utf8');
    const phones = [...text.matchAll(/,(1\d{10}),/g)].map((m) => m[1]!);
    expect(phones.length).toBeGreaterThan(50);
    const columns = await warehouse.db.all<{ name: string }>(`SELECT column_name AS name FROM duckdb_columns() WHERE table_name = 'events' AND data_type = 'VARCHAR'`);
    const concat = columns.map((c) => `coalesce("${c.name}", '')`).join(` || '|' || `);
    const stored = (await warehouse.db.all<{ text: string }>(`SELECT ${concat} AS text FROM events`)).map((row) => row.text).join('\n');
    expect(phones.filter((phone) => stored.includes(phone))).toEqual([]);
    const ids = [...readFileSync(path.join(FIXTURES_DIR, 'petition-2026-10-gbk.csv')).toString('latin1').matchAll(/,(\d{17}[\dX]),/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(20);
    expect(ids.filter((id) => stored.includes(id))).toEqual([]);
    const masked = await warehouse.db.all<{ phone: string; hash: string }>(`SELECT reporter_phone_masked AS phone, reporter_hash AS hash FROM events WHERE source = 'hotline' LIMIT 1`);
    expect(masked[0]!.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    expect(masked[0]!.hash).toMatch(/^[0-9a-f]{16}$/);
    const hostile = await warehouse.db.all<{ summary: string }>(`SELECT summary FROM events WHERE summary LIKE '%cmd|%'`);
    expect(hostile.length).toBeGreaterThanOrEqual(3);
    for (const row of hostile) expect(row.summary.startsWith(`'`)).toBe(true);
  });

  it('locates rows without coordinates at the unit centroid (approximate) and converts GCJ-02 / BD-09 to WGS-84', async () => {
    const petitions = await warehouse.db.all<{ approx: number; n: number }>(`SELECT count(*) FILTER (location_approximate)::INTEGER AS approx, count(*)::INTEGER AS n FROM events WHERE source = 'petition'`);
    expect(petitions[0]!.approx).toBe(petitions[0]!.n);
    const grids = await warehouse.db.all<{ bad: number }>(
      `SELECT count(*)::INTEGER AS bad FROM events e LEFT JOIN units u ON u.code = e.grid_code WHERE u.code IS NULL OR NOT starts_with(e.grid_code, e.district_code)`,
    );
    expect(grids[0]!.bad).toBe(0);
    // The police fixture carries GCJ-02 points: stored = gcoord's WGS-84 of the file's value.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(FIXTURES_DIR, 'police-2026-10.xlsx'));
    const sheet = workbook.worksheets[0]!;
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const row = (sheet.getRow(2).values as unknown[]).slice(1);
    const id = String(row[header.indexOf('接警编号')]);
    const [lng, lat] = [Number(row[header.indexOf('发案地经度')]), Number(row[header.indexOf('发案地纬度')])];
    const stored = (await warehouse.db.all<{ lng: number; lat: number }>(`SELECT lng, lat FROM events WHERE source = 'police' AND external_id = $id`, { id }))[0]!;
    const [wgsLng, wgsLat] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
    expect(stored.lng).toBeCloseTo(wgsLng, 9);
    expect(stored.lat).toBeCloseTo(wgsLat, 9);
    expect(Math.abs(stored.lng - lng)).toBeGreaterThan(0.001); // the GCJ-02 offset is ~250 m here
  });

  it('refreshes the rollups: rollup totals equal the imported events', async () => {
    const rows = await warehouse.db.all<{ source: string; rollup: number; raw: number }>(
      `SELECT r.source, r.rollup, e.raw FROM (SELECT source, sum(events)::INTEGER AS rollup FROM rollup_daily WHERE level = 'city' GROUP BY 1) r
       JOIN (SELECT source, count(*)::INTEGER AS raw FROM events GROUP BY 1) e USING (source)`,
    );
    expect(rows.length).toBe(3);
    for (const row of rows) expect(row.rollup).toBe(row.raw);
  });

  it('re-importing the same file changes nothing', async () => {
    const snapshot = async () =>
      warehouse.db.all(`SELECT (SELECT count(*) FROM events)::INTEGER AS n, (SELECT max(updated_at)::VARCHAR FROM events) AS u, (SELECT count(*) FROM event_history)::INTEGER AS h`);
    const before = await snapshot();
    const again = await run('hotline-2026-10.csv');
    expect(await snapshot()).toEqual(before);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 100, rejected: 19, rowsRead: 119, previousRunId: summaries['hotline-2026-10.csv']!.runId });
  });

  it('a later export updates cases, ignores older states, and appends to the history', async () => {
    const facts = expected['hotline-2026-11-later.csv']!;
    const historyBefore = (await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM event_history`))[0]!.n;
    const summary = await run('hotline-2026-11-later.csv');
    expect(summary).toMatchObject({ inserted: facts.inserted, updated: facts.updated, unchanged: facts.unchanged, stale: facts.stale, rejected: 0 });
    expect(summary.accepted + summary.updated + summary.rejected).toBe(summary.rowsRead);
    const historyAfter = (await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM event_history`))[0]!.n;
    expect(historyAfter - historyBefore).toBe(facts.inserted! + facts.updated!);
    const states = await warehouse.db.all<{ externalId: string; states: string[]; now: string }>(
      `SELECT h.external_id AS "externalId", list(h.status ORDER BY h.seen_at) AS states, any_value(e.status) AS now
       FROM event_history h JOIN events e ON e.id = h.event_id GROUP BY 1 HAVING count(*) > 1`,
    );
    expect(states.length).toBe(facts.updated);
    for (const row of states) {
      expect(row.states.at(-1)).toBe('closed');
      expect(row.now).toBe('closed');
    }
    const again = await run('hotline-2026-11-later.csv');
    expect(again).toMatchObject({ inserted: 0, updated: 0, rejected: 0 });
  });

  it('a fixed rejects file imports the corrected rows and refuses the rest again', async () => {
    const rejectsFile = summaries['hotline-2026-10.csv']!.rejectsFile!;
    const rows = await readRejects(rejectsFile);
    const header = rows[0]!;
    const receivedColumn = header.indexOf('受理时间');
    const futureRow = expected['hotline-2026-10.csv']!.rejectedRows['future-date']!;
    const fixed = rows.map((row, i) => (i > 0 && Number(row[header.length - 3]) === futureRow ? row.map((cell, c) => (c === receivedColumn ? '2026-10-09 09:00:00' : cell)) : row));
    const fixedFile = path.join(warehouse.dir, 'hotline-fixed.csv');
    // Dispatch/response times of that row precede the new date too: clear them.
    const dispatch = header.indexOf('派单时间');
    const response = header.indexOf('签收时间');
    const lines = fixed.map((row, i) => row.map((cell, c) => (i > 0 && Number(row[header.length - 3]) === futureRow && (c === dispatch || c === response) ? '' : cell)));
    writeFileSync(fixedFile, `\uFEFF${lines.map((row) => row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',')).join('\r\n')}\r\n`);
    const summary = await importFile(warehouse.db, { source: 'hotline', file: fixedFile, rejectsFile: path.join(warehouse.dir, 'hotline-fixed.rejects.csv') });
    expect(summary.inserted).toBe(1);
    expect(summary.rowsRead).toBe(19);
    expect(summary.ignoredHeaders).toEqual(['行号', '列', '原因']);
  });

  it.each([['hotline', 'csv'], ['police', 'xlsx'], ['petition', 'csv']] as [Source, string][])('the %s template (%s) imports cleanly', async (source, ext) => {
    const file = path.join(warehouse.dir, `template-${source}.${ext}`);
    await writeImportTemplate(source, file);
    const summary = await importFile(warehouse.db, { source, file, refreshRollups: false });
    expect(summary).toMatchObject({ rowsRead: 1, rejected: 0 });
  });

  it('refuses a batch size above MAX_BATCH_SIZE (a batch must fit in DuckDB memory) before reading anything', async () => {
    await expect(run('hotline-2026-10.csv', { batchSize: MAX_BATCH_SIZE + 1 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(run('hotline-2026-10.csv', { batchSize: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('small batches, each written while the next is read, give the same counts, log and events as one batch', async () => {
    const other = await createTempWarehouse();
    try {
      for (const file of ['hotline-2026-10.csv', 'police-2026-10.xlsx']) {
        const facts = expected[file]!;
        const summary = await importFile(other.db, {
          source: facts.source,
          file: path.join(FIXTURES_DIR, file),
          rejectsFile: path.join(other.dir, `${file}.rejects${path.extname(file)}`),
          batchSize: 4,
          refreshRollups: false,
        });
        expect({ rowsRead: summary.rowsRead, rejected: summary.rejected, inserted: summary.inserted, resumedAfterRow: summary.resumedAfterRow }).toEqual({
          rowsRead: facts.rowsRead, rejected: facts.rejected, inserted: facts.inserted, resumedAfterRow: null,
        });
        expect(Object.fromEntries(summary.unmappedCategories)).toEqual(facts.unmapped ?? {});
        expect(summary.rejectReasons).toEqual(summaries[file]!.rejectReasons);
        const [stored] = await other.db.all<{ n: number; ids: number }>(
          `SELECT count(*)::INTEGER AS "n", count(DISTINCT "id")::INTEGER AS "ids" FROM "events" WHERE "source" = $source`, { source: facts.source },
        );
        expect(stored).toEqual({ n: facts.inserted, ids: facts.inserted });
      }
    } finally {
      other.cleanup();
    }
  });
});

describe('importFile with a worker thread reading and validating', () => {
  it.each(['hotline-2026-10.csv', 'petition-2026-10-gbk.csv', 'hotline-custom-headers.csv'])('%s: same counts, log, rejects file and stored events as on the importing thread', async (file) => {
    const facts = expected[file]!;
    const inline = await createTempWarehouse();
    const threaded = await createTempWarehouse();
    try {
      const runOn = (target: TempWarehouse, worker: boolean) =>
        importFile(target.db, {
          source: facts.source,
          file: path.join(FIXTURES_DIR, file),
          crs: facts.crs,
          mapping: facts.mapping ? readMappingFile(path.join(FIXTURES_DIR, facts.mapping)) : undefined,
          rejectsFile: path.join(target.dir, `rejects${path.extname(file)}`),
          // Small batches: several wait for their write, so the worker runs out of credits.
          batchSize: 5,
          refreshRollups: false,
          worker,
          // The same reading and checking, on this thread or the worker (not the SQL path, csv-sql.test.ts).
          sqlPath: false,
        });
      const expectedSummary = await runOn(inline, false);
      const summary = await runOn(threaded, true);
      const facts_ = (s: ImportSummary) => ({ ...s, ms: 0, rejectsFile: s.rejectsFile && path.basename(s.rejectsFile) });
      expect(facts_(summary)).toEqual(facts_(expectedSummary));
      expect(summary.rowsRead).toBe(facts.rowsRead);
      expect(summary.rejected).toBe(facts.rejected);
      if (summary.rejectsFile) expect(readFileSync(summary.rejectsFile)).toEqual(readFileSync(expectedSummary.rejectsFile!));
      const content = `SELECT * EXCLUDE ("ingested_at", "updated_at") FROM "events" ORDER BY "id"`;
      const log = `SELECT * EXCLUDE ("id", "started_at", "finished_at") FROM "import_runs"`;
      const history = `SELECT * EXCLUDE ("seen_at", "import_run_id") FROM "event_history" ORDER BY "event_id"`;
      for (const sql of [content, log, history]) expect(await threaded.db.all(sql)).toEqual(await inline.db.all(sql));
      expect((await threaded.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "events"`))[0]!.n).toBe(facts.inserted);
    } finally {
      inline.cleanup();
      threaded.cleanup();
    }
  });
});

describe('importMemoryLimitMb', () => {
  it('keeps XLSX imports at 64 MB and CSV at 128 MB for default batches, and grows with larger batches', () => {
    expect(importMemoryLimitMb('xlsx')).toBe(64);
    expect(importMemoryLimitMb('csv', 10_000)).toBe(256);
    expect(importMemoryLimitMb('csv', 10_000, 300 * 2 ** 20)).toBe(600);
    expect(importMemoryLimitMb('csv', 10_000, 5 * 2 ** 30)).toBe(2048);
    expect(importMemoryLimitMb('csv', MAX_BATCH_SIZE)).toBeGreaterThanOrEqual(384);
    expect(importMemoryLimitMb('xlsx', 50_000)).toBeGreaterThan(importMemoryLimitMb('xlsx', 10_000));
  });
});
