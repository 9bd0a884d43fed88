import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../database.ts';
import { buildValidRows, readFixtureUnits, writeFixtureCsv } from './fixture-rows.ts';
import { templateHeaders } from './fields.ts';
import { createTempWarehouse, REPO_ROOT, UNITS_CSV, type TempWarehouse } from './test-helpers.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'import-child.ts');
const ROWS = 6_000;
const BAD_EVERY = 500;

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  committed: number[];
  done?: { rowsRead: number; accepted: number; updated: number; rejected: number; inserted: number; resumedAfterRow: number | null; engine: string };
}

/** Runs the import in a real child process; kills it with SIGKILL after `killAfterBatches` commits. */
function runChild(args: Record<string, unknown>, killAfterBatches?: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a
    // SIGKILL to the CLI would leave running.
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const result: ChildResult = { code: null, signal: null, committed: [] };
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith('committed ')) {
          result.committed.push(Number(line.slice(10)));
          if (killAfterBatches !== undefined && result.committed.length === killAfterBatches) child.kill('SIGKILL');
        } else if (line.startsWith('done ')) result.done = JSON.parse(line.slice(5)) as ChildResult['done'];
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      result.code = code;
      result.signal = signal;
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`child failed (${code}): ${stderr}`));
      else resolve(result);
    });
  });
}

// Both ways of importing a UTF-8 CSV (the SQL path checks the whole file before its first batch;
// the JavaScript path writes batches while it reads): GBK and XLSX files always take the latter.
describe.each([
  ['the SQL path', true],
  ['the JavaScript path', false],
] as const)('an import killed with SIGKILL mid-run (%s)', (_, sqlPath) => {
  let warehouse: TempWarehouse;
  let file: string;

  beforeAll(async () => {
    warehouse = await createTempWarehouse('cityops-crash-');
    const units = readFixtureUnits(UNITS_CSV, ['510104', '510107']);
    const rows = buildValidRows('hotline', units, ROWS, 21, { startMs: Date.UTC(2026, 8, 1), coordinateShare: 0.7 });
    // Every 500th row is bad (missing category), so the rejected count has to survive the crash too.
    rows.forEach((row, i) => {
      if (i % BAD_EVERY === 7) delete row['诉求类型'];
    });
    file = path.join(warehouse.dir, 'big-export.csv');
    writeFixtureCsv(file, templateHeaders('hotline'), rows, 'utf8-bom');
    // The child opens the file itself: DuckDB allows one writing process per file.
    warehouse.db.close();
  });
  afterAll(() => warehouse.cleanup());

  it('leaves a consistent database, and the same command completes with no duplicates and right totals', async () => {
    const args = { dbPath: warehouse.dbPath, file, source: 'hotline', batchSize: 200, rejectsFile: path.join(warehouse.dir, 'big.rejects.csv'), sqlPath };
    const killed = await runChild(args, 3);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.done).toBeUndefined();

    // After the crash: only whole batches are in, and the log says exactly how far.
    let db = await openDatabase(warehouse.dbPath);
    const afterCrash = (await db.all<{ events: number; lastRow: number; status: string; inserted: number; rejected: number; rowsRead: number }>(
      `SELECT (SELECT count(*) FROM events)::INTEGER AS events, last_row AS "lastRow", status, inserted, rejected, rows_read AS "rowsRead" FROM import_runs`,
    ))[0]!;
    db.close();
    expect(afterCrash.status).toBe('running');
    expect(afterCrash.lastRow).toBeGreaterThanOrEqual(killed.committed.at(-1)!);
    expect(afterCrash.events).toBe(afterCrash.inserted);
    expect(afterCrash.inserted + afterCrash.rejected).toBe(afterCrash.rowsRead);
    expect(afterCrash.rowsRead % 200).toBe(0);
    expect(afterCrash.rowsRead).toBeLessThan(ROWS);

    const resumed = await runChild(args);
    expect(resumed.code).toBe(0);
    expect(resumed.done!.resumedAfterRow).toBe(afterCrash.lastRow);
    const expectedRejected = Math.ceil((ROWS - 7) / BAD_EVERY);
    expect(resumed.done).toMatchObject({ rowsRead: ROWS, rejected: expectedRejected, inserted: ROWS - expectedRejected, updated: 0, engine: sqlPath ? 'sql' : 'js' });

    db = await openDatabase(warehouse.dbPath);
    const final = (await db.all<{ n: number; distinctIds: number; distinctEventIds: number; history: number; runs: number }>(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT external_id)::INTEGER AS "distinctIds", count(DISTINCT id)::INTEGER AS "distinctEventIds",
         (SELECT count(*) FROM event_history)::INTEGER AS history, (SELECT count(*) FROM import_runs)::INTEGER AS runs FROM events`,
    ))[0]!;
    const rollup = (await db.all<{ n: number }>(`SELECT sum(events)::INTEGER AS n FROM rollup_daily WHERE level = 'city'`))[0]!;
    db.close();
    expect(final).toEqual({ n: ROWS - expectedRejected, distinctIds: ROWS - expectedRejected, distinctEventIds: ROWS - expectedRejected, history: ROWS - expectedRejected, runs: 1 });
    expect(rollup.n).toBe(ROWS - expectedRejected);

    // And once more: nothing changes.
    const again = await runChild(args);
    expect(again.done).toMatchObject({ rowsRead: ROWS, inserted: 0, updated: 0, rejected: expectedRejected, resumedAfterRow: null });
    // Three real child processes over a few thousand rows: 54–66 s when the machine is loaded.
  }, 240_000);
});
