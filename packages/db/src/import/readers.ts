import { DomainError } from '@cityops/domain';
import { parse as parseCsv } from 'csv-parse';
import iconv from 'iconv-lite';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { csvParseOptions, readCsvRecords } from './csv-records.ts';
import { excelDateText } from './values.ts';

/** How a CSV file is encoded; rejects are written back the same way. */
export const CSV_ENCODINGS = ['utf8', 'utf8-bom', 'gb18030'] as const;
export type CsvEncoding = (typeof CSV_ENCODINGS)[number];

export interface SheetRow {
  /** Row number as a spreadsheet shows it (the header is row 1). */
  rowNumber: number;
  cells: string[];
}

export interface Sheet {
  format: 'csv' | 'xlsx';
  encoding: CsvEncoding | null;
  delimiter: string | null;
  headers: string[];
  rows: AsyncIterable<SheetRow>;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number;
  totalBytes: number;
  /** Stops reading (the file is closed); for a sheet whose rows are not all read. */
  close(): Promise<void>;
}

export interface OpenSheetOptions {
  /** Forces the CSV encoding (otherwise detected). GBK files are read as GB18030, its superset. */
  encoding?: CsvEncoding | 'gbk' | undefined;
}

export function sheetFormatOf(file: string): 'csv' | 'xlsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  if (ext === '.xlsx') return 'xlsx';
  throw new DomainError('BAD_INPUT', `不支持的文件类型 ${ext || '(无扩展名)'}：请用 .csv 或 .xlsx（.xls 请先另存为 .xlsx） / unsupported file type`);
}

export async function openSheet(file: string, options: OpenSheetOptions = {}): Promise<Sheet> {
  const totalBytes = statSync(file).size;
  const sheet = sheetFormatOf(file) === 'csv' ? openCsv(file, totalBytes, options) : openXlsx(file, totalBytes);
  const iterator = sheet.rows[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) throw new DomainError('BAD_INPUT', `文件为空，没有表头行 / the file has no header row: ${file}`);
  const headers = first.value.cells.map((cell) => cell.trim());
  return {
    ...sheet,
    headers,
    rows: { [Symbol.asyncIterator]: () => iterator },
    async close() {
      await iterator.return?.(undefined);
    },
  };
}

/**
 * Encoding detection from the first 256 KB: a UTF-8 BOM decides; otherwise UTF-8 unless the
 * bytes are mostly invalid as UTF-8 (then GB18030, which also reads GBK and GB2312). A UTF-8
 * file with a few rows pasted in another encoding stays UTF-8: those rows show U+FFFD and are
 * refused one by one with a clear reason, instead of garbling the whole file.
 */
export function detectCsvEncoding(sample: Buffer): CsvEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8-bom';
  const text = new TextDecoder('utf-8').decode(sample);
  let valid = 0;
  let invalid = 0;
  for (const char of text) {
    if (char === '\uFFFD') invalid += 1;
    else if (char.charCodeAt(0) > 0x7f) valid += 1;
  }
  return invalid > valid * 0.1 + 2 ? 'gb18030' : 'utf8';
}

