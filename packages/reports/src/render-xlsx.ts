import ExcelJS from 'exceljs';
import type { ReportData } from './report-data.ts';
import { allTables, type CellKind, type CellValue, type ReportTable } from './report-tables.ts';

/**
 * The report's tables as a workbook: a sheet per table (Chinese names), numbers as numbers with
 * number formats, days and months as dates, rank intervals as two numeric columns, and total
 * rows as =SUM(...) formulas whose cached results are the report's figures.
 */
const NUM_FMT: Partial<Record<CellKind, string>> = {
  count: '#,##0',
  rate: '0.00%',
  change: '+0.00%;-0.00%;0.00%',
  score: '0.00',
  points: '+0.00;-0.00;0.00',
  decimal: '0.00',
  date: 'yyyy-mm-dd',
  month: 'yyyy"年"m"月"',
};

function toDate(text: string): Date {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number?];
  return new Date(Date.UTC(y, m - 1, d ?? 1));
}

function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** Expands interval columns into (下限, 上限); returns the sheet's column list and a row mapper. */
function expand(t: ReportTable) {
  const columns = t.columns.flatMap((c) =>
    c.kind === 'interval' ? [{ header: `${c.header}下限`, kind: 'count' as CellKind, width: 12 }, { header: `${c.header}上限`, kind: 'count' as CellKind, width: 12 }] : [c],
  );
  const row = (cells: CellValue[]) =>
    cells.flatMap((value, i) => {
      if (t.columns[i]!.kind !== 'interval') return [value];
      const interval = value as { p5: number; p95: number } | null;
      return interval ? [interval.p5, interval.p95] : [null, null];
    });
  const sheetIndex = (i: number) => t.columns.slice(0, i).reduce((n, c) => n + (c.kind === 'interval' ? 2 : 1), 0);
  return { columns, row, sheetIndex };
}

function writeValue(cell: ExcelJS.Cell, value: CellValue, kind: CellKind): void {
  if (value === null || typeof value === 'object') return;
  if ((kind === 'date' || kind === 'month') && typeof value === 'string') cell.value = toDate(value);
  else cell.value = value;
  const fmt = NUM_FMT[kind];
  if (fmt && typeof cell.value !== 'string') cell.numFmt = fmt;
}

function addTableSheet(workbook: ExcelJS.Workbook, t: ReportTable): void {
  const sheet = workbook.addWorksheet(t.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  const { columns, row, sheetIndex } = expand(t);
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 12 }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2DCDB' } };
  t.rows.forEach((cells, r) => {
    row(cells).forEach((value, i) => writeValue(sheet.getCell(r + 2, i + 1), value, columns[i]!.kind));
  });
  if (t.total) {
    const r = t.rows.length + 2;
    const sums = new Set(t.total.sumColumns.map(sheetIndex));
    row(t.total.cells).forEach((value, i) => {
      const cell = sheet.getCell(r, i + 1);
      if (sums.has(i) && typeof value === 'number' && t.rows.length > 0) {
        const letter = columnLetter(i);
        cell.value = { formula: `SUM(${letter}2:${letter}${r - 1})`, result: value };
        cell.numFmt = NUM_FMT[columns[i]!.kind] ?? 'General';
      } else writeValue(cell, value, columns[i]!.kind);
    });
    sheet.getRow(r).font = { bold: true };
  }
  if (t.note) sheet.getCell(t.rows.length + (t.total ? 3 : 2) + 1, 1).value = t.note;
}

function addInfoSheet(workbook: ExcelJS.Workbook, data: ReportData): void {
  const m = data.meta;
  const sheet = workbook.addWorksheet('报告信息');
  sheet.columns = [{ header: '项目', width: 16 }, { header: '内容', width: 60 }];
  sheet.getRow(1).font = { bold: true };
  const rows: [string, string | number | Date | null][] = [
    ['报告', `成都市社情分析综合报告（${m.unitName}　${m.monthLabel}）`],
    ['区划代码', m.unitCode],
    ['区划', m.unitName],
    ['月份', toDate(m.month)],
    ['发布单位', m.issuingUnit],
    ['报告日期', toDate(m.reportDate)],
    ['指数状态', m.index.statusLabel],
    ['快照修订版', m.index.revision],
    ['快照编号', m.index.snapshotId],
    ['数据截止', m.index.cutoff],
    ['方法版本', m.index.methodVersion],
  ];
  if (m.scopeNote) rows.push(['范围', m.scopeNote]);
  rows.forEach(([label, value], i) => {
    sheet.getCell(i + 2, 1).value = label;
    const cell = sheet.getCell(i + 2, 2);
    cell.value = value;
    if (value instanceof Date) cell.numFmt = label === '月份' ? 'yyyy"年"m"月"' : 'yyyy-mm-dd';
  });
}

export async function renderXlsx(data: ReportData): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = data.meta.issuingUnit;
  workbook.created = new Date(`${data.meta.reportDate}T00:00:00Z`);
  addInfoSheet(workbook, data);
  for (const t of allTables(data)) addTableSheet(workbook, t);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
