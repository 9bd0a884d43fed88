/**
 * A separate process that runs one import, for the crash test (import-crash.test.ts), which
 * kills it with SIGKILL mid-run. Prints "committed <row>" after each committed batch.
 *   tsx import-child.ts '{"dbPath": …, "file": …, "source": …, "batchSize": …}'
 * With "sampleMemoryMs" it also prints where the memory goes ("memory {…}" lines on stderr):
 * Node's heap, external and ArrayBuffer memory, and DuckDB's own accounting.
 */
import type { Source } from '@cityops/domain';
import { statSync } from 'node:fs';
import { openDatabase } from '../database.ts';
import { importFile, importMemoryLimitMb } from './import-file.ts';
import { sheetFormatOf } from './readers.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  dbPath: string; file: string; source: Source; batchSize?: number; rejectsFile: string; refreshRollups?: boolean; memoryLimit?: string; sampleMemoryMs?: number; threads?: number; stages?: boolean; worker?: boolean; sqlPath?: boolean;
};
const db = await openDatabase(args.dbPath, { threads: args.threads ?? 2 });
// The CLI caps DuckDB's buffer pool the same way (commands/import.ts): an import needs little.
// "cli": the limit the CLI would choose for this file and batch size (importMemoryLimitMb).
const memoryLimit = args.memoryLimit === 'cli' ? `${importMemoryLimitMb(sheetFormatOf(args.file), args.batchSize, statSync(args.file).size)}MB` : args.memoryLimit;
if (memoryLimit) await db.run(`SET memory_limit = '${memoryLimit.replace(/[^0-9A-Za-z]/g, '')}'`);
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
let sampling = false;
const sample = async (at: string) => {
  if (sampling) return;
  sampling = true;
  try {
    const usage = process.memoryUsage();
    const duck = await db.all<{ tag: string; used: number; temp: number }>(
      `SELECT "tag", "memory_usage_bytes"::DOUBLE AS "used", "temporary_storage_bytes"::DOUBLE AS "temp" FROM duckdb_memory() WHERE "memory_usage_bytes" > 0 OR "temporary_storage_bytes" > 0`,
    );
    const duckdb = Object.fromEntries(duck.map((row) => [row.tag, mb(row.used)]));
    process.stderr.write(`memory ${JSON.stringify({ at, rss: mb(usage.rss), maxRss: Math.round(process.resourceUsage().maxRSS / 1024), heapUsed: mb(usage.heapUsed), heapTotal: mb(usage.heapTotal), external: mb(usage.external), arrayBuffers: mb(usage.arrayBuffers), duckdb })}\n`);
  } finally {
    sampling = false;
  }
};
if (args.sampleMemoryMs) await sample('start');
const timer = args.sampleMemoryMs ? setInterval(() => void sample('run'), args.sampleMemoryMs) : undefined;
// CPU time of the import itself (user + system of every thread: Node and DuckDB's workers), without start-up.
const cpuBefore = process.cpuUsage();
// "stages": wall ms per stage of the import (importFile's onStage), printed as "stages {…}".
const stages = new Map<string, number>();
const summary = await importFile(db, {
  source: args.source,
  file: args.file,
  batchSize: args.batchSize,
  rejectsFile: args.rejectsFile,
  refreshRollups: args.refreshRollups,
  onBatchCommitted: (row) => process.stdout.write(`committed ${row}\n`),
  worker: args.worker,
  sqlPath: args.sqlPath,
  onStage: args.stages ? (name, ms) => stages.set(name, (stages.get(name) ?? 0) + ms) : undefined,
});
// maxRSS (KiB on Linux): the peak memory of this whole process, for the XLSX streaming benchmark.
const cpu = process.cpuUsage(cpuBefore);
if (timer) clearInterval(timer);
if (args.sampleMemoryMs) await sample('end');
if (args.stages) process.stdout.write(`stages ${JSON.stringify(Object.fromEntries([...stages].map(([name, ms]) => [name, Math.round(ms)])))}\n`);
process.stdout.write(`done ${JSON.stringify({ ...summary, rollups: null, maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
db.close();
