/**
 * Import benchmark (issue 4): CSV import throughput next to DuckDB's own read_csv of the same
 * file (the ceiling: parsing only, no validation, no geography, no idempotency), and the peak
 * memory of a streamed XLSX import of a 1 M-row file. Both imports run in a child process as
 * the CLI runs them (its Node flags, DuckDB capped as the CLI caps it: importMemoryLimitMb), so maxRSS covers the whole
 * process (Node, DuckDB, exceljs) and process.cpuUsage() every thread (Node and DuckDB's).
 * Scale 1 = a 1 M-row CSV. Each figure is printed with the load average it was measured under.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_HEADERS, templateHeaders, type ImportField } from '../packages/db/src/import/fields.ts';
import { buildValidRows, csvLineOf, readFixtureUnits, writeFixtureXlsx, type FixtureRow } from '../packages/db/src/import/fixture-rows.ts';
import { openDatabase } from '../packages/db/src/database.ts';
import { createTempWarehouse, REPO_ROOT, UNITS_CSV } from '../packages/db/src/import/test-helpers.ts';
import type { BenchRow } from './bench-row.ts';

const CHUNK = 20_000;
const CHILD = path.join(REPO_ROOT, 'packages/db/src/import/import-child.ts');

/** Generates `rows` hotline rows chunk by chunk (constant memory), each chunk with its own ids. */
function* hotlineChunks(rows: number): Generator<FixtureRow[]> {
  const units = readFixtureUnits(UNITS_CSV);
  for (let start = 0, k = 0; start < rows; start += CHUNK, k += 1) {
    yield buildValidRows('hotline', units, Math.min(CHUNK, rows - start), 1000 + k, {
      startMs: Date.UTC(2025, 0, 1) + k * 86_400_000,
      idPrefix: `B${String(k).padStart(4, '0')}-`,
      coordinateShare: 0.7,
    });
  }
}

/**
 * The bench file's columns typed as the events columns they feed (timestamps TIMESTAMP,
 * coordinates DOUBLE, the rest VARCHAR), for the typed ceiling: DuckDB writing typed columns
 * like ours, not 25 texts.
 */
function typedCsvColumns(): string {
  const types: Partial<Record<ImportField, string>> = {
    receivedAt: 'TIMESTAMP', dispatchedAt: 'TIMESTAMP', firstResponseAt: 'TIMESTAMP', dueAt: 'TIMESTAMP', closedAt: 'TIMESTAMP', lng: 'DOUBLE', lat: 'DOUBLE', groupSize: 'INTEGER',
  };
  const fields = Object.keys(DEFAULT_HEADERS.hotline) as ImportField[];
  return `{${templateHeaders('hotline').map((header, index) => `'${header}': '${types[fields[index]!] ?? 'VARCHAR'}'`).join(', ')}}`;
}

async function writeBenchCsv(file: string, rows: number): Promise<void> {
  const headers = templateHeaders('hotline');
  const out = createWriteStream(file);
  out.write('\uFEFF' + `${headers.join(',')}\r\n`);
  for (const chunk of hotlineChunks(rows)) {
    if (!out.write(chunk.map((row) => csvLineOf(headers, row)).join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function writeBenchXlsx(file: string, rows: number): Promise<void> {
  await writeFixtureXlsx(file, templateHeaders('hotline'), (function* () {
    for (const chunk of hotlineChunks(rows)) yield* chunk;
  })());
}

/**
 * The Node flags the CLI runs with (package.json "cityops"): the import's garbage collection
 * depends on them. CITYOPS_BENCH_NODE_FLAGS replaces them (e.g. '' to compare with a plain node).
 */
export const CLI_NODE_FLAGS = process.env['CITYOPS_BENCH_NODE_FLAGS'] !== undefined
  ? process.env['CITYOPS_BENCH_NODE_FLAGS'].split(' ').filter(Boolean)
  : ['--max-semi-space-size=32', '--heap-growing-percent=30'];

interface ChildResult {
  rowsRead: number;
  accepted: number;
  engine: 'sql' | 'js';
  rowsNormalizedInJs: number;
  maxRssKb: number;
  ms: number;
  cpuMs: number;
}

function runChild(args: Record<string, unknown>, nodeFlags: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const done = output.split('\n').find((line) => line.startsWith('done '));
      if (code !== 0 || !done) return reject(new Error(`import child failed (${code})`));
      const result = JSON.parse(done.slice(5)) as ChildResult;
      // With args.stages: wall µs per row of each stage (importFile's onStage; 'db …' overlap the reading of the next batch).
      const stages = output.split('\n').find((line) => line.startsWith('stages '));
      if (stages) {
        const perRow = Object.entries(JSON.parse(stages.slice(7)) as Record<string, number>).map(([name, ms]) => `${name} ${((ms * 1000) / result.rowsRead).toFixed(1)}`);
        process.stderr.write(`import bench: stages, wall µs per row: ${perRow.join(', ')}\n`);
      }
      resolve(result);
    });
  });
}

