import ExcelJS from 'exceljs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSheet } from './readers.ts';
import { FIXTURES_DIR, REPO_ROOT } from './test-helpers.ts';

describe('openSheet (XLSX)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-readers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // exceljs decodes each inflated chunk of the sheet XML on its own, so a 3-byte UTF-8
  // character cut by a chunk boundary came out as U+FFFD and valid rows were refused as
  // 编码错误 (32 per 20,000 rows of the benchmark's file). Rows of Chinese text only, written
  // with and without shared strings, put many characters across boundaries.
  it.each([false, true])('keeps Chinese text intact across chunk boundaries (shared strings: %s)', async (useSharedStrings) => {
    const file = path.join(dir, `chinese-${useSharedStrings}.xlsx`);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings, useStyles: false });
    const sheet = workbook.addWorksheet('导出数据');
    sheet.addRow(['编号', '内容', '地址']).commit();
    const expected: string[][] = [];
    const words = '成都市锦江区青羊区金牛区武侯区成华区龙泉驿区青白江区新都区温江区双流区郫都区新津区简阳市都江堰市彭州市邛崃市崇州市';
    for (let i = 0; i < 6000; i += 1) {
      const start = (i * 7) % (words.length - 20);
      const row = [`编${i}`, `${words.slice(start, start + 13 + (i % 7))}反映噪音扰民`, `${words.slice(start + 3, start + 9)}街道${i % 97}号`];
      expected.push(row);
      sheet.addRow(row).commit();
    }
    sheet.commit();
    await workbook.commit();

    const read = await openSheet(file);
    expect(read.headers).toEqual(['编号', '内容', '地址']);
    const rows: string[][] = [];
    for await (const row of read.rows) rows.push(row.cells);
    expect(rows.filter((cells) => cells.some((cell) => cell.includes('\uFFFD')))).toEqual([]);
    expect(rows).toEqual(expected);
  });
});

describe('openSheet (XLSX) in a fresh process', () => {
  // exceljs is loaded on first use; the file's stream must not start flowing before (its first
  // chunks were lost: "invalid signature" from the zip reader). In this test process exceljs is
  // already loaded, so a child process, where it is not, reads the fixture.
  it('reads every row of an XLSX when exceljs was not loaded yet', async () => {
    const script = `import { openSheet } from ${JSON.stringify(path.join(path.dirname(fileURLToPath(import.meta.url)), 'readers.ts'))};
      const sheet = await openSheet(${JSON.stringify(path.join(FIXTURES_DIR, 'police-2026-10.xlsx'))});
      let rows = 0; for await (const row of sheet.rows) rows += 1;
      console.log(JSON.stringify({ headers: sheet.headers.length, rows }));`;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child failed (${code}): ${err}`))));
    });
    const expected = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'expected.json'), 'utf8')) as Record<string, { rowsRead: number }>;
    const result = JSON.parse(output.trim().split('\n').pop()!) as { headers: number; rows: number };
    expect(result.headers).toBeGreaterThan(5);
    expect(result.rows).toBe(expected['police-2026-10.xlsx']!.rowsRead);
  }, 60_000);
});
