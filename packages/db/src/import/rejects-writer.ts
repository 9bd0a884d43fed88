import iconv from 'iconv-lite';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CsvEncoding } from './readers.ts';
import { neutralizeFormula } from './values.ts';

/** The columns appended to a rejects file; the importer ignores them when the file is fixed and loaded again. */
export const REJECT_COLUMNS = ['行号', '列', '原因'] as const;

export interface RejectsWriter {
  write(cells: readonly string[], rowNumber: number, columns: string, reason: string): Promise<void>;
  close(): Promise<void>;
}

export interface RejectsFormat {
  format: 'csv' | 'xlsx';
  encoding: CsvEncoding | null;
  delimiter: string | null;
}

/**
 * A rejects file in the input's own format (CSV with the same encoding, BOM and delimiter, or
 * XLSX), so the user can fix the rows in the program they came from and import the file again.
 * Every cell is neutralised against formula injection: a rejects file is opened by people in
 * spreadsheet programs, and a refused row may be refused precisely because it was hostile.
 */
export async function openRejectsWriter(file: string, headers: readonly string[], format: RejectsFormat): Promise<RejectsWriter> {
  const header = [...headers, ...REJECT_COLUMNS].map(neutralizeFormula);
  if (format.format === 'xlsx') return openXlsxRejects(file, header);
  return openCsvRejects(file, header, format.encoding ?? 'utf8', format.delimiter ?? ',');
}

function csvLine(cells: readonly string[], delimiter: string): string {
  return cells
    .map((cell) => {
      const safe = neutralizeFormula(cell);
      return /["\r\n]/.test(safe) || safe.includes(delimiter) ? `"${safe.replaceAll('"', '""')}"` : safe;
    })
    .join(delimiter);
}

async function writeWithBackpressure(stream: WriteStream, data: Buffer | string): Promise<void> {
  if (!stream.write(data)) await once(stream, 'drain');
}

async function openCsvRejects(file: string, header: readonly string[], encoding: CsvEncoding, delimiter: string): Promise<RejectsWriter> {
  const stream = createWriteStream(file);
  const encode = (text: string) => (encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
  if (encoding === 'utf8-bom') await writeWithBackpressure(stream, Buffer.from([0xef, 0xbb, 0xbf]));
  // CRLF: what Excel writes, and what it expects from a CSV.
  await writeWithBackpressure(stream, encode(`${csvLine(header, delimiter)}\r\n`));
  const dataColumns = header.length - REJECT_COLUMNS.length;
  return {
    async write(cells, rowNumber, columns, reason) {
      // Same columns as the header, so the fixed file lines up when imported again.
      const values = Array.from({ length: dataColumns }, (_, i) => cells[i] ?? '');
      await writeWithBackpressure(stream, encode(`${csvLine([...values, String(rowNumber), columns, reason], delimiter)}\r\n`));
    },
    async close() {
      stream.end();
      await once(stream, 'finish');
    },
  };
}

async function openXlsxRejects(file: string, header: readonly string[]): Promise<RejectsWriter> {
  // Loaded on first use (see readers.ts): a CSV import never needs it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet('被拒绝的行');
  sheet.addRow([...header]).commit();
  const dataColumns = header.length - REJECT_COLUMNS.length;
  return {
    async write(cells, rowNumber, columns, reason) {
      const values = Array.from({ length: dataColumns }, (_, i) => neutralizeFormula(cells[i] ?? ''));
      // Text cells only: exceljs writes a string as an inline string, never as a formula.
      sheet.addRow([...values, rowNumber, neutralizeFormula(columns), neutralizeFormula(reason)]).commit();
    },
    async close() {
      sheet.commit();
      await workbook.commit();
    },
  };
}
