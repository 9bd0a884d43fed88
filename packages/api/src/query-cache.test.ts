import { describe, expect, it } from 'vitest';
import { cityScope, departmentScope } from '@cityops/domain';
import { openDatabase } from '@cityops/db';
import { FreshReads, QueryCache, cachedRead, scopeKey, sharedFreshRead } from './query-cache.ts';

describe('QueryCache', () => {
  it('computes once for concurrent identical reads (single flight) and serves hits until the TTL', async () => {
    let clock = 0;
    const cache = new QueryCache(1000, 100, () => clock, 0); // no refresh-ahead: the plain TTL
    let calls = 0;
    const compute = async () => {
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return calls;
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.read('k', compute)));
    expect(new Set(answers)).toEqual(new Set([1]));
    expect(calls).toBe(1);
    clock = 999;
    expect(await cache.read('k', compute)).toBe(1);
    clock = 1000;
    expect(await cache.read('k', compute)).toBe(2);
    expect(cache.hits).toBe(50);
  });

  it('does not keep failures', async () => {
    const cache = new QueryCache();
    let attempt = 0;
    const flaky = async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('transient');
      return 'ok';
    };
    await expect(cache.read('k', flaky)).rejects.toThrow('transient');
    expect(await cache.read('k', flaky)).toBe('ok');
  });

  it('keys by the whole scope: a department never gets the city answer', async () => {
    const cache = new QueryCache();
    const city = { queryCache: cache, scope: cityScope() };
    const market = { queryCache: cache, scope: departmentScope('D01') };
    expect(scopeKey(city.scope)).not.toBe(scopeKey(market.scope));
    await cachedRead(city, 'overview.kpis', { unitCode: '5101' }, async () => 'city figures');
    expect(await cachedRead(market, 'overview.kpis', { unitCode: '5101' }, async () => 'market figures')).toBe('market figures');
    expect(await cachedRead(city, 'overview.kpis', { unitCode: '5101' }, async () => 'recomputed')).toBe('city figures');
  });

  it('stays bounded and can be cleared', async () => {
    const cache = new QueryCache(60_000, 10);
    for (let i = 0; i < 25; i += 1) await cache.read(`k${i}`, async () => i);
    expect(cache.size).toBeLessThanOrEqual(11);
    cache.clear();
    expect(cache.size).toBe(0);
  });
});

describe('QueryCache refresh-ahead', () => {
  it('renews a key in use shortly before it expires, so callers never wait for the recompute; a clear() wins over a renewal in flight', async () => {
    let clock = 0;
    const cache = new QueryCache(1000, 100, () => clock, 300);
    let version = 0;
    let release: (() => void) | undefined;
    const compute = async () => {
      version += 1;
      const mine = version;
      if (mine > 1) await new Promise<void>((resolve) => (release = resolve));
      return mine;
    };
    expect(await cache.read('k', compute)).toBe(1);
    clock = 600; // not yet in the renewal window
    expect(await cache.read('k', compute)).toBe(1);
    expect(version).toBe(1);
    clock = 800; // in the window: the old answer now, a renewal starts
    expect(await cache.read('k', compute)).toBe(1);
    expect(version).toBe(2);
    expect(await cache.read('k', compute)).toBe(1); // one renewal at a time
    expect(version).toBe(2);
    release!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock = 1100; // past the first entry's expiry: the renewed answer (started at 800) is served
    expect(await cache.read('k', compute)).toBe(2);
    expect(cache.misses).toBe(1);
    clock = 1600; // renewal window of the renewed entry (expires 1800)
    expect(await cache.read('k', compute)).toBe(2);
    expect(version).toBe(3);
    cache.clear(); // e.g. new events folded into the rollups
    release!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(cache.size).toBe(0); // the renewal started before clear() was not stored
  });
});

