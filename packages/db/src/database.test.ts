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

describe('Database prepared reads', () => {
  it('answers allPrepared exactly as all: every value type, duplicate names, results of several chunks, no rows, rebinding', async () => {
    const db = await openDatabase(':memory:');
    try {
      await db.run(`CREATE TABLE v AS SELECT range AS n, range::INTEGER AS i, 'c' || range AS s, DATE '2026-01-01' + range::INTEGER AS d,
        CASE WHEN range % 3 = 0 THEN NULL ELSE range * 0.5 END AS x, [range, range + 1] AS l, {'a': range % 2 = 0} AS st FROM range(5000)`);
      const sql = `SELECT n, i, s, d, x, l, st, n AS n, now()::TIMESTAMP > TIMESTAMP '2000-01-01' AS b FROM v WHERE n >= $from ORDER BY n`;
      for (const from of [0, 4990, 5000, 10]) {
        const prepared = await db.allPrepared<Record<string, unknown>>(sql, { from });
        expect(prepared).toEqual(await db.all(sql, { from }));
        expect(prepared).toHaveLength(5000 - from);
      }
      const rows = await db.allPrepared<Record<string, unknown>>(sql, { from: 4998 });
      expect(Object.keys(rows[0]!)).toEqual(['n', 'i', 's', 'd', 'x', 'l', 'st', 'n:1', 'b']);
      expect(rows[0]).toMatchObject({ n: 4998n, i: 4998, s: 'c4998', l: [4998n, 4999n], st: { a: true }, 'n:1': 4998n, b: true });
      expect(await db.allPrepared('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      db.close();
    }
  });
});
