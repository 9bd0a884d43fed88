import { SOURCE_CATEGORY_MAP, type Source } from '@cityops/domain';
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChunkColumn, Database } from '../database.ts';
import type { CategoryMap, ImportField } from './fields.ts';
import { insideChengdu, UNIT_CODE } from './fast-row.ts';
import { toWgs84, type CrsName, type Placement, type ResolvedScope, type UnitLocator } from './locate.ts';
import { batchRowsSql, buildRowSql, LOOKUP_FIELDS, lookupOutputs, STAGING_INDEX, STAGING_TYPE } from './csv-sql-rows.ts';
import { STAGING_COLUMNS, type NormalizeResult, type StagedRow } from './normalize-row.ts';
import type { Sheet } from './readers.ts';
import { openRejectsWriter, type RejectsWriter } from './rejects-writer.ts';
import type { RawRow } from './row-schema.ts';
import { createRowChecker, duplicateProblem, RejectTally, type RowProblemAt, type ValidatedBatch, type ValidateRowsResult } from './validate-rows.ts';
import { formatWallClock, wallClockNow } from './values.ts';
import { maxEventId, stagedCsvLine, type RowsRelation } from './write-batch.ts';

/**
 * The SQL path of a CSV import. DuckDB reads the file (its parallel reader) and checks and
 * converts in SQL the rows whose every cell has the plain, common form (timestamps as
 * 'YYYY-MM-DD HH:MM:SS', no spaces around a cell, known labels, ...); JavaScript computes only
 * what DuckDB cannot do here: the H3 cells and the nearest grid of rows with coordinates (no
 * h3 extension offline), and the verdict on each distinct label and unit name, which it takes
 * from the row normalizer itself (normalize-row.ts) run on a template row. Every other row, and
 * every row the SQL does not accept outright, goes through that same normalizer, one by one,
 * as in the JavaScript path (validate-rows.ts): so a refused row is refused with the same
 * words, and a row accepted here is the row the normalizer would have staged
 * (csv-sql.test.ts imports files both ways and compares events, history, logs and rejects).
 *
 * Measured on the bench's 100,000-row hotline CSV (2 vCPUs, all threads): ~40 µs of CPU per
 * row and ~29,000 rows/s, against ~64 µs and ~22,000 rows/s for the JavaScript path. Files it
 * cannot read exactly as the JavaScript reader does (GB18030, blank lines, lone carriage
 * returns, rows of another width, malformed quotes) take the JavaScript path
 * (sqlCsvPathApplies, and a read_csv that fails).
 */

export interface SqlCsvImport {
  db: Database;
  source: Source;
  file: string;
  sheet: Sheet;
  fieldColumns: Partial<Record<ImportField, number>>;
  normalize: (raw: RawRow) => NormalizeResult;
  locator: UnitLocator;
  crs: CrsName;
  salt: string | undefined;
  categories: CategoryMap | undefined;
  rejectsFile: string;
  skipUpTo: number;
  unmappedCategories: Record<string, number>;
  batchSize: number;
  onStage?: ((stage: string, ms: number) => void) | undefined;
  /** Told what is being done before the batches (which report their own progress). */
  onPhase?: ((phase: string) => void) | undefined;
  /** Where the working tables go (attachImportSpace); the caller detaches it after the last batch is written. */
  space: ImportSpace;
}

interface Context extends SqlCsvImport {
  t: Tables;
}

/**
 * An in-memory database attached for one import, holding its working tables: unlike temp
 * tables (one connection's), the batch transactions (connections of their own) see them too.
 * Detaching it drops them all, also after a failure; a crash takes it with the process.
 */
export interface ImportSpace {
  name: string;
  close(): Promise<void>;
}

