import express from 'express';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTempWarehouse, type TempWarehouse } from '@cityops/db/import/test-helpers';
import { readLiveEvents, type SimulatedEvent } from '@cityops/db/live-events';
import { OPENAPI_DOCUMENT } from './openapi.ts';
import { createPushRouter, type PushToken } from './push-api.ts';

const TOKENS = new Map<string, PushToken>([
  ['tok-12345-platform', { system: '12345平台', source: 'hotline' }],
  ['tok-110-jiejing', { system: '110接警系统', source: 'police' }],
]);

function event(n: number, overrides: Record<string, unknown> = {}) {
  return {
    externalId: `PUSH-${String(n).padStart(5, '0')}`,
    receivedAt: `2026-10-20 ${String(8 + (n % 10)).padStart(2, '0')}:15:00`,
    category: '噪音扰民',
    summary: '反映夜间施工噪音扰民',
    district: '锦江区',
    street: '春熙路街道',
    lng: 104.0817,
    lat: 30.6571,
    phone: '13812345678',
    nature: '投诉',
    status: '已派单',
    dispatchedAt: `2026-10-20 ${String(8 + (n % 10)).padStart(2, '0')}:45:00`,
    ...overrides,
  };
}

describe('push API (real express server, real DuckDB)', () => {
  let warehouse: TempWarehouse;
  let server: Server;
  let base: string;
  /** What the router hands to the live stream after each commit. */
  const published: { ids: number[]; events: SimulatedEvent[] }[] = [];
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/push/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer tok-12345-platform', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    warehouse = await createTempWarehouse('cityops-push-');
    const app = express();
    app.use('/api/push', createPushRouter({ db: warehouse.db, tokens: TOKENS, refreshDelayMs: 100, log: () => {}, onInserted: (ids, events) => published.push({ ids, events }) }));
    app.get('/api/openapi.json', (_req, res) => res.json(OPENAPI_DOCUMENT));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    warehouse.cleanup();
  });

  it('refuses requests without a valid bearer token', async () => {
    const none = await fetch(`${base}/api/push/events`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json', 'idempotency-key': 'k0' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post({ events: [event(1)] }, { authorization: 'Bearer wrong', 'idempotency-key': 'k0' })).status).toBe(401);
  });

  it('requires an Idempotency-Key, a JSON body and at most 1,000 events', async () => {
    expect((await post({ events: [event(1)] })).status).toBe(400);
    expect((await post('{not json', { 'idempotency-key': 'k-bad-json' })).status).toBe(400);
    expect((await post({ items: [] }, { 'idempotency-key': 'k-shape' })).status).toBe(400);
    const big = await post({ events: Array.from({ length: 1001 }, (_, i) => event(i)) }, { 'idempotency-key': 'k-big' });
    expect(big.status).toBe(413);
  });

  it('inserts a batch, replays the same key + body without a second insert, and rejects a key reused with another body', async () => {
    const body = { events: [event(1), event(2), event(3)] };
    const first = await post(body, { 'idempotency-key': 'batch-001' });
    expect(first.status).toBe(200);
    const result = (await first.json()) as { inserted: number; results: { outcome: string; eventId: number }[] };
    expect(result.inserted).toBe(3);
    const replay = await post({ events: [...body.events] }, { 'idempotency-key': 'batch-001' });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(result);
    const count = await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE external_id LIKE 'PUSH-%'`);
    expect(count[0]!.n).toBe(3);
    const conflict = await post({ events: [event(1), event(2)] }, { 'idempotency-key': 'batch-001' });
    expect(conflict.status).toBe(409);
  });

  it('hands the inserted events to the live stream after the commit, exactly as stored (no read back); updates are not new events', async () => {
    published.length = 0;
    const body = { crs: 'gcj02', events: [event(501, { receivedAt: '2026-10-20 09:00:00' }), event(502, { receivedAt: '2026-10-20 08:00:00', category: '公共交通', summary: '路口信号灯故障' }), event(503)] };
    const response = await post(body, { 'idempotency-key': 'live-001' });
    expect(response.status, await response.clone().text()).toBe(200);
    const result = (await response.json()) as { results: { eventId: number }[] };
    expect(published).toHaveLength(1);
    const [{ ids, events }] = published as [{ ids: number[]; events: SimulatedEvent[] }];
    expect(new Set(ids)).toEqual(new Set(result.results.map((r) => r.eventId)));
    // The committed rows, read back the way the stream used to read them (same fields, same order).
    expect(events).toEqual(await readLiveEvents(warehouse.db, ids));
    expect(events.map((e) => e.summary)).toContain('路口信号灯故障');
    // Pushed again with a new state: an update, nothing new to announce.
    const again = await post({ crs: 'gcj02', events: [event(503, { status: '已办结', closedAt: '2026-10-21 09:00:00' })] }, { 'idempotency-key': 'live-002' });
    expect(again.status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it('answers 422 with index and reason per invalid item, and writes nothing', async () => {
    const response = await post(
      { events: [event(10), event(11, { receivedAt: '2026-02-30 10:00' }), event(12, { category: '疫情防控' }), event(13, { district: '天府新区', lng: null, lat: null, street: null }), event(14, { colour: 'red' }), event(10)] },
      { 'idempotency-key': 'batch-bad' },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { index: number; field: string; reason: string }[] };
    const byIndex = new Map(body.errors.map((e) => [e.index, e]));
    expect([...byIndex.keys()].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(byIndex.get(1)!.reason).toMatch(/日期不存在/);
    expect(byIndex.get(2)!.reason).toMatch(/类别未映射/);
    expect(byIndex.get(3)!.reason).toMatch(/所属区县不存在/);
    expect(byIndex.get(4)!.field).toBe('(item)');
    expect(byIndex.get(5)!.reason).toMatch(/重复/);
    const count = await warehouse.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE external_id = 'PUSH-00010'`);
    expect(count[0]!.n).toBe(0);
  });

  it('updates a case pushed again with a new state and keeps its history; no raw phone stored', async () => {
    const response = await post({ events: [event(2, { status: '已回访关闭', closedAt: '2026-10-22 10:00:00', satisfaction: '满意' })] }, { 'idempotency-key': 'batch-002' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { updated: number }).updated).toBe(1);
    const history = await warehouse.db.all<{ status: string; origin: string }>(`SELECT status, origin FROM event_history WHERE external_id = 'PUSH-00002' ORDER BY seen_at`);
    expect(history.map((h) => h.status)).toEqual(['dispatched', 'closed']);
    const row = (await warehouse.db.all<{ phone: string }>(`SELECT reporter_phone_masked AS phone FROM events WHERE external_id = 'PUSH-00002'`))[0]!;
    expect(row.phone).toBe('138****5678');
  });

  it('pushed events reach the rollups within seconds', async () => {
    const response = await post({ events: [event(20, { receivedAt: '2026-10-25 09:00:00', dispatchedAt: null })] }, { 'idempotency-key': 'batch-rollup' });
    expect(response.status).toBe(200);
    const started = Date.now();
    let n = 0;
    while (Date.now() - started < 5000) {
      n = (await warehouse.db.all<{ n: number }>(`SELECT coalesce(sum(events), 0)::INTEGER AS n FROM rollup_daily WHERE level = 'city' AND day = DATE '2026-10-25' AND source = 'hotline'`))[0]!.n;
      if (n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(n).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers concurrent requests (written together in one transaction) each with its own outcomes, without duplicates', async () => {
    // Twelve requests at once: ten distinct batches, one sent twice with the same key, and one
    // re-pushing an id of another batch with a new state (it must not share that batch's write).
    const batches = Array.from({ length: 10 }, (_, b) => ({ events: Array.from({ length: 5 }, (_, i) => event(1000 + b * 5 + i)) }));
    const closedAgain = { events: [event(1000, { status: '已办结', closedAt: '2026-10-21 09:00:00' })] };
    const responses = await Promise.all([
      ...batches.map((body, b) => post(body, { 'idempotency-key': `group-${b}` })),
      post(batches[3], { 'idempotency-key': 'group-3' }),
      post(closedAgain, { 'idempotency-key': 'group-update' }),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(12).fill(200));
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as { received: number; inserted: number; updated: number; unchanged: number; stale: number; results: { index: number; externalId: string; outcome: string; eventId: number }[] }[];
    for (const [b, body] of bodies.slice(0, 10).entries()) {
      expect(body.received).toBe(5);
      expect(body.results.map((r) => r.externalId)).toEqual(batches[b]!.events.map((e) => e.externalId));
      expect(body.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
      // accepted = inserted + updated + unchanged + stale = input
      expect(body.inserted + body.updated + body.unchanged + body.stale).toBe(5);
    }
    // The same key twice: one write, the other answer is the stored one.
    expect(bodies[10]).toEqual(bodies[3]);
    expect([responses[3]!.headers.get('idempotent-replayed'), responses[10]!.headers.get('idempotent-replayed')]).toContain('true');
    expect(bodies[11]!.received).toBe(1);
    const rows = await warehouse.db.all<{ n: number; ids: number; keys: number }>(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids, count(DISTINCT external_id)::INTEGER AS keys
       FROM events WHERE source = 'hotline' AND external_id >= 'PUSH-01000' AND external_id < 'PUSH-01050'`,
    );
    expect(rows[0]).toEqual({ n: 50, ids: 50, keys: 50 });
    // Every id answered is the row stored under that external id.
    const stored = new Map((await warehouse.db.all<{ externalId: string; id: number }>(
      `SELECT external_id AS "externalId", id::DOUBLE AS id FROM events WHERE external_id >= 'PUSH-01000' AND external_id < 'PUSH-01050'`,
    )).map((row) => [row.externalId, row.id]));
    for (const body of bodies) for (const result of body.results) expect(result.eventId).toBe(stored.get(result.externalId));
    const keys = await warehouse.db.all<{ n: number; runs: number }>(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT import_run_id)::INTEGER AS runs FROM push_requests WHERE idempotency_key LIKE 'group-%'`,
    );
    expect(keys[0]!.n).toBe(11);
    // Requests that queued behind a transaction were written together (fewer runs than requests).
    expect(keys[0]!.runs).toBeLessThan(11);
    const runs = await warehouse.db.all<{ rows: number; inserted: number; updated: number }>(
      `SELECT sum(rows_read)::INTEGER AS rows, sum(inserted)::INTEGER AS inserted, sum(updated)::INTEGER AS updated FROM import_runs
       WHERE id IN (SELECT import_run_id FROM push_requests WHERE idempotency_key LIKE 'group-%')`,
    );
    expect(runs[0]).toEqual({ rows: 51, inserted: 50, updated: 1 });
  });

  it('serves an OpenAPI 3.1 document describing the endpoint', async () => {
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown>; components: { schemas: { PushBody: { properties: { events: { maxItems: number } } } } } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/push/events');
    expect(doc.components.schemas.PushBody.properties.events.maxItems).toBe(1000);
  });
});
