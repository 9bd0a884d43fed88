/**
 * `pnpm bench` — prints the figures the issues ask for as a table and writes the same figures
 * as JSON (var/bench/results.json). Timings depend on the machine: the targets are for 2 cores.
 *   pnpm bench                       all suites at scales 0.1 and 1.0
 *   pnpm bench -- --scales 0.1       a quicker run
 *   pnpm bench -- --only warehouse   one suite
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { BenchRow } from './bench-row.ts';
import { runWarehouseBench } from './warehouse.ts';
import { runImportBench } from './import.ts';
import { runIndexBench } from './index.ts';
import { runReportBench } from './report.ts';
import { runServerBench } from './server.ts';
import { runDashboardsBench } from './dashboards.ts';

type Suite = (opts: { scales: number[] }) => Promise<BenchRow[]>;

const SUITES: Record<string, Suite> = {
  warehouse: runWarehouseBench,
  import: runImportBench,
  index: runIndexBench,
  report: runReportBench,
  server: runServerBench,
  dashboards: runDashboardsBench,
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((arg) => arg !== '--'),
    options: { scales: { type: 'string', default: '0.1,1' }, only: { type: 'string' } },
  });
  const scales = values.scales.split(',').map(Number);
  if (scales.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error(`--scales: 无效的规模 ${values.scales}`);
  const selected = values.only ? values.only.split(',') : Object.keys(SUITES);
  const rows: BenchRow[] = [];
  for (const name of selected) {
    const suite = SUITES[name];
    if (!suite) throw new Error(`未知的基准套件 ${name}（可选: ${Object.keys(SUITES).join(', ')}）`);
    process.stderr.write(`== ${name} ==\n`);
    rows.push(...(await suite({ scales })));
  }
  const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? '?'}, node ${process.version}`;
  printTable(rows, machine);
  const out = path.resolve('var/bench/results.json');
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ machine, at: new Date().toISOString(), rows }, null, 2));
  process.stdout.write(`\nJSON: ${out}\n`);
}

function printTable(rows: BenchRow[], machine: string): void {
  const header = ['suite', 'measure', 'scale', 'value', 'unit', 'target'];
  const body = rows.map((r) => [r.suite, r.name, String(r.scale ?? ''), formatValue(r.value), r.unit, r.target ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\nmachine: ${machine}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of body) process.stdout.write(`${line(row)}\n`);
}

function formatValue(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
