import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSimulatedEvents } from '../live-events.ts';
import { buildEventKeyIndex, dropEventKeyIndex, EventKeyIndex, eventKeyIndexOf, extendEventKeyIndex, keyHashHigh, keyHashLow } from './event-key-index.ts';
import { createPushService, type PushService } from './push-events.ts';
import { createTempWarehouse, type TempWarehouse } from './test-helpers.ts';

function event(externalId: string, overrides: Record<string, unknown> = {}) {
  return {
    externalId, receivedAt: '2026-10-20 09:15:00', category: '噪音扰民', summary: '反映夜间施工噪音扰民',
    district: '锦江区', street: '春熙路街道', lng: 104.0817, lat: 30.6571, nature: '投诉', status: '已派单',
    dispatchedAt: '2026-10-20 09:45:00', ...overrides,
  };
}

describe('EventKeyIndex (the table itself)', () => {
  it('returns every id stored under a hash, colliding slots and equal hashes included, and nothing for others', () => {
    const index = EventKeyIndex.withCapacity(10, 0n);
    // Same slot (high), different fingerprints (low); then an exact duplicate of a hash.
    index.add(7, 100, 1);
    index.add(7, 200, 2);
    index.add(7 + 1024 * 4, 100, 3); // same slot modulo the table size, same fingerprint
    index.add(8, 300, 4); // pushed one slot further by the probe chain of slot 7
    const found = (high: number, low: number) => {
      const ids: number[] = [];
      index.candidates(high, low, ids);
      return ids.sort();
    };
    expect(found(7, 100)).toEqual([1, 3]);
    expect(found(7, 200)).toEqual([2]);
    expect(found(8, 300)).toEqual([4]);
    // A superset, not an exact answer: the probe for slot 8 walks the chain that slot 7's
    // entries spilled into and meets id 3's fingerprint (the caller verifies every candidate).
    expect(found(8, 100)).toEqual([3]);
    expect(found(30, 100)).toEqual([]);
    expect(found(7, 999)).toEqual([]);
    // A zero fingerprint is stored as 1 (0 marks an empty slot), so it is still found.
    index.add(20, 0, 5);
    expect(found(20, 0)).toEqual([5]);
  });
});

describe('push writes with the key index (real DuckDB)', () => {
  let warehouse: TempWarehouse;
  let service: PushService;
  let key = 0;
  const push = async (events: unknown[]) => {
    key += 1;
    const response = await service.push({ system: 'test', source: 'hotline', idempotencyKey: `k-${key}`, body: { events } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body as { inserted: number; updated: number; unchanged: number; results: { outcome: string; eventId: number }[] };
  };
  const hashOf = async (source: string, externalId: string) =>
    (await warehouse.db.all<{ high: number; low: number }>(`SELECT ${keyHashHigh('$source', '$id')} AS "high", ${keyHashLow('$source', '$id')} AS "low"`, { source, id: externalId }))[0]!;
  const countOf = async (externalId: string) =>
    (await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "events" WHERE "external_id" = $id`, { id: externalId }))[0]!.n;

  beforeAll(async () => {
    warehouse = await createTempWarehouse('cityops-key-index-');
    service = createPushService(warehouse.db, { refreshDelayMs: 60_000 });
    await service.prime();
  });
  afterAll(() => {
    service.close();
    warehouse.cleanup();
  });

  it('is built by prime() and finds a known key: pushing it again is an update, not a second event', async () => {
    const first = await push([event('IDX-1'), event('IDX-2')]);
    expect(first.inserted).toBe(2);
    // Rebuilt now, so both events lie at or below the watermark (found through the index, not the tail).
    dropEventKeyIndex(warehouse.db);
    await buildEventKeyIndex(warehouse.db);
    const index = eventKeyIndexOf(warehouse.db)!;
    const ids = first.results.map((r) => r.eventId);
    expect(index.watermark).toBeGreaterThanOrEqual(BigInt(Math.max(...ids)));
    const h = await hashOf('hotline', 'IDX-1');
    const candidates: number[] = [];
    index.candidates(h.high, h.low, candidates);
    expect(candidates).toContain(ids[0]);

    const again = await push([event('IDX-1', { status: '已办结', closedAt: '2026-10-21 09:00:00' }), event('IDX-2')]);
    expect(again).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect(again.results.map((r) => r.eventId)).toEqual(ids);
    expect(await countOf('IDX-1')).toBe(1);
  });

  it('matches events written by other paths after the index was built (the tail above the watermark)', async () => {
    const watermark = eventKeyIndexOf(warehouse.db)!.watermark;
    const [simulated] = await insertSimulatedEvents(warehouse.db, { count: 1, at: '2026-10-22 10:00:00' });
    expect(BigInt(simulated!.id)).toBeGreaterThan(watermark);
    const externalId = (await warehouse.db.all<{ id: string }>(`SELECT "external_id" AS "id" FROM "events" WHERE "id" = $id`, { id: simulated!.id }))[0]!.id;
    expect(eventKeyIndexOf(warehouse.db)!.watermark).toBe(watermark);
    const result = await push([event(externalId, { status: '已办结', closedAt: '2026-10-23 09:00:00' })]);
    expect(result.inserted).toBe(0);
    expect(result.results[0]!.eventId).toBe(simulated!.id);
    expect(await countOf(externalId)).toBe(1);

    // Folding the tail in moves the watermark and indexes the new event.
    await extendEventKeyIndex(warehouse.db);
    const index = eventKeyIndexOf(warehouse.db)!;
    expect(index.watermark).toBeGreaterThanOrEqual(BigInt(simulated!.id));
    const h = await hashOf('hotline', externalId);
    const candidates: number[] = [];
    index.candidates(h.high, h.low, candidates);
    expect(candidates).toContain(simulated!.id);
    const once = await push([event(externalId, { status: '已办结', closedAt: '2026-10-23 09:00:00' })]);
    expect(once).toMatchObject({ inserted: 0, unchanged: 1 });
  });

  it('verifies every candidate against the real row: a hash hit on another event is not a match', async () => {
    const index = eventKeyIndexOf(warehouse.db)!;
    const other = (await push([event('IDX-OTHER')])).results[0]!.eventId;
    await extendEventKeyIndex(warehouse.db);
    // Forge a collision: the new key's hash pointing at an unrelated event (at or below the watermark).
    const h = await hashOf('hotline', 'IDX-NEW');
    index.add(h.high, h.low, other);
    const result = await push([event('IDX-NEW')]);
    expect(result.inserted).toBe(1);
    expect(result.results[0]!.eventId).not.toBe(other);
    expect(await countOf('IDX-NEW')).toBe(1);
    expect(await countOf('IDX-OTHER')).toBe(1);
  });

  it('gives the same outcomes with and without the index (the full join is the fallback)', async () => {
    const body = [event('IDX-1', { status: '已办结', closedAt: '2026-10-21 09:00:00' }), event('IDX-FALLBACK')];
    dropEventKeyIndex(warehouse.db);
    expect(eventKeyIndexOf(warehouse.db)).toBeUndefined();
    const without = await push(body);
    expect(without).toMatchObject({ inserted: 1, unchanged: 1 });
    await buildEventKeyIndex(warehouse.db);
    const withIndex = await push(body);
    expect(withIndex).toMatchObject({ inserted: 0, unchanged: 2 });
    expect(withIndex.results.map((r) => r.eventId)).toEqual(without.results.map((r) => r.eventId));
  });
});
