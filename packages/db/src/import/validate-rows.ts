import type { ImportField } from './fields.ts';
import { FirstSeenIndex } from './first-seen-index.ts';
import type { NormalizeResult } from './normalize-row.ts';
import type { Sheet } from './readers.ts';
import { openRejectsWriter, type RejectsWriter } from './rejects-writer.ts';
import type { RawRow } from './row-schema.ts';
import { StagedCsvBatch } from './write-batch.ts';

/**
 * The read-and-validate half of a file import: rows of a sheet in, batches of staged rows
 * out (in file order), refused rows written to the rejects file. It runs on the importing
 * thread (XLSX, small files) or in a worker thread (validate-worker.ts) while the importing
 * thread writes the previous batches; both run exactly this code.
 */
export interface ValidatedBatch {
  rows: StagedCsvBatch;
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
  rejectReasons: [reason: string, rows: number][];
}

/**
 * Reads every row, emitting a batch each `batchSize` rows (and the rest at the end). `emit` is
 * awaited: it is the back-pressure (the caller returns once it can take the next batch).
 */
export async function validateRows(options: ValidateRowsOptions, emit: (batch: ValidatedBatch) => Promise<void>): Promise<ValidateRowsResult> {
  const { sheet, normalize, skipUpTo, batchSize } = options;
  const headerOf = (field: ImportField) => sheet.headers[options.fieldColumns[field]!] ?? field;
  const fieldEntries = Object.entries(options.fieldColumns) as [ImportField, number][];
  const unmapped: Record<string, number> = { ...options.unmappedCategories };
  const rejectReasons = new Map<string, number>();
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
      const problems: { column: string; reason: string }[] = [];
      let unmappedName: string | undefined;
      let staged: { row: NormalizeResult & { ok: true } } | undefined;
      const raw: RawRow = {};
      for (const [field, column] of fieldEntries) {
        const value = cells[column]?.trim();
        if (!value) continue;
        // U+FFFD: bytes that were not valid in the file's encoding (a row pasted from another file).
        if (value.includes('\uFFFD')) problems.push({ column: headerOf(field), reason: '编码错误：含无法识别的字符（请将文件统一保存为 UTF-8 或 GBK）' });
        raw[field] = value;
      }
      if (problems.length === 0) {
        const result = normalize(raw);
        if (result.ok) {
          // The index copies the id's bytes: exceljs' cell strings can be slices of a whole XML
          // chunk, and keeping them would keep every chunk alive (memory ∝ file size).
          const first = seen.firstOrAdd(result.externalId, rowNumber);
          if (first !== undefined) problems.push({ column: headerOf('externalId'), reason: `编号在本文件中重复（首次出现在第 ${first} 行）` });
          else staged = { row: result };
        } else {
          for (const problem of result.problems) problems.push({ column: headerOf(problem.field), reason: problem.reason });
          unmappedName = result.unmappedCategory;
        }
      }
      if (problems.length > 0) {
        rejects ??= await openRejectsWriter(options.rejectsFile, sheet.headers, sheet);
        await rejects.write(cells, rowNumber, [...new Set(problems.map((p) => p.column))].join('；'), [...new Set(problems.map((p) => p.reason))].join('；'));
        // Reasons without their values (dates, names, row numbers), once per row, for the summary.
        for (const kind of new Set(problems.map((p) => `${p.column}: ${p.reason.split(/[:：（(]/)[0]}`))) {
          rejectReasons.set(kind, (rejectReasons.get(kind) ?? 0) + 1);
        }
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
  return { rowsSeen, rejectReasons: [...rejectReasons].sort((a, b) => b[1] - a[1]) };
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