function detectDelimiter(firstLine: string): string {
  const counts = [',', '\t', ';'].map((delimiter) => [delimiter, firstLine.split(delimiter).length] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![0];
}

function readSample(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function openCsv(file: string, totalBytes: number, options: OpenSheetOptions): Omit<Sheet, 'headers' | 'close'> {
  const sample = readSample(file, 256 * 1024);
  const forced = options.encoding === 'gbk' ? 'gb18030' : options.encoding;
  const encoding = forced ?? detectCsvEncoding(sample);
  const sampleText = iconv.decode(sample, encoding === 'gb18030' ? 'gb18030' : 'utf8');
  const delimiter = detectDelimiter(sampleText.split(/\r?\n/, 1)[0] ?? '');
  let bytesRead = 0;
  async function* rows(): AsyncGenerator<SheetRow> {
    // 64 KB chunks: csv-parse pushes every record of a chunk at once, and the records wait in
    // the stream's buffer until the importer takes them. With 1 MB chunks (~3,500 rows, ~90,000
    // cell strings) most of them outlived a young-generation GC and were copied to the old
    // space: garbage collection cost more than parsing.
    const input = createReadStream(file, { highWaterMark: 1 << 16 });
    // GB18030: iconv-lite's decoder carries partial multi-byte sequences across chunks, then
    // csv-parse. UTF-8: the bytes are split into records by hand where csv-parse would read
    // the same (csv-records.ts), each whole field decoded (delimiters, quotes and line ends are
    // ASCII, never part of a multi-byte character); invalid bytes become U+FFFD either way,
    // and a BOM is stripped.
    let records: AsyncIterable<string[]>;
    if (encoding === 'gb18030') {
      input.on('data', (chunk) => {
        bytesRead += chunk.length;
      });
      const parser = input.pipe(iconv.decodeStream('gb18030')).pipe(parseCsv(csvParseOptions(delimiter)));
      input.on('error', (error) => parser.destroy(error));
      records = parser;
    } else {
      records = readCsvRecords((async function* () {
        for await (const chunk of input as AsyncIterable<Buffer>) {
          bytesRead += chunk.length;
          yield chunk;
        }
      })(), delimiter);
    }
    let rowNumber = 0;
    try {
      for await (const record of records) {
        rowNumber += 1;
        // Blank lines still count, so row numbers match what a spreadsheet program shows.
        if (record.every((cell) => cell.trim() === '')) continue;
        yield { rowNumber, cells: record };
      }
    } finally {
      // Closed early (Sheet.close): the file stream is not an iterator the loop would end.
      input.destroy();
    }
  }
  return { format: 'csv', encoding, delimiter, rows: rows(), bytesRead: () => bytesRead, totalBytes };
}

/** A cell of exceljs as the text a user sees (formulas as their source text, never evaluated). */
export function excelCellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return excelDateText(value);
  if (typeof value === 'object') {
    const cell = value as { formula?: string; sharedFormula?: string; richText?: { text: string }[]; text?: unknown; error?: string };
    if (cell.formula !== undefined || cell.sharedFormula !== undefined) return `=${cell.formula ?? cell.sharedFormula}`;
    if (cell.richText) return cell.richText.map((part) => part.text).join('');
    if (cell.text !== undefined) return excelCellText(cell.text);
    if (cell.error !== undefined) return String(cell.error);
  }
  return String(value);
}

/**
 * Streams the first worksheet with exceljs' WorkbookReader: rows are parsed as the zip is
 * inflated and dropped after use, so memory does not grow with the file. (A workbook whose
 * shared-strings part comes after the sheet makes exceljs buffer the sheet: Excel itself writes
 * shared strings first.)
 */
function openXlsx(file: string, totalBytes: number): Omit<Sheet, 'headers' | 'close'> {
  let bytesRead = 0;
  async function* rows(): AsyncGenerator<SheetRow> {
    // Loaded on first use: exceljs takes ~0.5 s of CPU to load, which a CSV import need not
    // pay. Before the file is opened: the 'data' listener below starts the stream flowing, and
    // chunks emitted while the module loaded would never reach the reader.
    const { default: ExcelJS } = await import('exceljs');
    const input = createReadStream(file, { highWaterMark: 1 << 16 });
    input.on('data', (chunk) => {
      bytesRead += chunk.length;
    });
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      // Styles tell which numbers are dates; without them dates arrive as Excel serials (also accepted).
      styles: 'cache',
      entries: 'emit',
    });
    decodeWholeCharacters(reader);
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        for (let column = 1; column < values.length; column += 1) cells.push(excelCellText(values[column]));
        if (cells.every((cell) => cell.trim() === '')) continue;
        yield { rowNumber: row.number, cells };
      }
      // Only the first worksheet is an export; others (notes, dictionaries) are ignored.
      break;
    }
  }
  return { format: 'xlsx', encoding: null, delimiter: null, rows: rows(), bytesRead: () => bytesRead, totalBytes };
}

/** The parts of exceljs' WorkbookReader (4.4) that hand an XML part's inflated chunks to its parser. */
interface WorkbookReaderInternals {
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): AsyncGenerator<unknown>;
  _parseSharedStrings(entry: NodeJS.ReadableStream): AsyncGenerator<unknown>;
}

/** Chunks as text, a multi-byte character cut by a chunk boundary carried over to the next chunk. */
async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/**
 * exceljs decodes every inflated chunk of a sheet or of the shared strings with a fresh
 * TextDecoder, so a character whose UTF-8 bytes straddle two chunks became U+FFFD (valid rows
 * were refused as 编码错误: 32 per 20,000 rows of Chinese text). Its parser passes strings
 * through untouched, so this reader's parts are handed over already decoded, by a decoder that
 * keeps state across chunks. Per reader instance: nothing global is patched.
 */
function decodeWholeCharacters(reader: object): void {
  const internals = reader as WorkbookReaderInternals;
  if (typeof internals._parseWorksheet !== 'function' || typeof internals._parseSharedStrings !== 'function') {
    throw new Error('exceljs WorkbookReader internals changed: see decodeWholeCharacters in readers.ts');
  }
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  internals._parseWorksheet = (iterator, sheetNo) => parseWorksheet(utf8Text(iterator), sheetNo);
  internals._parseSharedStrings = (entry) => parseSharedStrings(Readable.from(utf8Text(entry as AsyncIterable<Buffer>), { objectMode: true }));
}
