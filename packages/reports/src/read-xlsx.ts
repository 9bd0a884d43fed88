import ExcelJS from 'exceljs';

/**
 * Reads a workbook back into plain cells (used by the tests and by anyone checking an exported
 * file): what a spreadsheet user would see — numbers, dates, text and formulas with their
 * cached results.
 */
export interface XlsxCell {
  row: number;
  col: number;
  type: 'number' | 'string' | 'date' | 'formula' | 'other';
  value: number | string | Date | null;
  formula?: string;
  result?: number | string | null;
  numFmt?: string;
}

export interface XlsxSheet {
  name: string;
  cells: XlsxCell[];
}

export async function readXlsx(xlsx: Buffer): Promise<XlsxSheet[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(xlsx as unknown as ArrayBuffer);
  return workbook.worksheets.map((sheet) => {
    const cells: XlsxCell[] = [];
    sheet.eachRow((row, r) => {
      row.eachCell((cell, c) => {
        const base = { row: r, col: c, ...(cell.numFmt ? { numFmt: cell.numFmt } : {}) };
        if (cell.type === ExcelJS.ValueType.Number) cells.push({ ...base, type: 'number', value: cell.value as number });
        else if (cell.type === ExcelJS.ValueType.String) cells.push({ ...base, type: 'string', value: cell.value as string });
        else if (cell.type === ExcelJS.ValueType.Date) cells.push({ ...base, type: 'date', value: cell.value as Date });
        else if (cell.type === ExcelJS.ValueType.Formula) {
          const v = cell.value as ExcelJS.CellFormulaValue;
          cells.push({ ...base, type: 'formula', value: null, formula: v.formula, result: (v.result as number | string | undefined) ?? null });
        } else cells.push({ ...base, type: 'other', value: String(cell.value) });
      });
    });
    return { name: sheet.name, cells };
  });
}
