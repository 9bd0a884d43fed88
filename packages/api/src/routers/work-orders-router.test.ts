import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import { createSession, upsertUser } from '@cityops/db/auth-store';
import { openWorkOrderTestDatabase, type TestDatabase } from '@cityops/db/work-orders/test-database';
import { hashSessionToken, newSessionToken } from '../auth/password.ts';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { DEFAULT_API_CONFIG, createContextFromSession, memoryCookieJar, type ApiDeps } from '../context.ts';
import { DEMO_USERS } from '../demo-users.ts';
import { LiveBus, type LiveMessage } from '../live/live-bus.ts';
import { router } from '../trpc.ts';
import { workOrdersRouter } from './work-orders-router.ts';

/**
 * Against a real HTTP server (tRPC's node adapter) sharing one database connection across
 * requests, as the production server does; sessions are real (hashed tokens in `sessions`).
 * The app router is not imported: this file tests one router, registered as `workOrders`.
 */
const testRouter = router({ workOrders: workOrdersRouter });

interface Reply<T = Record<string, unknown>> {
  status: number;
  data?: T;
  error?: { message: string; data: { code: string } };
}

let t: TestDatabase;
let server: Server;
let baseUrl: string;
const tokens = new Map<string, string>();
const live: LiveMessage[] = [];

async function call<T = Record<string, unknown>>(user: string, kind: 'query' | 'mutation', path: string, input: unknown): Promise<Reply<T>> {
  const headers = { 'x-test-session': tokens.get(user) ?? '', 'content-type': 'application/json' };
  const response =
    kind === 'query'
      ? await fetch(`${baseUrl}/workOrders.${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${baseUrl}/workOrders.${path}`, { method: 'POST', headers, body: JSON.stringify(input) });
  const body = (await response.json()) as { result?: { data: T }; error?: Reply['error'] };
  return { status: response.status, ...(body.result ? { data: body.result.data } : {}), ...(body.error ? { error: body.error } : {}) };
}

type OrderReply = { order: { id: string; version: number; state: string; dueAt: string; history: { actor: { username: string; unitCode: string } }[] } };

async function createOrder(summary: string): Promise<OrderReply['order']> {
  const reply = await call<OrderReply>('grid', 'mutation', 'create', { origin: 'grid_report', item: 'urban_management', urgency: 'normal', summary, gridCode: '510104017001001' });
  expect(reply.error).toBeUndefined();
  return reply.data!.order;
}

async function step(user: string, id: string, action: Record<string, unknown>): Promise<Reply<OrderReply>> {
  return call<OrderReply>(user, 'mutation', 'transition', { id, action });
}