describe('QueryCache with quiet extension', () => {
  it('keeps an answer computed after the last write up to the quiet maximum instead of recomputing it; after a write the TTL rules again', async () => {
    let clock = 0;
    let generation = 0;
    const cache = new QueryCache(1000, 100, () => clock, 300, { writeGeneration: () => generation, maxAgeMs: 5000 });
    let version = 0;
    const compute = async () => {
      version += 1;
      return version;
    };
    expect(await cache.read('k', compute)).toBe(1);
    clock = 800; // renewal window, nothing written: extended, not recomputed
    expect(await cache.read('k', compute)).toBe(1);
    clock = 4500; // long past the TTL, still nothing written and within the quiet maximum
    expect(cache.readResponseBody('k')).toBe('{"result":{"data":1}}');
    expect(await cache.read('k', compute)).toBe(1);
    expect(version).toBe(1);
    clock = 4800; // the quiet maximum (5000) is near: renewed as usual
    expect(await cache.read('k', compute)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(version).toBe(2);
    expect(await cache.read('k', compute)).toBe(2);
    expect(cache.extended).toBeGreaterThanOrEqual(2);
    generation += 2; // a write: the TTL rules again
    clock = 4800 + 1000; // the renewed entry (started 4800) has expired
    expect(cache.readResponseBody('k')).toBeUndefined();
    expect(await cache.read('k', compute)).toBe(3);
    clock += 800; // renewal window after the write… and nothing written since the recompute: extended
    expect(await cache.read('k', compute)).toBe(3);
    expect(version).toBe(3);
    generation += 2;
    clock += 800; // written since: at the end of this extension's TTL it is renewed, not extended
    expect(await cache.read('k', compute)).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(version).toBe(4);
  });
});

describe('sharedFreshRead (single flight for reads that must be fresh)', () => {
  it('shares a running query only with identical callers of the same scope, and never across a write', async () => {
    const db = await openDatabase(':memory:', { readConnections: 2 });
    try {
      await db.run('CREATE TABLE t (n INTEGER)');
      let calls = 0;
      const count = async () => {
        calls += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return (await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM t'))[0]!.n;
      };
      const city = { db, scope: cityScope() };
      const department = { db, scope: departmentScope('D04' as never) };
      // Fifty identical callers at once: one query.
      const first = await Promise.all(Array.from({ length: 50 }, () => sharedFreshRead(city, 'p', { a: 1 }, count)));
      expect(new Set(first)).toEqual(new Set([0]));
      expect(calls).toBe(1);
      // Another scope or another input never shares (the finished city answer is reused: nothing was written since).
      await Promise.all([sharedFreshRead(city, 'p', { a: 1 }, count), sharedFreshRead(department, 'p', { a: 1 }, count), sharedFreshRead(city, 'p', { a: 2 }, count)]);
      expect(calls).toBe(3);
      // A caller arriving after a write (while the earlier read still runs) gets its own read, which sees the write.
      const before = sharedFreshRead(city, 'p', { a: 1 }, count);
      await db.run('INSERT INTO t VALUES (1)');
      const after = sharedFreshRead(city, 'p', { a: 1 }, count);
      expect(await after).toBe(1);
      expect(await before).toBe(0);
      expect(calls).toBe(4);
      // Writes in a transaction count too; a finished read is reused only while nothing was written.
      const running = sharedFreshRead(city, 'p', { a: 1 }, count);
      await db.transaction(async (tx) => tx.run('INSERT INTO t VALUES (2)'));
      expect(await sharedFreshRead(city, 'p', { a: 1 }, count)).toBe(2);
      await running;
      expect(await sharedFreshRead(city, 'p', { a: 1 }, count)).toBe(2);
      expect(calls).toBe(5);
      await db.run('INSERT INTO t VALUES (3)');
      expect(await sharedFreshRead(city, 'p', { a: 1 }, count)).toBe(3);
      expect(calls).toBe(6);
    } finally {
      db.close();
    }
  });
});

describe('FreshReads reuse of finished answers', () => {
  it('reuses a finished answer of the same write generation up to maxAgeMs, renews it in the background after renewAfterMs, and never serves one older', async () => {
    let clock = 0;
    const reads = new FreshReads(1000, 400, () => clock); // maxAgeMs, renewAfterMs
    let version = 0;
    let release: (() => void) | undefined;
    const compute = async () => {
      version += 1;
      const mine = version;
      if (mine === 2) await new Promise<void>((resolve) => (release = resolve));
      return mine;
    };
    expect(await reads.read('k', 0, compute)).toBe(1);
    clock = 300;
    expect(await reads.read('k', 0, compute)).toBe(1); // fresh enough, nothing written: reused
    expect(version).toBe(1);
    clock = 500; // older than renewAfterMs: served, and a renewal starts
    expect(await reads.read('k', 0, compute)).toBe(1);
    expect(version).toBe(2);
    expect(await reads.read('k', 0, compute)).toBe(1); // one renewal at a time
    expect(version).toBe(2);
    release!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    clock = 800; // the renewal (started at 500) has replaced the first answer
    expect(await reads.read('k', 0, compute)).toBe(2);
    expect(version).toBe(2);
    clock = 1600; // past maxAgeMs of the renewed answer: recomputed, and callers meanwhile join it
    const [a, b] = await Promise.all([reads.read('k', 0, compute), reads.read('k', 0, compute)]);
    expect([a, b]).toEqual([3, 3]);
    expect(await reads.read('k', 1, compute)).toBe(4); // a write since: never the old answer
    expect(version).toBe(4);
  });
});
