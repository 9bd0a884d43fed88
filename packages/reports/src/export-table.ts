import ExcelJS from 'exceljs';

/**
 * A dashboard view exported as a flat table (CSV or XLSX). Text that a spreadsheet would run as
 * a formula (=, +, -, @, tab, CR at the start — citizens' summaries are free text) is prefixed
 * with an apostrophe; numbers stay numbers.
 */
export interface ExportColumn {
  header: string;
  kind: 'text' | 'count' | 'decimal' | 'datetime';
}

export interface ExportTable {
  title: string;
  columns: readonly ExportColumn[];
  rows: readonly (readonly (string | number | null)[])[];
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : neutralizeCell(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** UTF-8 with a BOM (Excel on Windows reads Chinese headers correctly), CRLF line ends (RFC 4180). */
export function renderTableCsv(table: ExportTable): Buffer {
  const lines = [table.columns.map((c) => csvCell(c.header)).join(','), ...table.rows.map((row) => row.map(csvCell).join(','))];
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

const XLSX_FORMAT: Record<ExportColumn['kind'], string | undefined> = { text: undefined, count: '#,##0', decimal: '0.00', datetime: 'yyyy-mm-dd hh:mm:ss' };

/** One sheet named after the table; date-times as real dates (wall clock), numbers typed. */
export async function renderTableXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'CityOps';
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({ header: c.header, width: c.kind === 'text' ? 24 : 14, style: XLSX_FORMAT[c.kind] ? { numFmt: XLSX_FORMAT[c.kind]! } : {} }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    sheet.addRow(row.map((value, i) => {
      if (value === null) return null;
      const kind = table.columns[i]?.kind;
      if (kind === 'datetime' && typeof value === 'string') return new Date(`${value.replace(' ', 'T')}Z`);
      return typeof value === 'string' ? neutralizeCell(value) : value;
    }));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