beforeAll(async () => {
  t = await openWorkOrderTestDatabase();
  // The demo users' street 510104017 with one community of three grids (the synthetic units lack it).
  await t.db.run(`INSERT INTO units VALUES ('510104017', '锦官驿街道', 'street', '510104', 0, 0, NULL, NULL), ('510104017001', '社区', 'community', '510104017', 0, 0, NULL, NULL),
    ('510104017001001', '网格1', 'grid', '510104017001', 0, 0, NULL, NULL), ('510104017001002', '网格2', 'grid', '510104017001', 0, 0, NULL, NULL), ('510104017001003', '网格3', 'grid', '510104017001', 0, 0, NULL, NULL)`);
  const users = [...DEMO_USERS, { ...DEMO_USERS.find((u) => u.username === 'jgy')!, username: 'other-street', unitCode: '510104018' }];
  for (const user of users) {
    await upsertUser(t.db, { ...user, passwordHash: 'not-used-sessions-are-created-directly' });
    const token = newSessionToken();
    await createSession(t.db, hashSessionToken(token, DEFAULT_API_CONFIG.sessionSecret), user.username, 60);
    tokens.set(user.username, token);
  }
  const liveBus = new LiveBus();
  liveBus.publish = (message) => void live.push(message);
  const deps: ApiDeps = { db: t.db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(200, 400), liveBus };
  server = createHTTPServer({
    router: testRouter,
    createContext: ({ req }) => {
      const token = req.headers['x-test-session'];
      return createContextFromSession(deps, { ip: req.socket.remoteAddress ?? null, userAgent: null }, memoryCookieJar(typeof token === 'string' && token ? token : null));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  t.close();
});

describe('workOrders router over HTTP', () => {
  it('concurrent transitions of one order: exactly one of 10 parallel 签收 wins, 9 get CONFLICT, nothing is lost', async () => {
    const order = await createOrder('路灯不亮');
    let version = order.version;
    for (const action of [{ type: 'accept' }, { type: 'dispatch', assignee: { kind: 'street', code: '510104017' } }]) {
      version = (await step('jgy', order.id, { ...action, expectedVersion: version })).data!.order.version;
    }
    const replies = await Promise.all(Array.from({ length: 10 }, () => step('jgy', order.id, { type: 'sign', expectedVersion: version })));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = replies.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.error?.data.code])).toEqual(Array(9).fill([409, 'CONFLICT']));
    expect(refused[0]!.error!.message).toMatch(/已被他人(同时)?更新.*请刷新后重试/);
    const detail = await call<OrderReply>('jgy', 'query', 'byId', { id: order.id });
    expect(detail.data!.order).toMatchObject({ state: 'signed', version: version + 1 });
    expect(detail.data!.order.history).toHaveLength(version + 1);
  });

  it('concurrent transitions of different orders all succeed', async () => {
    const orders = await Promise.all(Array.from({ length: 8 }, (_, i) => createOrder(`井盖松动 ${i}`)));
    const replies = await Promise.all(orders.map((o) => step('jgy', o.id, { type: 'accept', expectedVersion: o.version })));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(replies.every((r) => r.data!.order.version === 2)).toBe(true);
  });

  it('records every change in the audit log with actor, time, reason and address, and announces it live', async () => {
    const order = await createOrder('占道经营');
    // The grid worker's session unit is the community; the order records the grid itself.
    expect(order.history[0]!.actor).toMatchObject({ username: 'grid', unitCode: '510104017001001' });
    await step('jgy', order.id, { type: 'accept', expectedVersion: 1 });
    await step('jgy', order.id, { type: 'dispatch', expectedVersion: 2, assignee: { kind: 'grid', code: '510104017001001' } });
    const returned = await step('grid', order.id, { type: 'return', expectedVersion: 3, reason: '需执法部门处理，非网格职责' });
    expect(returned.data!.order.state).toBe('accepted');
    const audit = await t.db.all<{ actor: string; action: string; detail: string; ip: string }>(
      `SELECT actor, action, detail, ip FROM audit_log WHERE target = ? ORDER BY id`,
      [order.id],
    );
    expect(audit.map((a) => [a.actor, a.action])).toEqual([['grid', 'work_order.create'], ['jgy', 'work_order.accept'], ['jgy', 'work_order.dispatch'], ['grid', 'work_order.return']]);
    expect(audit[3]!.ip).toMatch(/127\.0\.0\.1/);
    expect(JSON.parse(audit[3]!.detail)).toMatchObject({ reason: '需执法部门处理，非网格职责', fromState: 'dispatched', toState: 'accepted', version: 4 });
    expect(live.filter((m) => m.kind === 'work_order' && m.id === order.id).map((m) => (m.kind === 'work_order' ? m.action : ''))).toEqual(['create', 'accept', 'dispatch', 'return']);
  });

  it('refuses an illegal transition with a clear Chinese message (412) and a bad deadline text (400)', async () => {
    const order = await createOrder('垃圾清运不及时');
    const illegal = await step('jgy', order.id, { type: 'sign', expectedVersion: 1 });
    expect(illegal.status).toBe(412);
    expect(illegal.error!.message).toBe(`工单 ${order.id} 当前状态为「已登记」，不能执行「签收」：仅在「已派单」状态下可执行`);
    const bad = await step('jgy', order.id, { type: 'request_extension', expectedVersion: 1, requestedDueAt: '2026-13-01', reason: 'x' });
    expect(bad.status).toBe(400);
  });

  it('accepts an extension deadline as wall-clock text and returns times as wall-clock text', async () => {
    const order = await createOrder('小区路面塌陷');
    let v = 1;
    for (const action of [{ type: 'accept' }, { type: 'dispatch', assignee: { kind: 'street', code: '510104017' } }, { type: 'sign' }]) {
      v = (await step('jgy', order.id, { ...action, expectedVersion: v })).data!.order.version;
    }
    const requested = await step('jgy', order.id, { type: 'request_extension', expectedVersion: v, requestedDueAt: '2099-01-15 18:00', reason: '需燃气公司配合' });
    expect(requested.status).toBe(200);
    const approved = await step('jinjiang', order.id, { type: 'approve_extension', expectedVersion: v + 1 });
    expect(approved.data!.order.dueAt).toBe('2099-01-15 18:00:00');
  });

  it('keeps another street out: it can neither read, list nor transition the order (403)', async () => {
    const order = await createOrder('噪音扰民');
    expect((await call('other-street', 'query', 'byId', { id: order.id })).status).toBe(403);
    expect((await step('other-street', order.id, { type: 'accept', expectedVersion: 1 })).status).toBe(403);
    const listed = await call<{ rows: { id: string }[] }>('other-street', 'query', 'list', {});
    expect(listed.data!.rows.map((r) => r.id)).not.toContain(order.id);
    const mine = await call<{ rows: { id: string }[]; total: number }>('jgy', 'query', 'list', { state: 'created', limit: 200 });
    expect(mine.data!.rows.map((r) => r.id)).toContain(order.id);
    // A department sees nothing it neither leads nor co-handles; the market officer's metrics are its own.
    expect((await call('market', 'query', 'byId', { id: order.id })).status).toBe(403);
    expect((await call('market', 'query', 'metrics', { unitCode: '510104', month: '2026-01' })).status).toBe(403);
    expect((await call('market', 'query', 'metrics', { departmentCode: 'D01', month: '2026-01' })).status).toBe(200);
    expect((await call('jgy', 'query', 'metrics', { unitCode: '510104018', month: '2026-01' })).status).toBe(403);
  });

  it('serves the street’s metrics for a month', async () => {
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    const reply = await call<{ counts: { received: number }; metrics: { responseRate: number | null }; asOf: string }>('jgy', 'query', 'metrics', { unitCode: '510104017', month });
    expect(reply.status).toBe(200);
    expect(reply.data!.counts.received).toBeGreaterThan(0);
    expect(reply.data!.asOf).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
  });

  it('mobilises every grid of the street and tracks acknowledgements and completions', async () => {
    const broadcast = await call<{ id: string; grids: number }>('jgy', 'mutation', 'mobilisation.broadcast', { title: '高温红色预警：独居老人逐户走访', areaCode: '510104017' });
    expect(broadcast.data!.grids).toBe(3);
    const taskId = broadcast.data!.id;
    await call('grid', 'mutation', 'mobilisation.acknowledge', { taskId, gridCode: '510104017001001' });
    const done = await call<{ summary: { completedWithinStandard: number; acknowledged: number } }>('grid', 'mutation', 'mobilisation.complete', { taskId, gridCode: '510104017001001', note: '已走访 41 户' });
    expect(done.data!.summary).toMatchObject({ completedWithinStandard: 1, acknowledged: 1 });
    expect((await call('grid', 'mutation', 'mobilisation.complete', { taskId, gridCode: '510104017001002' })).status).toBe(403);
    const byDistrict = await call<{ summary: { total: number; inProgress: number } }>('jinjiang', 'query', 'mobilisation.summary', { taskId });
    expect(byDistrict.data!.summary).toMatchObject({ total: 3, inProgress: 2 });
    expect((await call('other-street', 'query', 'mobilisation.summary', { taskId })).status).toBe(403);
  });
  it('lets the city center register and dispatch a major event to a district or a department in one call', async () => {
    const base = { origin: 'alert', item: 'urban_management', urgency: 'urgent', summary: '重大事件：锦官驿街道道路塌陷', gridCode: '510104017001002' };
    const toDistrict = await call<{ order: { id: string; state: string; assignee: { kind: string; code: string } } }>('city', 'mutation', 'create', { ...base, dispatchTo: { kind: 'district', code: '510104', note: '请区城运中心牵头处置' } });
    expect(toDistrict.status).toBe(200);
    expect(toDistrict.data!.order).toMatchObject({ state: 'dispatched', assignee: { kind: 'district', code: '510104' } });
    const history = await call<{ order: { history: { action: string }[] } }>('city', 'query', 'byId', { id: toDistrict.data!.order.id });
    expect(history.data!.order.history.map((h) => h.action)).toEqual(['create', 'accept', 'dispatch']);
    const toDepartment = await call<{ order: { assignee: { kind: string; code: string } } }>('city', 'mutation', 'create', { ...base, dispatchTo: { kind: 'department', code: 'D04' } });
    expect(toDepartment.data!.order.assignee).toEqual({ kind: 'department', code: 'D04' });
    // A district outside the place is refused by the machine (the order stays 已登记 with the city).
    const wrong = await call('city', 'mutation', 'create', { ...base, dispatchTo: { kind: 'district', code: '510105' } });
    expect(wrong.status).toBe(400);
    expect(wrong.error!.message).toContain('不包含工单所在网格');
  });
});
