/**
 * Import benchmark (issue 4): CSV import throughput next to DuckDB's own read_csv of the same
 * file (the ceiling: parsing only, no validation, no geography, no idempotency), and the peak
 * memory of a streamed XLSX import, measured in a child process (its maxRSS covers the whole
 * process: Node, DuckDB and exceljs), run as the CLI runs it: DuckDB capped at 128 MB.
 * Scale 1 = a 1 M-row file of each kind.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateHeaders } from '../packages/db/src/import/fields.ts';
import { buildValidRows, csvLineOf, readFixtureUnits, writeFixtureXlsx, type FixtureRow } from '../packages/db/src/import/fixture-rows.ts';
import { importFile } from '../packages/db/src/import/import-file.ts';
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

function runChild(args: Record<string, unknown>): Promise<{ rowsRead: number; maxRssKb: number; ms: number }> {
  return new Promise((resolve, reject) => {
    // A 160 MB old-space cap (the live heap measured ~80 MB) makes V8 collect instead of growing lazily: RSS then shows what the
    // import really holds (without it, uncollected garbage inflates RSS whatever the reader does).
    const child = spawn(process.execPath, ['--max-old-space-size=160', '--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const done = output.split('\n').find((line) => line.startsWith('done '));
      if (code !== 0 || !done) reject(new Error(`XLSX import child failed (${code})`));
      else resolve(JSON.parse(done.slice(5)) as { rowsRead: number; maxRssKb: number; ms: number });
    });
  });
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
        started = performance.now();
        await warehouse.db.run(`CREATE TABLE "csv_ceiling" AS SELECT * FROM read_csv($path, header = true, all_varchar = true)`, { path: csv });
        const ceilingMs = performance.now() - started;
        const summary = await importFile(warehouse.db, { source: 'hotline', file: csv, refreshRollups: false, rejectsFile: path.join(dir, 'rejects.csv') });
        started = performance.now();
        const { refreshRollups } = await import('../packages/db/src/rollups.ts');
        await refreshRollups(warehouse.db);
        const refreshMs = performance.now() - started;
        rows.push(
          { suite: 'import', name: 'CSV import (validate, locate, H3, hash, upsert)', scale, value: Math.round((summary.rowsRead / summary.ms) * 1000), unit: 'rows/s', target: '≥ 100,000 rows/s' },
          { suite: 'import', name: 'DuckDB read_csv of the same file (ceiling)', scale, value: Math.round((n / ceilingMs) * 1000), unit: 'rows/s' },
          { suite: 'import', name: 'CSV rows imported (accepted)', scale, value: summary.accepted, unit: 'rows' },
          { suite: 'import', name: 'rollup refresh after the import', scale, value: Math.round(refreshMs), unit: 'ms' },
        );
      } finally {
        warehouse.cleanup();
        rmSync(csv, { force: true });
      }

      const xlsx = path.join(dir, `hotline-${n}.xlsx`);
      started = performance.now();
      await writeBenchXlsx(xlsx, n);
      process.stderr.write(`import bench: ${n.toLocaleString('en-US')}-row XLSX (${(statSync(xlsx).size / 2 ** 20).toFixed(0)} MB) written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      const target = await createTempWarehouse('cityops-import-bench-xlsx-');
      target.db.close();
      try {
        const result = await runChild({ dbPath: target.dbPath, file: xlsx, source: 'hotline', rejectsFile: path.join(dir, 'rejects.xlsx'), refreshRollups: false, memoryLimit: '128MB' });
        rows.push(
          { suite: 'import', name: 'XLSX streaming import peak RSS (child process)', scale, value: Math.round(result.maxRssKb / 1024), unit: 'MB', target: '≤ 500 MB at 1 M rows' },
          { suite: 'import', name: 'XLSX import', scale, value: Math.round((result.rowsRead / result.ms) * 1000), unit: 'rows/s' },
        );
      } finally {
        target.cleanup();
        rmSync(xlsx, { force: true });
      }
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
