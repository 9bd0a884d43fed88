/**
 * A separate process that runs one import, for the crash test (import-crash.test.ts), which
 * kills it with SIGKILL mid-run. Prints "committed <row>" after each committed batch.
 *   tsx import-child.ts '{"dbPath": …, "file": …, "source": …, "batchSize": …}'
 */
import type { Source } from '@cityops/domain';
import { openDatabase } from '../database.ts';
import { importFile } from './import-file.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as { dbPath: string; file: string; source: Source; batchSize?: number; rejectsFile: string; refreshRollups?: boolean; memoryLimit?: string };
const db = await openDatabase(args.dbPath, { threads: 2 });
// The CLI caps DuckDB's buffer pool the same way (commands/import.ts): an import needs little.
if (args.memoryLimit) await db.run(`SET memory_limit = '${args.memoryLimit.replace(/[^0-9A-Za-z]/g, '')}'`);
// CPU time of the import itself (user + system of every thread: Node and DuckDB's workers), without start-up.
const cpuBefore = process.cpuUsage();
const summary = await importFile(db, {
  source: args.source,
  file: args.file,
  batchSize: args.batchSize,
  rejectsFile: args.rejectsFile,
  refreshRollups: args.refreshRollups,
  onBatchCommitted: (row) => process.stdout.write(`committed ${row}\n`),
});
// maxRSS (KiB on Linux): the peak memory of this whole process, for the XLSX streaming benchmark.
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(`done ${JSON.stringify({ ...summary, rollups: null, maxRssKb: process.resourceUsage().maxRSS, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
db.close();
