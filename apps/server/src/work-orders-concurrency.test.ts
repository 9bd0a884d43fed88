import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '@cityops/api';
import { TrpcHttpClient, type TrpcResult } from './testing/trpc-http.ts';
import { startTestServer, type TestServer } from './testing/test-server.ts';

/**
 * Optimistic versioning end to end: the real express app (helmet, cookie parsing, the tRPC
 * middleware, the error mapping) over a copy of the demo database, with sessions obtained by
 * logging in over HTTP — each parallel request carries its own client's session cookie.
 */
type OrderReply = { order: { id: string; version: number; state: string; history: { version: number; action: string }[] } };

let server: TestServer;
let grid: TrpcHttpClient;
const desks: TrpcHttpClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  grid = new TrpcHttpClient(server.baseUrl);
  expect((await grid.login('grid', DEMO_PASSWORD)).status).toBe(200);
  // Ten street-desk sessions, as if ten operators (or ten browser tabs) pressed 签收 at once.
  for (let i = 0; i < 10; i += 1) {
    const desk = new TrpcHttpClient(server.baseUrl);
    expect((await desk.login('jgy', DEMO_PASSWORD)).status).toBe(200);
    expect(desk.cookie).toMatch(/=/);
    desks.push(desk);
  }
}, 120_000);
afterAll(async () => {
  await server?.close();
});

async function transition(client: TrpcHttpClient, id: string, action: Record<string, unknown>): Promise<TrpcResult<OrderReply>> {
  return client.mutate<OrderReply>('workOrders.transition', { id, action });
}

describe('work orders through the express app', () => {
  it('10 parallel 签收 with real session cookies: one wins, 9 get CONFLICT, the version moves by one, one transition and one audit line', async () => {
    const created = await grid.mutate<OrderReply>('workOrders.create', {
      origin: 'grid_report',
      item: 'urban_management',
      urgency: 'normal',
      summary: '并发签收测试：路灯不亮',
      gridCode: '510104017001001',
    });
    expect(created.error).toBeUndefined();
    const id = created.data!.order.id;
    let version = created.data!.order.version;
    for (const action of [{ type: 'accept' }, { type: 'dispatch', assignee: { kind: 'street', code: '510104017' } }]) {
      const reply = await transition(desks[0]!, id, { ...action, expectedVersion: version });
      expect(reply.error).toBeUndefined();
      version = reply.data!.order.version;
    }

    const replies = await Promise.all(desks.map((desk) => transition(desk, id, { type: 'sign', expectedVersion: version })));
    const won = replies.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(won[0]!.data!.order).toMatchObject({ state: 'signed', version: version + 1 });
    const refused = replies.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.error?.data.code])).toEqual(Array(9).fill([409, 'CONFLICT']));

    const detail = await desks[0]!.query<OrderReply>('workOrders.byId', { id });
    expect(detail.data!.order).toMatchObject({ state: 'signed', version: version + 1 });
    expect(detail.data!.order.history.filter((r) => r.action === 'sign')).toHaveLength(1);

    const transitions = await server.db.all<{ version: number; action: string }>(
      `SELECT "version", "action" FROM "work_order_transitions" WHERE "order_id" = $id ORDER BY "version"`,
      { id },
    );
    expect(transitions.map((r) => r.version)).toEqual(Array.from({ length: version + 1 }, (_, i) => i + 1));
    expect(transitions.filter((r) => r.action === 'sign')).toHaveLength(1);
    const audit = await server.db.all<{ actor: string; n: number }>(
      `SELECT "actor", count(*)::INTEGER AS n FROM "audit_log" WHERE "target" = $id AND "action" = 'work_order.sign' GROUP BY ALL`,
      { id },
    );
    expect(audit).toEqual([{ actor: 'jgy', n: 1 }]);
  });
});
