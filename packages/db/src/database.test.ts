import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';

describe('Database read connections', () => {
  it('runs plain reads beside each other on the pool; they see committed writes, use the session time zone, and writes stay on the main connection', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cityops-db-pool-'));
    const db = await openDatabase(path.join(dir, 'pool.duckdb'), { readConnections: 2 });
    try {
      await db.run('CREATE TABLE t (n INTEGER)');
      const start = db.writeGeneration;
      await db.run('INSERT INTO t SELECT range FROM range(100000)');
      expect(db.writeGeneration).toBeGreaterThan(start);
      const generation = db.writeGeneration;
      // Many concurrent reads (more than the pool): all answered, none counted as a write.
      const sums = await Promise.all(Array.from({ length: 8 }, (_, i) => db.all<{ s: number }>(`SELECT (sum(n) + ${i})::DOUBLE AS s FROM t`)));
      expect(sums.map((rows) => rows[0]!.s)).toEqual(Array.from({ length: 8 }, (_, i) => 4999950000 + i));
      expect(db.writeGeneration).toBe(generation);
      const zone = await db.all<{ zone: string }>(`SELECT current_setting('TimeZone') AS zone`);
      expect(zone[0]!.zone).toBe('Asia/Shanghai');
      // INSERT … RETURNING through all() is a write: main connection, generation moves.
      const returned = await db.all<{ n: number }>('INSERT INTO t VALUES (-1) RETURNING n');
      expect(returned).toEqual([{ n: -1 }]);
      expect(db.writeGeneration).toBeGreaterThan(generation);
      expect((await db.all<{ c: number }>('SELECT count(*)::INTEGER AS c FROM t'))[0]!.c).toBe(100001);
      // Inside a transaction reads stay on its connection (its temp tables, its snapshot).
      const inside = await db.transaction(async (tx) => {
        await tx.run('CREATE TEMP TABLE scratch AS SELECT 42 AS v');
        await tx.run('INSERT INTO t VALUES (-2)');
        return (await tx.all<{ v: number; c: number }>('SELECT (SELECT v FROM scratch) AS v, (SELECT count(*)::INTEGER FROM t) AS c'))[0];
      });
      expect(inside).toEqual({ v: 42, c: 100002 });
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
