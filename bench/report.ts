/**
 * Report benchmark (issue 9): the city's monthly report in all three formats (DOCX, PDF via
 * Chromium, XLSX) from a published month, end to end — data collected through the API
 * procedures, charts and map rendered, documents written. Target ≤ 15 s.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate, openDatabase, type Database } from '../packages/db/src/index.ts';
import { buildReportDatabase, REPORT_DEMO_MONTH } from '../packages/api/src/reports/report-fixture.ts';
import { writeReport } from '../apps/server/src/commands/report.ts';
import { createPdfRenderer } from '../apps/server/src/reports/render-pdf.ts';
import type { BenchRow } from './bench-row.ts';

export interface ReportBenchOptions {
  scales: number[];
  log?: (line: string) => void;
}

async function latestPublishedMonth(db: Database): Promise<string> {
  const [row] = await db.all<{ month: string | null }>(`SELECT max("month") AS "month" FROM "index_snapshots"`);
  if (!row?.month) throw new Error('CITYOPS_BENCH_DB: 该数据库没有已发布的月份（先运行 pnpm cityops publish）');
  return row.month;
}

export async function runReportBench(options: ReportBenchOptions): Promise<BenchRow[]> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: BenchRow[] = [];
  for (const scale of options.scales) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-bench-report-'));
    const file = path.join(dir, 'report.duckdb');
    try {
      // CITYOPS_BENCH_DB=FILE: a copy of a demo database generated elsewhere (e.g. the server
      // suite's full-scale var/bench/demo-1.duckdb); its latest published month is reported on.
      const given = process.env.CITYOPS_BENCH_DB;
      if (given) {
        log(`  copying ${given} …`);
        copyFileSync(given, file);
      } else {
        log(`  building a ${scale} scale database (13 months, published ${REPORT_DEMO_MONTH}) …`);
        await buildReportDatabase(file, { scale, months: 13, seed: 5, endMonth: REPORT_DEMO_MONTH, publish: [REPORT_DEMO_MONTH], log: (line) => log(`    ${line}`) });
      }
      const db = await openDatabase(file, { threads: 2 });
      await migrate(db);
      const month = given ? await latestPublishedMonth(db) : REPORT_DEMO_MONTH;
      const [count] = await db.all<{ n: number }>(`SELECT count(*)::DOUBLE AS "n" FROM "events"`);
      rows.push({ suite: 'report', name: `events in the database (report month ${month})`, scale, value: count!.n, unit: 'events' });
      const pdf = createPdfRenderer();
      try {
        // First run warms Chromium and the fonts; the measured run is the second (a server keeps both warm).
        const cold = await writeReport(db, { month, unitCode: '5101', formats: ['docx', 'pdf', 'xlsx'], outDir: path.join(dir, 'cold'), actor: 'bench', pdf });
        const warm = await writeReport(db, { month, unitCode: '5101', formats: ['docx', 'pdf', 'xlsx'], outDir: path.join(dir, 'warm'), actor: 'bench', pdf });
        rows.push({ suite: 'report', name: 'city report, docx+pdf+xlsx (cold: first run)', scale, value: cold.seconds, unit: 's', target: '≤ 15 s' });
        rows.push({ suite: 'report', name: 'city report, docx+pdf+xlsx', scale, value: warm.seconds, unit: 's', target: '≤ 15 s' });
        log(`  city report: cold ${cold.seconds.toFixed(2)} s, warm ${warm.seconds.toFixed(2)} s`);
      } finally {
        await pdf.close();
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
