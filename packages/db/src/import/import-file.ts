import { DomainError, SOURCES, type Source } from '@cityops/domain';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Database } from '../database.ts';
import { refreshRollups, type RefreshResult } from '../rollups.ts';
import { resolveColumnMapping, type ImportField, type MappingFile } from './fields.ts';
import { attachImportSpace, importCsvInSql, sqlCsvPathApplies, type ImportSpace } from './csv-sql.ts';
import { deferCheckpoints } from './deferred-checkpoint.ts';
import { createImportRun, findCompletedRun, findResumableRun, finishImportRun, getImportRun, type ImportRun } from './import-log.ts';
import { UnitLocator, type CrsName } from './locate.ts';
import { createRowNormalizer } from './normalize-row.ts';
import { openSheet, type CsvEncoding } from './readers.ts';
import { validateRows, type ValidatedBatch, type ValidateRowsResult } from './validate-rows.ts';
import { validateInWorker } from './validate-in-worker.ts';
import { importClockFloor, prepareStaging, writeImportBatch } from './write-batch.ts';

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  /** What the import is doing (Chinese, for the progress line): the SQL path checks the whole file before it writes. */
  phase?: string;
}

export interface ImportFileOptions {
  source: Source;
  file: string;
  mapping?: MappingFile | undefined;
  crs?: CrsName | undefined;
  encoding?: CsvEncoding | 'gbk' | undefined;
  /** Salt of the reporter hash; defaults to the demo salt (pii-hash.ts). */
  salt?: string | undefined;
  /** Where refused rows go; default `<name>.rejects.<ext>` next to the input. */
  rejectsFile?: string | undefined;
  /** Rows per transaction. Larger is faster; smaller loses less work to a crash. */
  batchSize?: number | undefined;
  /** Refresh the rollups at the end (default true). */
  refreshRollups?: boolean | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Called after each committed batch (tests use it to know when to kill a run). */
  onBatchCommitted?: ((lastRow: number) => void) | undefined;
  /**
   * Diagnostics (the benchmark's per-stage breakdown): wall milliseconds spent per stage, called
   * many times per stage ('read' = CSV/XLSX parsing, 'validate', 'encode', 'wait' = waiting for
   * the previous batch's write, 'db <statement>' = the batch transaction's parts, which overlap
   * the reading of the next batch; 'prepare' = everything before the first row, 'last write' =
   * waiting for the last batch, 'checkpoint' = the final CHECKPOINT). Costs a clock read per
   * row and stage when set.
   */
  onStage?: ((stage: string, ms: number) => void) | undefined;
  /**
   * Read and validate in a worker thread while this thread writes the batches (default false).
   * Measured on the 2-core build machine shared with other jobs (100 k-row CSV, load ~5): slower,
   * 145–178 µs CPU per row against 115–150 inline and fewer rows/s, as the worker, DuckDB's two
   * threads and the other jobs fight over two cores and the worker's heap and module set come
   * on top. Meant for machines with cores to spare. CSV only: XLSX is always read on this thread
   * (a second heap would eat into its memory target).
   */
  worker?: boolean | undefined;
  /**
   * Check and convert the rows of a UTF-8 CSV in DuckDB (csv-sql.ts; default true): measured
   * 40 µs of CPU per row and 1.3× the rows/s of reading and checking each row in JavaScript
   * (64 µs). Files it cannot read exactly as the JavaScript reader does take the JavaScript
   * path whatever this says; false forces it.
   */
  sqlPath?: boolean | undefined;
}

