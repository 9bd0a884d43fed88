import type { ImportField } from './fields.ts';
import { FirstSeenIndex } from './first-seen-index.ts';
import type { NormalizeResult } from './normalize-row.ts';
import type { Sheet } from './readers.ts';
import { openRejectsWriter, type RejectsWriter } from './rejects-writer.ts';
import type { RawRow } from './row-schema.ts';
import { StagedCsvBatch, type RowsRelation } from './write-batch.ts';

/**
 * The read-and-validate half of a file import: rows of a sheet in, batches of staged rows
 * out (in file order), refused rows written to the rejects file. It runs on the importing
 * thread (XLSX, small files) or in a worker thread (validate-worker.ts) while the importing
 * thread writes the previous batches; both run exactly this code.
 */
export interface ValidatedBatch {
  /** The valid rows: encoded here, or (the SQL path, csv-sql.ts) a relation over its working tables. */
  rows: StagedCsvBatch | RowsRelation;
  /** Rows of the file this batch covers (valid + refused). */
  rowsRead: number;
  rejected: number;
  /** Last row number of the batch: the import log's resume point once the batch commits. */
  lastRow: number;
  receivedFrom: string | null;
  receivedTo: string | null;
  /** The run's unmapped category names so far (a copy), for the log. */
  unmappedCategories: Record<string, number>;
  /** Of the file, for progress. */
  bytesRead: number;
  rowsSeen: number;
}

export interface ValidateRowsOptions {
  sheet: Sheet;
  normalize: (raw: RawRow) => NormalizeResult;
  fieldColumns: Partial<Record<ImportField, number>>;
  rejectsFile: string;
  /** Rows up to here were committed by an interrupted run: re-validated (rejects, duplicates), not emitted. */
  skipUpTo: number;
  /** Unmapped category counts of the interrupted run, if resuming. */
  unmappedCategories: Record<string, number>;
  batchSize: number;
  onStage?: ((stage: string, ms: number) => void) | undefined;
}

export interface ValidateRowsResult {
  rowsSeen: number;
  /** Rows that went through the normalizer one by one (all of them here; the SQL path's leftovers there). */
  rowsNormalized: number;
  rejectReasons: [reason: string, rows: number][];
}

/**
 * Reads every row, emitting a batch each `batchSize` rows (and the rest at the end). `emit` is
 * awaited: it is the back-pressure (the caller returns once it can take the next batch).
 */
export async function validateRows(options: ValidateRowsOptions, emit: (batch: ValidatedBatch) => Promise<void>): Promise<ValidateRowsResult> {
  const { sheet, normalize, skipUpTo, batchSize } = options;
  const headerOf = (field: ImportField) => sheet.headers[options.fieldColumns[field]!] ?? field;
  const checkRow = createRowChecker(sheet.headers, options.fieldColumns, normalize);
  const unmapped: Record<string, number> = { ...options.unmappedCategories };
  const rejected = new RejectTally();
  const seen = new FirstSeenIndex();
  let rejects: RejectsWriter | null = null;
  let batch = new StagedCsvBatch();
  let batchRead = 0;
  let batchRejected = 0;
  let batchFrom: string | null = null;
  let batchTo: string | null = null;
  let rowsSeen = 0;
  let lastRow = skipUpTo;

  const flush = async () => {
    if (batchRead === 0) return;
    const done: ValidatedBatch = {
      rows: batch, rowsRead: batchRead, rejected: batchRejected, lastRow, receivedFrom: batchFrom, receivedTo: batchTo,
      // A copy: rows of the next batch are counted while this one is being written.
      unmappedCategories: { ...unmapped },
      bytesRead: sheet.bytesRead(), rowsSeen,
    };
    batch = new StagedCsvBatch();
    batchRead = 0;
    batchRejected = 0;
    batchFrom = null;
    batchTo = null;
    await emit(done);
  };

  const onStage = options.onStage;
  let clock = 0;
  const lap = onStage
    ? (name: string) => {
        const now = performance.now();
        onStage(name, now - clock);
        clock = now;
      }
    : undefined;
  try {
    for await (const { rowNumber, cells } of lap ? timedRows(sheet.rows, (ms) => onStage!('read', ms)) : sheet.rows) {
      if (lap) clock = performance.now();
      rowsSeen += 1;
      const replay = rowNumber <= skipUpTo;
      let problems: RowProblemAt[] = [];
      let unmappedName: string | undefined;
      let staged: { row: NormalizeResult & { ok: true } } | undefined;
      const verdict = checkRow(cells);
      if (verdict.ok) {
        // The index copies the id's bytes: exceljs' cell strings can be slices of a whole XML
        // chunk, and keeping them would keep every chunk alive (memory ∝ file size).
        const first = seen.firstOrAdd(verdict.row.externalId, rowNumber);
        if (first !== undefined) problems = [duplicateProblem(headerOf('externalId'), first)];
        else staged = { row: verdict.row };
      } else {
        problems = verdict.problems;
        unmappedName = verdict.unmappedName;
      }
      if (problems.length > 0) {
        rejects ??= await openRejectsWriter(options.rejectsFile, sheet.headers, sheet);
        await rejected.record(rejects, cells, rowNumber, problems);
      }
      lap?.('validate');
      // Rows of batches committed by an interrupted run are only re-validated (for the
      // rejects file and the duplicate check), never written or counted again.
      if (replay) continue;
      lastRow = rowNumber;
      batchRead += 1;
      if (staged) {
        const { row, receivedAt } = staged.row;
        batch.add(row);
        lap?.('encode');
        if (batchFrom === null || receivedAt < batchFrom) batchFrom = receivedAt;
        if (batchTo === null || receivedAt > batchTo) batchTo = receivedAt;
      } else {
        batchRejected += 1;
        if (unmappedName !== undefined) unmapped[unmappedName] = (unmapped[unmappedName] ?? 0) + 1;
      }
      if (batchRead >= batchSize) await flush();
    }
    await flush();
    await rejects?.close();
    rejects = null;
  } finally {
    await rejects?.close().catch(() => undefined);
  }
  return { rowsSeen, rowsNormalized: rowsSeen, rejectReasons: rejected.reasons() };
}