export async function attachImportSpace(db: Database): Promise<ImportSpace> {
  const name = `cityops_import_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await db.run(`ATTACH ':memory:' AS "${name}"`);
  return { name, close: () => db.run(`DETACH DATABASE IF EXISTS "${name}"`) };
}

/** The working tables, qualified by the import's space. */
function tablesOf(space: string) {
  const table = (name: string) => `"${space}"."${name}"`;
  return {
    raw: table('raw'), lookup: table('lookup'), combo: table('combo'), cand: table('cand'), points: table('points'), keep: table('keep'),
    js: table('js'), rids: table('rids'), stored: table('stored'),
  };
}
type Tables = ReturnType<typeof tablesOf>;

/**
 * Whether the file can take the SQL path: a UTF-8 CSV with a one-byte delimiter and none of
 * what DuckDB's reader reads differently from the JavaScript one: blank lines (DuckDB skips
 * them, the JavaScript reader refuses them as rows) and carriage returns not followed by a
 * line feed.
 */
export function sqlCsvPathApplies(sheet: Sheet, file: string): boolean {
  if (sheet.format !== 'csv' || sheet.encoding === 'gb18030' || sheet.delimiter === null || Buffer.byteLength(sheet.delimiter) !== 1) return false;
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(1 << 22);
    let previous = 0x0a; // a line end before the file: a leading blank line counts
    for (let position = 0; ; ) {
      const read = readSync(fd, chunk, 0, chunk.length, position);
      if (read === 0) return true;
      const bytes = chunk.subarray(0, read);
      if (previous === 0x0d && bytes[0] !== 0x0a) return false;
      if (previous === 0x0a && (bytes[0] === 0x0a || bytes[0] === 0x0d)) return false;
      if (bytes.indexOf('\n\n') !== -1 || bytes.indexOf('\n\r') !== -1 || bytes.indexOf('\r\r') !== -1) return false;
      for (let at = bytes.indexOf(0x0d); at !== -1 && at < read - 1; at = bytes.indexOf(0x0d, at + 1)) {
        if (bytes[at + 1] !== 0x0a) return false;
      }
      previous = bytes[read - 1]!;
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** The fields that name a row's unit, and their columns in import_combo. */
const UNIT_FIELDS = [['unitCode', 'u'], ['district', 'd'], ['street', 's'], ['community', 'm']] as const;

/** Rows into a new table of the import's space (their stagedCsvLine: strings quoted, NULL an empty field, so '' and NULL stay apart). */
async function loadTable(db: Database, table: string, columns: readonly (readonly [string, string])[], rows: Iterable<readonly StagedRow[number][]>): Promise<void> {
  let text = '';
  for (const row of rows) text += `${stagedCsvLine(row as StagedRow)}\n`;
  await loadCsvText(db, table, columns, text);
}

/** CSV lines (stagedCsvLine's form; unquoted fields where no value needs quotes) into a new table, through a temporary file. */
async function loadCsvText(db: Database, table: string, columns: readonly (readonly [string, string])[], text: string): Promise<void> {
  await db.run(`CREATE OR REPLACE TABLE ${table} (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`);
  if (text === '') return;
  const file = path.join(tmpdir(), `cityops-sqlimport-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  try {
    await db.run(
      `INSERT INTO ${table} SELECT * FROM read_csv($file, header = false, delim = ',', quote = '"', escape = '"', allow_quoted_nulls = false,
         auto_detect = false, columns = {${columns.map(([name, type]) => `'${name}': '${type}'`).join(', ')}})`,
      { file },
    );
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Imports the file the SQL way, handing its batches to `emit` in file order (as validateRows
 * does), or answers null without writing anything when DuckDB cannot read the file strictly or
 * too many of its rows need the normalizer (oneByOneLimit): the caller then takes the
 * JavaScript path.
 */
export async function importCsvInSql(input: SqlCsvImport, emit: (batch: ValidatedBatch) => Promise<void>): Promise<ValidateRowsResult | null> {
  const t = tablesOf(input.space.name);
  const options: Context = { ...input, t };
  const { db, sheet, fieldColumns } = options;
  let clock = performance.now();
  const lap = (name: string) => {
    if (!options.onStage) return;
    const now = performance.now();
    options.onStage(name, now - clock);
    clock = now;
  };
  const cell = (field: ImportField) => (fieldColumns[field] === undefined ? 'NULL::VARCHAR' : `r."c${fieldColumns[field]}"`);
  const has = (field: ImportField) => fieldColumns[field] !== undefined;
  // 1. The file, as text cells; rowid + 2 is the row number (the header is row 1).
  options.onPhase?.('读取文件');
  if (!(await readRaw(options, options.file))) {
    // DuckDB refuses bytes that are not UTF-8; the JavaScript reader reads them as U+FFFD and
    // refuses those rows. A copy decoded the same way (Node's UTF-8 decoder) reads as it does.
    const copy = sanitizedCopy(options.file);
    if (!copy) return null;
    try {
      if (!(await readRaw(options, copy))) return null;
    } finally {
      rmSync(copy, { force: true });
    }
  }
  lap('sql read');
  const rowCount = (await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM ${t.raw}`))[0]!.n;

  options.onPhase?.(`校验 ${rowCount.toLocaleString('zh-CN')} 行`);
  // 2. Labels, categories and other few-valued cells: the normalizer's verdict on each distinct value.
  const template = templateRow(options);
  const base = options.normalize(template.raw);
  if (!base.ok) throw new Error(`import: the template row is refused (${base.problems.map((p) => p.reason).join('; ')})`);
  const outputs = lookupOutputs(options.source);
  const outputNames = Object.keys(outputs);
  const lookupFields = LOOKUP_FIELDS.filter(has);
  const distinct = lookupFields.length === 0 ? [] : await db.all<{ f: string; v: string }>(
    lookupFields.map((field) => `SELECT DISTINCT '${field}' AS "f", ${cell(field)} AS "v" FROM ${t.raw} r WHERE ${cell(field)} IS NOT NULL`).join(' UNION ALL '),
  );
  await loadTable(
    db, t.lookup,
    [['f', 'VARCHAR'], ['v', 'VARCHAR'], ['ok', 'BOOLEAN'], ...outputNames.map((name) => [name, STAGING_TYPE.get(name)!] as const)],
    distinct.map(({ f, v }) => {
      const judged = options.normalize({ ...template.raw, [f]: v });
      return [f, v, judged.ok, ...outputNames.map((name) => (judged.ok ? judged.row[STAGING_INDEX.get(name)!]! : null))];
    }),
  );

  // 3. Unit codes and names: each distinct combination resolved by the locator; rows without
  // coordinates are placed at the unit's centroid here, once per combination.
  const combos = await db.all<{ u: string; d: string; s: string; m: string }>(
    `SELECT DISTINCT ${UNIT_FIELDS.map(([field, column]) => `coalesce(${cell(field)}, '') AS "${column}"`).join(', ')} FROM ${t.raw} r`,
  );
  // A unit code of the wrong shape is the normalizer's to refuse (null: its rows go there).
  const scopes = combos.map(({ u, d, s, m }) =>
    !u || UNIT_CODE.test(u) ? options.locator.scopeOf({ unitCode: u || undefined, district: d || undefined, street: s || undefined, community: m || undefined }) : null);
  await loadTable(
    db, t.combo,
    [['id', 'INTEGER'], ['u', 'VARCHAR'], ['d', 'VARCHAR'], ['s', 'VARCHAR'], ['m', 'VARCHAR'], ['unit_ok', 'BOOLEAN'], ['approx_ok', 'BOOLEAN'],
      ['lng', 'DOUBLE'], ['lat', 'DOUBLE'], ['grid_code', 'VARCHAR'], ['h3r8', 'VARCHAR'], ['h3r9', 'VARCHAR']],
    combos.map(({ u, d, s, m }, id) => {
      const unitOk = scopes[id]?.ok === true;
      const placed = unitOk ? options.locator.placeIn(scopes[id]!, undefined, undefined) : null;
      const at = placed?.ok && inChengdu(placed.placement) ? placed.placement : null;
      return [id, u, d, s, m, unitOk, at !== null, at?.lng ?? null, at?.lat ?? null, at?.gridCode ?? null, at?.h3r8 ?? null, at?.h3r9 ?? null];
    }),
  );
  lap('sql lookups');

  // 4. Every row checked in SQL: `ok` where the SQL vouches for the normalizer's answer (the
  // values themselves are converted when a batch is written: batchRowsSql). Then the rows with
  // coordinates are located in JavaScript (no h3 extension offline). Running both at once was
  // no faster on two cores: DuckDB's threads already take both.
  const rowSql = buildRowSql({
    cell, has, fieldColumns, lookupTable: t.lookup, outputs, base: base.row, future: formatWallClock(wallClockNow() + 86_400_000), salt: options.salt,
  });
  const comboKey = UNIT_FIELDS.map(([field, column]) => `cb."${column}" = coalesce(${cell(field)}, '')`).join(' AND ');
  await db.run(`CREATE OR REPLACE TABLE ${t.cand} AS
    SELECT r.rowid::INTEGER AS "rid", cb."id" AS "combo", ${cell('lng')} IS NOT NULL AND ${cell('lat')} IS NOT NULL AS "has_point",
      TRY_CAST(${cell('lng')} AS DOUBLE) AS "lng", TRY_CAST(${cell('lat')} AS DOUBLE) AS "lat",
      coalesce(${rowSql.ok} AND cb."unit_ok", false) AS "ok", ${rowSql.values['external_id']} AS "external_id", ${rowSql.values['received_at']} AS "received_at",
      ${rowSql.looked.map((name) => `${rowSql.values[name]} AS "${name}"`).join(', ')}
    FROM ${t.raw} r ${rowSql.joins} LEFT JOIN ${t.combo} cb ON ${comboKey}`);
  lap('sql check');
  options.onPhase?.('定位（网格、H3）');
  await locatePoints(options, scopes);
  lap('sql locate');

  // 5. Every other row through the normalizer, one by one: those the SQL did not vouch for,
  // and those the locator could not place.
  const toJs = (await db.all<{ rid: number }>(
    `SELECT c."rid" FROM ${t.cand} c LEFT JOIN ${t.points} p ON p."rid" = c."rid" LEFT JOIN ${t.combo} cb ON cb."id" = c."combo"
     WHERE NOT c."ok" OR (c."has_point" AND p."rid" IS NULL) OR (NOT c."has_point" AND NOT cb."approx_ok")`,
  )).map((row) => row.rid);
  toJs.sort((a, b) => a - b);
  // Those rows are held in memory here (the JavaScript path streams them): a file whose rows
  // are mostly of another form (dates with slashes, say) takes that path instead.
  if (toJs.length > oneByOneLimit(rowCount)) return null;
  const refused = await judgeInJs(options, toJs);
  lap('sql rows in js');

  // 6. The accepted rows (their row, id, time and looked-up values; from SQL or from the
  // normalizer) without the repeats of an id within the file, ranked in file order (the new
  // cases' ids follow the rank).
  const accepted = `(SELECT c."rid", (c."rid" + 2)::INTEGER AS "row_no", c."combo", c."has_point", c."external_id", c."received_at", false AS "js",
      ${rowSql.looked.map((name) => `c."${name}"`).join(', ')}
    FROM ${t.cand} c LEFT JOIN ${t.points} p ON p."rid" = c."rid" LEFT JOIN ${t.combo} cb ON cb."id" = c."combo"
    WHERE c."ok" AND (CASE WHEN c."has_point" THEN p."rid" IS NOT NULL ELSE cb."approx_ok" END)
    UNION ALL SELECT "row_no" - 2, "row_no", NULL, NULL, "external_id", "received_at", true, ${rowSql.looked.map(() => 'NULL').join(', ')} FROM ${t.js})`;
  const duplicates = await db.all<{ rowNo: number; first: number }>(
    `WITH a AS (SELECT "row_no", "external_id" FROM ${accepted})
     SELECT a."row_no" AS "rowNo", d."first" FROM a
     JOIN (SELECT "external_id", min("row_no") AS "first" FROM a GROUP BY 1 HAVING count(*) > 1) d ON d."external_id" = a."external_id"
     WHERE a."row_no" > d."first" ORDER BY 1`,
  );
  if (duplicates.length > oneByOneLimit(rowCount)) return null;
  if (duplicates.length > 0) {
    const idColumn = sheet.headers[fieldColumns.externalId!] ?? 'externalId';
    const cells = await rawCells(options, duplicates.map((d) => d.rowNo - 2));
    for (const [i, duplicate] of duplicates.entries()) {
      refused.push({ rowNumber: duplicate.rowNo, cells: cells[i]!, problems: [duplicateProblem(idColumn, duplicate.first)], unmappedName: undefined });
    }
    refused.sort((a, b) => a.rowNumber - b.rowNumber);
  }
  await db.run(`CREATE OR REPLACE TABLE ${t.keep} AS SELECT *, row_number() OVER (ORDER BY "row_no")::INTEGER AS "rank" FROM ${accepted}
    WHERE "row_no" NOT IN (SELECT "rowNo" FROM (VALUES (0)${duplicates.map((d) => `, (${d.rowNo})`).join('')}) v("rowNo"))`);
  lap('sql valid');

  // 7. The rejects file (the input's format), then the batches in file order.
  const tally = new RejectTally();
  let writer: RejectsWriter | null = null;
  try {
    for (const row of refused) {
      writer ??= await openRejectsWriter(options.rejectsFile, sheet.headers, sheet);
      await tally.record(writer, row.cells, row.rowNumber, row.problems);
    }
    await writer?.close();
    writer = null;
  } finally {
    await writer?.close().catch(() => undefined);
  }
  lap('sql rejects');
  await emitBatches(options, rowCount, refused, batchRowsSql(t, rowSql, cell), emit);
  return { rowsSeen: rowCount, rowsNormalized: toJs.length, rejectReasons: tally.reasons() };
}

/**
 * The most rows the SQL path hands to the normalizer (or holds as repeated ids) before it gives
 * the file up to the JavaScript path, which streams: their cells are held in memory.
 */
export function oneByOneLimit(rowCount: number): number {
  return Math.max(20_000, Math.floor(rowCount / 10));
}

/** Reads the CSV into the raw table; false if DuckDB's strict reader refuses it. */
async function readRaw(options: Context, file: string): Promise<boolean> {
  const columns = options.sheet.headers.map((_, index) => `'c${index}': 'VARCHAR'`).join(', ');
  try {
    await options.db.run(
      `CREATE OR REPLACE TABLE ${options.t.raw} AS SELECT * FROM read_csv($file, header = true, delim = $delim, quote = '"', escape = '"',
         all_varchar = true, auto_detect = false, strict_mode = true, null_padding = false, columns = {${columns}})`,
      { file, delim: options.sheet.delimiter! },
    );
    return true;
  } catch {
    return false;
  }
}

/** Up to this size a file that is not valid UTF-8 is copied with U+FFFD for its bad bytes (it is held in memory to do so). */
const SANITIZE_MAX_BYTES = 256 << 20;

/** A temporary copy of a file that is not valid UTF-8, bad bytes as U+FFFD; null if it is valid (another reason) or too large. */
function sanitizedCopy(file: string): string | null {
  if (statSync(file).size > SANITIZE_MAX_BYTES) return null;
  const bytes = readFileSync(file);
  if (isUtf8(bytes)) return null;
  const copy = path.join(tmpdir(), `cityops-sqlimport-${process.pid}-${Date.now()}-utf8.csv`);
  writeFileSync(copy, bytes.toString('utf8'));
  return copy;
}

/** A row the normalizer accepts with no optional field: what a missing cell becomes. */
function templateRow(options: Context): { raw: RawRow } {
  const categories = { ...SOURCE_CATEGORY_MAP[options.source], ...options.categories };
  const grid = options.locator.anyGridCode();
  return { raw: { externalId: 'x', receivedAt: '2020-01-01 00:00:00', category: Object.keys(categories)[0]!, unitCode: grid } };
}

function inChengdu(at: Placement): boolean {
  return insideChengdu(at.lng, at.lat);
}

/**
 * Places the accepted rows with coordinates (import_points: nearest grid, H3 cells). A row the
 * locator refuses gets no point: it then goes to the normalizer.
 */
async function locatePoints(options: Context, scopes: readonly (ResolvedScope | null)[]): Promise<void> {
  const { db, locator, crs, t } = options;
  // WGS-84 points keep their own coordinates (converted from the cells when written); others
  // travel back converted. Doubles go as JavaScript's shortest round-trip text.
  const converted = crs !== 'wgs84';
  let located = '';
  // Typed vectors chunk by chunk (its own connection: the table is committed), no row objects.
  await db.streamChunks(`SELECT "rid", "combo", "lng", "lat" FROM ${t.cand} WHERE "ok" AND "has_point"`, (columns, rows) => {
    const [rids, combos, lngs, lats] = columns as [ChunkColumn, ChunkColumn, ChunkColumn, ChunkColumn];
    for (let i = 0; i < rows; i += 1) {
      const [lng, lat] = toWgs84(lngs.getItem(i) as number, lats.getItem(i) as number, crs);
      const placed = locator.placeIn(scopes[combos.getItem(i) as number]!, lng, lat, false);
      if (!placed.ok || !inChengdu(placed.placement)) continue;
      const at = placed.placement;
      located += converted
        ? `${rids.getItem(i) as number},${at.lng},${at.lat},${at.gridCode},${at.h3r8},${at.h3r9}\n`
        : `${rids.getItem(i) as number},,,${at.gridCode},${at.h3r8},${at.h3r9}\n`;
    }
  });
  await loadCsvText(db, t.points, [['rid', 'INTEGER'], ['lng', 'DOUBLE'], ['lat', 'DOUBLE'], ['grid_code', 'VARCHAR'], ['h3r8', 'VARCHAR'], ['h3r9', 'VARCHAR']], located);
}

interface RefusedRow {
  rowNumber: number;
  cells: string[];
  problems: RowProblemAt[];
  unmappedName: string | undefined;
}

/** The text cells of rows (by rowid) as the JavaScript reader gives them (a missing cell is ''). */
async function rawCells(options: Context, rids: readonly number[]): Promise<string[][]> {
  const { t } = options;
  if (rids.length === 0) return [];
  await loadTable(options.db, options.t.rids, [['rid', 'BIGINT']], rids.map((rid) => [rid]));
  const width = options.sheet.headers.length;
  const rows = await options.db.all<Record<string, string | null>>(
    `SELECT r.* FROM ${t.raw} r JOIN ${t.rids} i ON i."rid" = r.rowid ORDER BY r.rowid`,
  );
  return rows.map((row) => Array.from({ length: width }, (_, index) => row[`c${index}`] ?? ''));
}

/** The rows (rowids, ascending) through the normalizer: accepted ones into import_js, refused ones returned. */
async function judgeInJs(options: Context, rids: readonly number[]): Promise<RefusedRow[]> {
  const check = createRowChecker(options.sheet.headers, options.fieldColumns, options.normalize);
  const accepted: StagedRow[] = [];
  const refused: RefusedRow[] = [];
  const cells = await rawCells(options, rids);
  for (const [i, rid] of rids.entries()) {
    const verdict = check(cells[i]!);
    if (verdict.ok) {
      const row = [...verdict.row.row];
      row[0] = rid + 2;
      accepted.push(row);
    } else {
      refused.push({ rowNumber: rid + 2, cells: cells[i]!, problems: verdict.problems, unmappedName: verdict.unmappedName });
    }
  }
  await loadTable(options.db, options.t.js, STAGING_COLUMNS.map(([name, , type]) => [name, type] as const), accepted);
  return refused;
}

/**
 * The batches of the file, as validateRows cuts them: `batchSize` rows read each (valid and
 * refused), from the row after the last one an interrupted run committed.
 */
async function emitBatches(options: Context, rowCount: number, refused: readonly RefusedRow[], rowsSql: string, emit: (batch: ValidatedBatch) => Promise<void>): Promise<void> {
  const { t, batchSize, db } = options;
  const lastRow = rowCount + 1;
  const start = Math.max(options.skipUpTo, 1);
  const stats = new Map(
    (await db.all<{ b: number; n: number; from: string; to: string; base: number }>(
      `SELECT (("row_no" - $start - 1) // $size)::INTEGER AS "b", count(*)::INTEGER AS "n", min("received_at") AS "from", max("received_at") AS "to",
         (min("rank") - 1)::INTEGER AS "base"
       FROM ${t.keep} WHERE "row_no" > $start GROUP BY 1`,
      { start, size: batchSize },
    )).map((row) => [row.b, row]),
  );
  // The file's ids already stored, looked up once. A batch then checks those, and the events
  // added since only if someone else added any (ids only grow, and this import's own batches
  // have ids of their own): looking each batch's ids up among all the source's events cost
  // ~4.5 µs a row at 1 M rows, as the table grew with the import.
  const maxIdBefore = await maxEventId(db);
  await db.run(
    `CREATE OR REPLACE TABLE ${t.stored} AS SELECT DISTINCT kp."external_id" FROM ${t.keep} kp SEMI JOIN "events" e ON e."source" = $source AND e."external_id" = kp."external_id"`,
    { source: options.source },
  );
  let queued = 0n;
  const inBatch = `SELECT "external_id" FROM ${t.keep} WHERE "row_no" > $lo AND "row_no" <= $hi`;
  /** `before`: rows of the earlier batches; all inserted (with the ids after maxIdBefore) unless one of them matched. */
  const matchIn = (lo: number, hi: number, before: bigint) => async (tx: Database): Promise<number> => {
    const stored = (await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM (${inBatch}) k SEMI JOIN ${t.stored} s ON s."external_id" = k."external_id"`, { lo, hi }))[0]!.n;
    if (stored > 0 || (await maxEventId(tx)) === maxIdBefore + before) return stored;
    return (await tx.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS "n" FROM "events" WHERE "id" > ${maxIdBefore} AND "source" = $source AND "external_id" IN (${inBatch})`,
      { lo, hi, source: options.source },
    ))[0]!.n;
  };
  const unmapped = { ...options.unmappedCategories };
  let next = refused.findIndex((row) => row.rowNumber > start);
  if (next === -1) next = refused.length;
  for (let b = 0, lo = start; lo < lastRow; b += 1, lo += batchSize) {
    const hi = Math.min(lo + batchSize, lastRow);
    let rejected = 0;
    for (; next < refused.length && refused[next]!.rowNumber <= hi; next += 1) {
      rejected += 1;
      const name = refused[next]!.unmappedName;
      if (name !== undefined) unmapped[name] = (unmapped[name] ?? 0) + 1;
    }
    const stat = stats.get(b);
    const rows: RowsRelation = {
      sql: rowsSql,
      params: { lo, hi, base: stat?.base ?? 0 },
      length: stat?.n ?? 0,
      match: matchIn(lo, hi, queued),
    };
    queued += BigInt(rows.length);
    await emit({
      rows, rowsRead: hi - lo, rejected, lastRow: hi, receivedFrom: stat?.from ?? null, receivedTo: stat?.to ?? null,
      unmappedCategories: { ...unmapped }, bytesRead: Math.round((options.sheet.totalBytes * (hi - 1)) / rowCount), rowsSeen: hi - 1,
    });
  }
}