export interface ImportSummary {
  runId: number;
  /** Set when this call resumed an interrupted run: rows up to here were committed before. */
  resumedAfterRow: number | null;
  /** A completed earlier import of the same file, if any (re-importing it changes nothing). */
  previousRunId: number | null;
  format: 'csv' | 'xlsx';
  /** How the rows were checked and converted: in DuckDB (csv-sql.ts) or row by row in JavaScript. */
  engine: 'sql' | 'js';
  /** Rows checked one by one by the row normalizer in JavaScript: every row on the 'js' engine, the unusual ones on 'sql'. */
  rowsNormalizedInJs: number;
  encoding: CsvEncoding | null;
  rowsRead: number;
  /** New cases plus rows identical to (or older than) what is stored: accepted, nothing to change. */
  accepted: number;
  inserted: number;
  unchanged: number;
  stale: number;
  updated: number;
  rejected: number;
  unmappedCategories: [name: string, rows: number][];
  rejectReasons: [reason: string, rows: number][];
  ignoredHeaders: string[];
  rejectsFile: string | null;
  rollups: RefreshResult | null;
  ms: number;
}

export const DEFAULT_BATCH_SIZE = 10_000;
/**
 * The largest batch an import takes. A batch's temp tables and the transaction's uncommitted
 * rows are held by DuckDB until the commit: measured ~12 KB per row at the peak of a 10,000-row
 * batch (118 MB), and a 100,000-row batch needed more than 128 MB (it failed) but ran in 384 MB.
 */
export const MAX_BATCH_SIZE = 100_000;

/**
 * DuckDB's memory_limit for an import process, in MB. An import needs little of the buffer
 * pool (the default is 80 % of RAM, which a long import would fill with cached blocks), but a
 * batch must fit: 4 KB per row of the batch, at least 64 MB for XLSX, whose reader (exceljs)
 * needs the room and whose target is a whole process under 500 MB (a 1 M-row XLSX peaked at
 * 548 MB with 128 MB, batches of 10,000 spill to disk below the limit). A CSV may take the SQL
 * path (csv-sql.ts), which holds the file's text and its working tables in DuckDB: at least
 * 256 MB, and twice the file up to 2 GB (beyond, they spill to disk). Measured on the 100,000-row
 * bench file (27 MB): 27.0 k rows/s with 128 MB, 29.6 k with 256, 30.2 k with 512.
 */
export function importMemoryLimitMb(format: 'csv' | 'xlsx', batchSize: number = DEFAULT_BATCH_SIZE, fileBytes = 0): number {
  const batch = Math.ceil((batchSize * 4) / 1024);
  if (format === 'xlsx') return Math.max(64, batch);
  return Math.max(256, batch, Math.min(2048, Math.ceil((2 * fileBytes) / 2 ** 20)));
}