/** A problem of a row, named by the column (header) the user would fix. */
export interface RowProblemAt {
  column: string;
  reason: string;
}

export type RowVerdict = { ok: true; row: NormalizeResult & { ok: true } } | { ok: false; problems: RowProblemAt[]; unmappedName: string | undefined };

/**
 * The verdict on one row of cells, before the within-file duplicate check: trimmed cells of the
 * mapped columns (empty ones left out), refused if one holds U+FFFD (bytes that were not valid
 * in the file's encoding), else normalized. Shared by both ways of importing a file.
 */
export function createRowChecker(headers: readonly string[], fieldColumns: Partial<Record<ImportField, number>>, normalize: (raw: RawRow) => NormalizeResult): (cells: readonly string[]) => RowVerdict {
  const fieldEntries = Object.entries(fieldColumns) as [ImportField, number][];
  const headerOf = (field: ImportField) => headers[fieldColumns[field]!] ?? field;
  return (cells) => {
    const problems: RowProblemAt[] = [];
    const raw: RawRow = {};
    for (const [field, column] of fieldEntries) {
      const value = cells[column]?.trim();
      if (!value) continue;
      // U+FFFD: bytes that were not valid in the file's encoding (a row pasted from another file).
      if (value.includes('\uFFFD')) problems.push({ column: headerOf(field), reason: '编码错误：含无法识别的字符（请将文件统一保存为 UTF-8 或 GBK）' });
      raw[field] = value;
    }
    if (problems.length > 0) return { ok: false, problems, unmappedName: undefined };
    const result = normalize(raw);
    if (result.ok) return { ok: true, row: result };
    return { ok: false, problems: result.problems.map((problem) => ({ column: headerOf(problem.field), reason: problem.reason })), unmappedName: result.unmappedCategory };
  };
}

/** The problem of a valid row whose id an earlier valid row of the file already had. */
export function duplicateProblem(column: string, firstRow: number): RowProblemAt {
  return { column, reason: `编号在本文件中重复（首次出现在第 ${firstRow} 行）` };
}

/** Refused rows: each written to the rejects file, and its kinds of reason counted for the summary. */
export class RejectTally {
  private readonly counts = new Map<string, number>();

  async record(writer: RejectsWriter, cells: readonly string[], rowNumber: number, problems: readonly RowProblemAt[]): Promise<void> {
    await writer.write(cells, rowNumber, [...new Set(problems.map((p) => p.column))].join('；'), [...new Set(problems.map((p) => p.reason))].join('；'));
    // Reasons without their values (dates, names, row numbers), once per row, for the summary.
    for (const kind of new Set(problems.map((p) => `${p.column}: ${p.reason.split(/[:：（(]/)[0]}`))) {
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1);
    }
  }

  reasons(): [reason: string, rows: number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1]);
  }
}

/** The rows of a sheet, reporting the time spent waiting for each (parsing: the reader works on demand). */
async function* timedRows<T>(rows: AsyncIterable<T>, report: (ms: number) => void): AsyncGenerator<T> {
  let started = performance.now();
  for await (const row of rows) {
    report(performance.now() - started);
    yield row;
    started = performance.now();
  }
}