/** 1-, 5- and 15-minute load averages: the machine is shared, so every figure is printed with the load it was measured under. */
function load(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

function cpuMsSince(before: NodeJS.CpuUsage): number {
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / 1000;
}

/**
 * The XLSX file is 1 M rows whatever the scales (the target is stated for 1 M rows), generated
 * once and cached under var/bench (deterministic content). CITYOPS_BENCH_XLSX_ROWS overrides
 * the size for a quick run.
 */
export async function cachedBenchXlsx(rows: number): Promise<string> {
  const dir = path.join(REPO_ROOT, 'var', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `import-hotline-${rows}.xlsx`);
  if (existsSync(file)) return file;
  const started = performance.now();
  const partial = `${file}.partial`;
  await writeBenchXlsx(partial, rows);
  renameSync(partial, file);
  process.stderr.write(`import bench: ${rows.toLocaleString('en-US')}-row XLSX (${(statSync(file).size / 2 ** 20).toFixed(0)} MB) written in ${((performance.now() - started) / 1000).toFixed(1)} s, cached as ${file}\n`);
  return file;
}

export async function runImportBench(opts: { scales: number[] }): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-import-bench-'));
  try {
    for (const scale of opts.scales) {
      const n = Math.round(1_000_000 * scale);
      const csv = path.join(dir, `hotline-${n}.csv`);
      let started = performance.now();
      await writeBenchCsv(csv, n);
      process.stderr.write(`import bench: ${n.toLocaleString('en-US')}-row CSV (${(statSync(csv).size / 2 ** 20).toFixed(0)} MB) written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

      const warehouse = await createTempWarehouse('cityops-import-bench-db-');
      try {
        // What parsing alone costs (read_csv counted, nothing kept): with the ceiling below, it
        // tells the file's share (parsing long Chinese text) from the table's (materialising
        // 25 text columns and writing them to the database file).
        const parseLoad = load();
        started = performance.now();
        let cpuBefore = process.cpuUsage();
        await warehouse.db.all(`SELECT count(*)::INTEGER AS n FROM read_csv($path, header = true, all_varchar = true)`, { path: csv });
        const parseCpuMs = cpuMsSince(cpuBefore);
        const parseMs = performance.now() - started;
        // The ceiling: DuckDB's own parallel CSV reader into a table, nothing else (no validation, geography or idempotency).
        const ceilingLoad = load();
        started = performance.now();
        cpuBefore = process.cpuUsage();
        await warehouse.db.run(`CREATE TABLE "csv_ceiling" AS SELECT * FROM read_csv($path, header = true, all_varchar = true)`, { path: csv });
        const ceilingCpuMs = cpuMsSince(cpuBefore);
        const ceilingMs = performance.now() - started;
        await warehouse.db.run(`DROP TABLE "csv_ceiling"`);
        // The same into a table typed like the events (timestamps and coordinates parsed, as the import stores them).
        const typedLoad = load();
        started = performance.now();
        cpuBefore = process.cpuUsage();
        await warehouse.db.run(`CREATE TABLE "csv_ceiling_typed" AS SELECT * FROM read_csv($path, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', columns = ${typedCsvColumns()})`, { path: csv });
        const typedCpuMs = cpuMsSince(cpuBefore);
        const typedMs = performance.now() - started;
        const typedRows = (await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "csv_ceiling_typed" WHERE "受理时间" IS NOT NULL`))[0]!.n;
        if (typedRows !== n) throw new Error(`typed read_csv ceiling read ${typedRows} of ${n} rows`);
        await warehouse.db.run(`DROP TABLE "csv_ceiling_typed"`);
        warehouse.db.close();
        // The import itself runs as the CLI runs it: its own process, the CLI's Node flags, DuckDB capped as the CLI caps it.
        const importLoad = load();
        const summary = await runChild(
          // CITYOPS_BENCH_IMPORT_WORKER=1: read and validate in a worker thread (importFile's `worker`), to compare on a quiet machine.
          { dbPath: warehouse.dbPath, file: csv, source: 'hotline', rejectsFile: path.join(dir, 'rejects.csv'), refreshRollups: false, memoryLimit: 'cli', worker: process.env['CITYOPS_BENCH_IMPORT_WORKER'] === '1',
            // CITYOPS_BENCH_IMPORT_STAGES=1: also print the per-stage breakdown (a clock read per row and stage: slightly slower).
            stages: process.env['CITYOPS_BENCH_IMPORT_STAGES'] === '1' },
          CLI_NODE_FLAGS,
        );
        const afterLoad = load();
        if (summary.engine !== 'sql') throw new Error(`the bench CSV took the ${summary.engine} path, not the SQL path`);
        // The same file the JavaScript way (every row read and checked in JavaScript), for comparison.
        const jsWarehouse = await createTempWarehouse('cityops-import-bench-js-');
        jsWarehouse.db.close();
        const jsLoad = load();
        let js: ChildResult;
        try {
          js = await runChild(
            { dbPath: jsWarehouse.dbPath, file: csv, source: 'hotline', rejectsFile: path.join(dir, 'rejects-js.csv'), refreshRollups: false, memoryLimit: 'cli', sqlPath: false },
            CLI_NODE_FLAGS,
          );
        } finally {
          jsWarehouse.cleanup();
        }
        rows.push(
          { suite: 'import', name: `CSV import, JavaScript path (every row read and checked in JS) [load ${jsLoad}]`, scale, value: Math.round((js.rowsRead / js.ms) * 1000), unit: 'rows/s' },
          { suite: 'import', name: 'CSV import, JavaScript path, CPU time per row (all threads)', scale, value: Math.round((js.cpuMs * 1000) / js.rowsRead), unit: 'µs/row' },
          { suite: 'import', name: 'CSV import (SQL path): rows it left to the JS normalizer', scale, value: summary.rowsNormalizedInJs, unit: 'rows' },
        );
        rows.push(
          { suite: 'import', name: `CSV import, SQL path (validate, locate, H3, hash, upsert) [load ${importLoad} → ${afterLoad}]`, scale, value: Math.round((summary.rowsRead / summary.ms) * 1000), unit: 'rows/s', target: '≥ 100,000 rows/s' },
          { suite: 'import', name: 'CSV import CPU time per row (all threads)', scale, value: Math.round((summary.cpuMs * 1000) / summary.rowsRead), unit: 'µs/row' },
          { suite: 'import', name: `DuckDB read_csv of the same file (ceiling) [load ${ceilingLoad}]`, scale, value: Math.round((n / ceilingMs) * 1000), unit: 'rows/s' },
          { suite: 'import', name: 'DuckDB read_csv CPU time per row (all threads)', scale, value: Math.round((ceilingCpuMs * 1000) / n), unit: 'µs/row' },
          { suite: 'import', name: `DuckDB read_csv into a table typed like the events (timestamps, coordinates) [load ${typedLoad}]`, scale, value: Math.round((n / typedMs) * 1000), unit: 'rows/s' },
          { suite: 'import', name: 'DuckDB read_csv typed CPU time per row (all threads)', scale, value: Math.round((typedCpuMs * 1000) / n), unit: 'µs/row' },
          { suite: 'import', name: `DuckDB read_csv parsing only (count(*), no table) [load ${parseLoad}]`, scale, value: Math.round((n / parseMs) * 1000), unit: 'rows/s' },
          { suite: 'import', name: 'DuckDB read_csv parsing only CPU time per row (all threads)', scale, value: Math.round((parseCpuMs * 1000) / n), unit: 'µs/row' },
          { suite: 'import', name: 'CSV rows imported (accepted)', scale, value: summary.accepted, unit: 'rows' },
        );
        process.stderr.write(`import bench: CSV ${n} rows in ${(summary.ms / 1000).toFixed(1)} s, CPU ${(summary.cpuMs / 1000).toFixed(1)} s (JavaScript path ${(js.ms / 1000).toFixed(1)} s, CPU ${(js.cpuMs / 1000).toFixed(1)} s); read_csv ${(ceilingMs / 1000).toFixed(2)} s, CPU ${(ceilingCpuMs / 1000).toFixed(2)} s; typed ${(typedMs / 1000).toFixed(2)} s, CPU ${(typedCpuMs / 1000).toFixed(2)} s\n`);
        const db = await openDatabase(warehouse.dbPath, { threads: 2 });
        try {
          started = performance.now();
          const { refreshRollups } = await import('../packages/db/src/rollups.ts');
          await refreshRollups(db);
          rows.push({ suite: 'import', name: 'rollup refresh after the import', scale, value: Math.round(performance.now() - started), unit: 'ms' });
        } finally {
          db.close();
        }
      } finally {
        warehouse.cleanup();
        rmSync(csv, { force: true });
      }
    }

    const xlsxRows = Number(process.env['CITYOPS_BENCH_XLSX_ROWS'] ?? 1_000_000);
    if (xlsxRows <= 0) return rows; // CITYOPS_BENCH_XLSX_ROWS=0: CSV only
    const xlsx = await cachedBenchXlsx(xlsxRows);
    const target = await createTempWarehouse('cityops-import-bench-xlsx-');
    target.db.close();
    try {
      const xlsxLoad = load();
      const result = await runChild(
        { dbPath: target.dbPath, file: xlsx, source: 'hotline', rejectsFile: path.join(dir, 'rejects.xlsx'), refreshRollups: false, memoryLimit: 'cli' },
        CLI_NODE_FLAGS,
      );
      const afterLoad = load();
      const scale = xlsxRows / 1_000_000;
      rows.push(
        { suite: 'import', name: `XLSX streaming import peak RSS (child process, ${xlsxRows.toLocaleString('en-US')} rows) [load ${xlsxLoad} → ${afterLoad}]`, scale, value: Math.round(result.maxRssKb / 1024), unit: 'MB', target: '≤ 500 MB at 1 M rows' },
        { suite: 'import', name: 'XLSX import', scale, value: Math.round((result.rowsRead / result.ms) * 1000), unit: 'rows/s' },
        { suite: 'import', name: 'XLSX import CPU time per row (all threads)', scale, value: Math.round((result.cpuMs * 1000) / result.rowsRead), unit: 'µs/row' },
      );
    } finally {
      target.cleanup();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

// Standalone: `pnpm exec tsx bench/import.ts 0.1` (the suite is also meant for bench/run.ts).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const scales = (process.argv[2] ?? '0.1').split(',').map(Number);
  for (const row of await runImportBench({ scales })) process.stdout.write(`${row.name} @${row.scale}: ${row.value.toLocaleString('en-US')} ${row.unit}${row.target ? ` (target ${row.target})` : ''}\n`);
}