export function defaultRejectsPath(file: string): string {
  const ext = path.extname(file);
  return path.join(path.dirname(file), `${path.basename(file, ext)}.rejects${ext.toLowerCase() === '.xlsx' ? '.xlsx' : ext || '.csv'}`);
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function assertImportSchema(db: Database): Promise<void> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'import_runs' AND schema_name = 'main'`);
  if (!rows[0]?.n) {
    throw new DomainError('SCHEMA_MISMATCH', `数据库 ${db.path} 尚未升级到含导入日志的版本（迁移 3）；请用最新版 CityOps 打开一次 / database lacks the import tables (migration 3)`);
  }
}

/**
 * Imports one department export. Rows are validated one by one; valid rows are written in
 * batches, each batch in one transaction together with the import log, so a crash loses at
 * most the batch in flight and the same call resumes after the last committed row. Refused
 * rows go to a rejects file in the input's format. Idempotent on (source, external_id).
 */
export async function importFile(db: Database, options: ImportFileOptions): Promise<ImportSummary> {
  const started = performance.now();
  if (!SOURCES.includes(options.source)) throw new DomainError('BAD_INPUT', `未知来源 ${String(options.source)}（可选: ${SOURCES.join(', ')}）`);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new DomainError('BAD_INPUT', `每批行数应为 1–${MAX_BATCH_SIZE} 的整数，收到 ${batchSize} / batch size must be 1–${MAX_BATCH_SIZE}`);
  }
  if (!existsSync(options.file)) throw new DomainError('NOT_FOUND', `找不到文件 / file not found: ${options.file}`);
  await assertImportSchema(db);
  const fileHash = await hashFile(options.file);
  const optionsHash = createHash('sha256').update(JSON.stringify([options.mapping ?? null, options.crs ?? 'wgs84', options.encoding ?? null])).digest('hex');
  // Read first: a database without grids is refused before anything else (loadRows says so).
  const units = await UnitLocator.loadRows(db);
  const sheet = await openSheet(options.file, { encoding: options.encoding });
  const mapping = resolveColumnMapping(options.source, sheet.headers, options.mapping);
  if (mapping.missingRequired.length > 0) {
    throw new DomainError(
      'BAD_INPUT',
      `缺少必需的列 / missing required columns: ${mapping.missingRequired.join(', ')}。表头为: ${sheet.headers.join(', ')}；可用 --mapping 指定映射文件`,
      { missing: mapping.missingRequired },
    );
  }
  const locationFields: ImportField[] = ['district', 'street', 'community', 'unitCode', 'lng'];
  if (!locationFields.some((field) => mapping.fieldColumns[field] !== undefined)) {
    throw new DomainError('BAD_INPUT', '缺少位置列：需要经度/纬度，或所属区县/街道/社区，或区划代码 / no location columns');
  }

  const key = { source: options.source, fileHash, optionsHash };
  const previous = await findCompletedRun(db, key);
  const resumable = await findResumableRun(db, key);
  const runId = resumable?.id ?? (await createImportRun(db, { kind: 'file', source: options.source, fileName: path.basename(options.file), fileHash, optionsHash }));
  const skipUpTo = resumable?.lastRow ?? 0;

  const rejectsFile = options.rejectsFile ?? defaultRejectsPath(options.file);
  rmSync(rejectsFile, { force: true });

  await prepareStaging(db);
  const clockFloor = await importClockFloor(db);

  // One batch is written (by DuckDB's threads) while the next ones are read and validated:
  // the import waited for every write with nothing to do. At most one write is in flight and
  // batches commit in file order, so a crash still leaves whole batches, the log's last_row
  // saying exactly how far.
  let writing: Promise<void> | null = null;
  let writeFailed: { error: unknown } | null = null;
  const settle = async () => {
    if (writing) await writing;
    writing = null;
    if (writeFailed) throw writeFailed.error;
  };
  const onStage = options.onStage;
  /** Starts writing a validated batch once the previous write is done (returns then, not when this one is). */
  const write = async (batch: ValidatedBatch) => {
    const waitStarted = onStage ? performance.now() : 0;
    await settle();
    onStage?.('wait', performance.now() - waitStarted);
    const tally = {
      rowsRead: batch.rowsRead, rejected: batch.rejected, lastRow: batch.lastRow, receivedFrom: batch.receivedFrom, receivedTo: batch.receivedTo,
      unmappedCategories: batch.unmappedCategories,
    };
    writing = writeImportBatch(db, {
      runId, source: options.source, origin: 'import', rows: batch.rows, clockFloor, tally,
      onStage: onStage && ((name, ms) => onStage(`db ${name}`, ms)),
    }).then(
      () => options.onBatchCommitted?.(batch.lastRow),
      (error: unknown) => {
        writeFailed = { error };
      },
    );
    options.onProgress?.({ bytesRead: batch.bytesRead, totalBytes: sheet.totalBytes, rowsRead: batch.rowsSeen });
  };

  // Batches commit to the WAL only; one CHECKPOINT after the last (deferred-checkpoint.ts).
  const checkpoints = await deferCheckpoints(db);
  const locator = UnitLocator.fromRows(units);
  let space: ImportSpace | null = null;
  options.onStage?.('prepare', performance.now() - started);
  try {
    const validation = {
      fieldColumns: mapping.fieldColumns, rejectsFile, skipUpTo, unmappedCategories: resumable?.unmappedCategories ?? {}, batchSize,
    };
    let validated: ValidateRowsResult | null = null;
    let engine: ImportSummary['engine'] = 'js';
    const normalize = createRowNormalizer({ source: options.source, locator, crs: options.crs, salt: options.salt, categories: options.mapping?.categories });
    if (!options.worker && options.sqlPath !== false && sqlCsvPathApplies(sheet, options.file)) {
      space = await attachImportSpace(db);
      validated = await importCsvInSql(
        {
          db, source: options.source, file: options.file, sheet, fieldColumns: mapping.fieldColumns, normalize, locator, crs: options.crs ?? 'wgs84', salt: options.salt,
          categories: options.mapping?.categories, rejectsFile, skipUpTo, unmappedCategories: resumable?.unmappedCategories ?? {}, batchSize, onStage, space,
          onPhase: (phase) => options.onProgress?.({ bytesRead: 0, totalBytes: sheet.totalBytes, rowsRead: 0, phase }),
        },
        write,
      );
      if (validated) {
        engine = 'sql';
        await sheet.close();
      } else {
        // Given up to the JavaScript path: its working tables go now, not after the import.
        await space.close();
        space = null;
      }
    }
    if (!validated && options.worker && sheet.format === 'csv') {
      await sheet.close();
      validated = await validateInWorker(
        {
          ...validation, file: options.file, encoding: options.encoding, source: options.source, crs: options.crs, salt: options.salt,
          categories: options.mapping?.categories, units, stages: onStage !== undefined,
        },
        write,
        onStage,
      );
    }
    validated ??= await validateRows({ ...validation, sheet, normalize, onStage }, write);
    const drainStarted = performance.now();
    await settle();
    await space?.close();
    space = null;
    const checkpointStarted = performance.now();
    onStage?.('last write', checkpointStarted - drainStarted);
    await checkpoints.end({ checkpoint: true });
    onStage?.('checkpoint', performance.now() - checkpointStarted);
    options.onProgress?.({ bytesRead: sheet.totalBytes, totalBytes: sheet.totalBytes, rowsRead: validated.rowsSeen });
    const rollups = options.refreshRollups === false ? null : await refreshRollups(db);
    await finishImportRun(db, runId, 'completed');
    const run = (await getImportRun(db, runId))!;
    assertTotals(run);
    return {
      runId,
      resumedAfterRow: resumable ? skipUpTo : null,
      previousRunId: previous?.id ?? null,
      format: sheet.format,
      engine,
      rowsNormalizedInJs: validated.rowsNormalized,
      encoding: sheet.encoding,
      rowsRead: run.rowsRead,
      accepted: run.inserted + run.unchanged + run.stale,
      inserted: run.inserted,
      unchanged: run.unchanged,
      stale: run.stale,
      updated: run.updated,
      rejected: run.rejected,
      unmappedCategories: Object.entries(run.unmappedCategories).sort((a, b) => b[1] - a[1]),
      rejectReasons: validated.rejectReasons,
      ignoredHeaders: mapping.ignoredHeaders,
      rejectsFile: run.rejected > 0 || existsSync(rejectsFile) ? rejectsFile : null,
      rollups,
      ms: performance.now() - started,
    };
  } catch (error) {
    // A failed read or row must not leave a batch write running on its own.
    await (writing as Promise<void> | null); // never rejects: failures land in writeFailed
    await (space as ImportSpace | null)?.close().catch(() => undefined);
    // The threshold comes back also on failure; the error that matters is the import's own.
    await checkpoints.end({ checkpoint: false }).catch(() => undefined);
    await finishImportRun(db, runId, 'failed', (error as Error).message?.slice(0, 500) ?? String(error)).catch(() => undefined);
    throw error;
  }
}

/** The invariant the command prints: accepted + updated + rejected = rows read. */
function assertTotals(run: ImportRun): void {
  const sum = run.inserted + run.unchanged + run.stale + run.updated + run.rejected;
  if (sum !== run.rowsRead) {
    throw new DomainError('INTERNAL', `导入计数不一致: ${sum} ≠ ${run.rowsRead}（run ${run.id}）`);
  }
}
