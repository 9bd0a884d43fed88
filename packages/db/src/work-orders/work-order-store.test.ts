import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DomainError,
  departmentScope,
  wallClock,
  type Scope,
  type UnitCode,
  type WallClock,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActor,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { listWorkOrders } from './work-order-list.ts';
import { createWorkOrderRow, getWorkOrder, loadWorkOrder, transitionWorkOrder } from './work-order-store.ts';
import { openWorkOrderTestDatabase, withOwnTransactionConnections, type TestDatabase } from './test-database.ts';

const STREET = '510104001' as UnitCode;
const GRID = '510104001001001' as UnitCode;
const LOCATION = { districtCode: '510104' as UnitCode, streetCode: STREET, communityCode: '510104001001' as UnitCode, gridCode: GRID };

const territorial = (role: Scope['role'], unitCode: string, gridCodes: string[] | null = null): Scope => ({
  role,
  unitCode: unitCode as UnitCode,
  items: null,
  departmentCode: null,
  gridCodes: gridCodes as UnitCode[] | null,
  canSeePersonalData: false,
});
export const SCOPES = {
  city: territorial('city_commander', '5101'),
  district: territorial('district_analyst', '510104'),
  street: territorial('street_operator', STREET),
  otherStreet: territorial('street_operator', '510104002'),
  grid: territorial('grid_worker', '510104001001', [GRID]),
  d04: departmentScope('D04'),
  d03: departmentScope('D03'),
};
export const ACTORS: Record<keyof typeof SCOPES, WorkOrderActor> = {
  city: { username: 'city', role: 'city_commander', unitCode: '5101' },
  district: { username: 'jinjiang', role: 'district_analyst', unitCode: '510104' },
  street: { username: 'street-1', role: 'street_operator', unitCode: STREET },
  otherStreet: { username: 'street-2', role: 'street_operator', unitCode: '510104002' },
  // The session's unitCode is the community; the data layer acts as the order's grid.
  grid: { username: 'grid-1', role: 'grid_worker', unitCode: '510104001001' },
  d04: { username: 'dept-d04', role: 'department_officer', unitCode: '5101', departmentCode: 'D04' },
  d03: { username: 'dept-d03', role: 'department_officer', unitCode: '5101', departmentCode: 'D03' },
};

type Who = keyof typeof SCOPES;
type ActionWithoutVersion = WorkOrderAction extends infer A ? (A extends WorkOrderAction ? Omit<A, 'expectedVersion'> : never) : never;

let t: TestDatabase;
let db: Database;
beforeAll(async () => {
  t = await openWorkOrderTestDatabase();
  db = t.db;
});
afterAll(() => t.close());

async function create(id: string, at: WallClock, overrides: { urgency?: 'normal' | 'emergency'; item?: 'urban_management' | 'utilities' } = {}): Promise<WorkOrder> {
  const input = { id, origin: 'grid_report' as const, item: overrides.item ?? 'urban_management', urgency: overrides.urgency ?? 'normal', summary: '小区门口占道经营', location: LOCATION };
  return (await createWorkOrderRow(db, SCOPES.grid, ACTORS.grid, input, { at, ip: '10.0.0.8' })).order;
}

async function step(order: WorkOrder, who: Who, action: ActionWithoutVersion, at: WallClock): Promise<WorkOrder> {
  const full = { ...action, expectedVersion: order.version } as WorkOrderAction;
  return (await transitionWorkOrder(db, SCOPES[who], ACTORS[who], { id: order.id, action: full }, { at, ip: '10.0.0.9' })).order;
}

const errorOf = async (promise: Promise<unknown>): Promise<DomainError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
};

describe('work-order persistence', () => {
  it('persists every transition: the reloaded snapshot equals the machine’s order, history and audit included', async () => {
    let order = await create('WO-LIFE', wallClock(2026, 3, 2, 9));
    expect(order.history[0]!.actor.unitCode).toBe(GRID);
    order = await step(order, 'street', { type: 'accept' }, wallClock(2026, 3, 2, 9, 30));
    order = await step(order, 'street', { type: 'dispatch', assignee: { kind: 'department', code: 'D04' }, coHandlers: ['D03'] }, wallClock(2026, 3, 2, 10));
    order = await step(order, 'd04', { type: 'sign' }, wallClock(2026, 3, 2, 11));
    order = await step(order, 'd04', { type: 'start' }, wallClock(2026, 3, 2, 11, 5));
    order = await step(order, 'd04', { type: 'request_extension', requestedDueAt: wallClock(2026, 3, 20), reason: '需协调占道商户搬迁' }, wallClock(2026, 3, 3, 9));
    order = await step(order, 'city', { type: 'approve_extension', note: '同意' }, wallClock(2026, 3, 3, 10));
    order = await step(order, 'd03', { type: 'report_co_handling', feedback: '已核查油烟' }, wallClock(2026, 3, 4, 10));
    order = await step(order, 'd04', { type: 'dispose', feedback: '已清理占道' }, wallClock(2026, 3, 5, 15));
    order = await step(order, 'street', { type: 'record_return_visit', result: 'dissatisfied', note: '仍有摊位' }, wallClock(2026, 3, 6, 9));
    order = await step(order, 'street', { type: 'reopen', reason: '群众不满意，重办' }, wallClock(2026, 3, 6, 10));
    expect(order.state).toBe('dispatched');
    const reloaded = await loadWorkOrder(db, order.id);
    expect(reloaded).toEqual(order);

    const audit = await db.all<{ actor: string; action: string; target: string; detail: string; ip: string; at: Date }>(
      `SELECT actor, action, target, detail, ip, "at" FROM audit_log WHERE target = 'WO-LIFE' ORDER BY id`,
    );
    expect(audit.map((a) => a.action)).toEqual(order.history.map((r) => `work_order.${r.action}`));
    const reopen = JSON.parse(audit.at(-1)!.detail) as Record<string, unknown>;
    expect(audit.at(-1)).toMatchObject({ actor: 'street-1', ip: '10.0.0.9' });
    expect(reopen).toMatchObject({ version: 11, fromState: 'return_visit', toState: 'dispatched', at: '2026-03-06 10:00:00', reason: '群众不满意，重办' });
    expect(audit.every((a) => a.at instanceof Date)).toBe(true);
  });

  it('refuses an illegal transition with a clear Chinese message and writes nothing', async () => {
    const order = await create('WO-ILLEGAL', wallClock(2026, 3, 2, 9));
    const error = await errorOf(step(order, 'street', { type: 'dispose', feedback: '办完了' }, wallClock(2026, 3, 2, 10)));
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.message).toBe('工单 WO-ILLEGAL 当前状态为「已登记」，不能执行「办结」：仅在「办理中」状态下可执行');
    expect((await loadWorkOrder(db, order.id))!.version).toBe(1);
    const audit = await db.all(`SELECT * FROM audit_log WHERE target = 'WO-ILLEGAL'`);
    expect(audit).toHaveLength(1); // only the creation
  });

  it('refuses a stale version with CONFLICT', async () => {
    const order = await create('WO-STALE', wallClock(2026, 3, 2, 9));
    await step(order, 'street', { type: 'accept' }, wallClock(2026, 3, 2, 9, 10));
    const error = await errorOf(step(order, 'street', { type: 'accept' }, wallClock(2026, 3, 2, 9, 20)));
    expect(error.code).toBe('CONFLICT');
  });

  it('keeps another street out: it can neither read nor transition the order (FORBIDDEN, also for unknown ids)', async () => {
    const order = await create('WO-SCOPE', wallClock(2026, 3, 2, 9));
    expect((await getWorkOrder(db, SCOPES.street, order.id, wallClock(2026, 3, 2, 10))).order.id).toBe('WO-SCOPE');
    expect((await errorOf(getWorkOrder(db, SCOPES.otherStreet, order.id))).code).toBe('FORBIDDEN');
    expect((await errorOf(step(order, 'otherStreet', { type: 'accept' }, wallClock(2026, 3, 2, 10)))).code).toBe('FORBIDDEN');
    // An unknown id looks the same to a narrow scope (no existence oracle); the city gets NOT_FOUND.
    expect((await errorOf(getWorkOrder(db, SCOPES.otherStreet, 'WO-NOPE'))).code).toBe('FORBIDDEN');
    expect((await errorOf(getWorkOrder(db, SCOPES.city, 'WO-NOPE'))).code).toBe('NOT_FOUND');
    // A department sees an order only once it leads or co-handles it.
    expect((await errorOf(getWorkOrder(db, SCOPES.d04, order.id))).code).toBe('FORBIDDEN');
    const ids = async (scope: Scope) => (await listWorkOrders(db, scope, { limit: 500, offset: 0, at: wallClock(2026, 3, 2, 10) })).rows.map((r) => r.id);
    expect(await ids(SCOPES.street)).toContain('WO-SCOPE');
    expect(await ids(SCOPES.district)).toContain('WO-SCOPE');
    expect(await ids(SCOPES.otherStreet)).not.toContain('WO-SCOPE');
    expect(await ids(SCOPES.d03)).toEqual(['WO-LIFE']);
  });

  it('computes the SLA status at query time on fixed clocks (5 working days across the 2026 Spring Festival; 2 h emergencies)', async () => {
    // Created Fri 2026-02-13 10:00: due 2026-02-28 00:00 (make-up Sat 02-14, then 02-24…02-27).
    await create('WO-SLA-NORMAL', wallClock(2026, 2, 13, 10));
    await create('WO-SLA-EMERGENCY', wallClock(2026, 2, 13, 10), { urgency: 'emergency' });
    const statusAt = async (id: string, at: WallClock) =>
      (await listWorkOrders(db, SCOPES.street, { limit: 500, offset: 0, at })).rows.find((r) => r.id === id)?.slaStatus;
    expect(await statusAt('WO-SLA-NORMAL', wallClock(2026, 2, 20, 12))).toBe('on_track'); // mid-holiday: no working time used
    expect(await statusAt('WO-SLA-NORMAL', wallClock(2026, 2, 27, 9))).toBe('due_soon'); // last working day
    expect(await statusAt('WO-SLA-NORMAL', wallClock(2026, 2, 28, 0, 1))).toBe('overdue');
    expect(await statusAt('WO-SLA-EMERGENCY', wallClock(2026, 2, 13, 11))).toBe('on_track');
    expect(await statusAt('WO-SLA-EMERGENCY', wallClock(2026, 2, 13, 11, 40))).toBe('due_soon'); // last 24 min
    expect(await statusAt('WO-SLA-EMERGENCY', wallClock(2026, 2, 13, 12, 1))).toBe('overdue');
    const overdue = await listWorkOrders(db, SCOPES.street, { slaStatus: 'overdue', limit: 500, offset: 0, at: wallClock(2026, 2, 28, 0, 1) });
    expect(overdue.rows.map((r) => r.id).sort()).toEqual(['WO-SLA-EMERGENCY', 'WO-SLA-NORMAL']);
    expect(overdue.total).toBe(2);
    const byDue = await listWorkOrders(db, SCOPES.street, { orderBy: 'due', limit: 2, offset: 0, at: wallClock(2026, 2, 13, 11) });
    expect(byDue.rows.map((r) => r.id)).toEqual(['WO-SLA-EMERGENCY', 'WO-SLA-NORMAL']);
  });

  it('lists (one statement: counts + page) exactly what the TypeScript reference computes, order by order and clock by clock', async () => {
    let disposed = await create('WO-REF-DISPOSED', wallClock(2026, 4, 1, 9));
    disposed = await step(disposed, 'street', { type: 'accept' }, wallClock(2026, 4, 1, 9, 30));
    disposed = await step(disposed, 'street', { type: 'dispatch', assignee: { kind: 'department', code: 'D04' }, coHandlers: [] }, wallClock(2026, 4, 1, 10));
    disposed = await step(disposed, 'd04', { type: 'sign' }, wallClock(2026, 4, 1, 11));
    disposed = await step(disposed, 'd04', { type: 'start' }, wallClock(2026, 4, 1, 11, 5));
    await step(disposed, 'd04', { type: 'dispose', feedback: '已清理' }, wallClock(2026, 4, 9, 15));
    await create('WO-REF-NORMAL', wallClock(2026, 4, 3, 16)); // across the Qingming holiday
    await create('WO-REF-EMERGENCY', wallClock(2026, 4, 3, 16), { urgency: 'emergency' });
    await create('WO-REF-CLOCK', wallClock(2026, 4, 30, 17), { item: 'utilities' }); // utilities/normal: clock hours, across May Day
    const ids = ['WO-REF-DISPOSED', 'WO-REF-NORMAL', 'WO-REF-EMERGENCY', 'WO-REF-CLOCK'];
    const clocks = [wallClock(2026, 4, 3, 17), wallClock(2026, 4, 5, 12), wallClock(2026, 4, 8, 9), wallClock(2026, 4, 9, 16), wallClock(2026, 4, 10, 18),
      wallClock(2026, 4, 13, 8), wallClock(2026, 5, 1, 9), wallClock(2026, 5, 3, 23), wallClock(2026, 5, 6, 10), wallClock(2026, 6, 1)];
    const seen = new Set<string>();
    for (const at of clocks) {
      const list = await listWorkOrders(db, SCOPES.street, { limit: 500, offset: 0, at });
      const expected: Record<string, number> = { on_track: 0, due_soon: 0, overdue: 0, closed_on_time: 0, closed_late: 0 };
      for (const row of list.rows) {
        const reference = (await getWorkOrder(db, SCOPES.street, row.id, at)).slaStatus;
        expect([row.id, at, row.slaStatus]).toEqual([row.id, at, reference]);
        expected[reference]! += 1;
        if (ids.includes(row.id)) seen.add(`${row.id}:${reference}`);
      }
      expect(list.bySlaStatus).toEqual(expected);
      expect(list.total).toBe(list.rows.length);
      // A page past the end still carries the counts; a status filter pages within its own rows.
      const past = await listWorkOrders(db, SCOPES.street, { limit: 5, offset: 10_000, at });
      expect([past.rows, past.bySlaStatus, past.total]).toEqual([[], expected, list.total]);
      const overdue = await listWorkOrders(db, SCOPES.street, { slaStatus: 'overdue', limit: 500, offset: 0, at });
      expect(overdue.rows.map((r) => r.id).sort()).toEqual(list.rows.filter((r) => r.slaStatus === 'overdue').map((r) => r.id).sort());
      expect(overdue.total).toBe(expected['overdue']);
    }
    // The clocks exercise every status the orders can be in.
    expect([...seen].map((entry) => entry.split(':')[1]).sort()).toEqual(expect.arrayContaining(['closed_on_time', 'due_soon', 'on_track', 'overdue']));
  });
});

describe('concurrent transitions of one order', () => {
  async function race(database: Database, id: string): Promise<PromiseSettledResult<unknown>[]> {
    const order = await createWorkOrderRow(database, SCOPES.grid, ACTORS.grid, {
      id, origin: 'grid_report', item: 'urban_management', urgency: 'normal', summary: '井盖缺失', location: LOCATION,
    }, { at: wallClock(2026, 3, 2, 9) });
    const accept = { type: 'accept', expectedVersion: order.order.version } as const;
    return Promise.allSettled(
      Array.from({ length: 10 }, () => transitionWorkOrder(database, SCOPES.street, ACTORS.street, { id, action: accept }, { at: wallClock(2026, 3, 2, 10) })),
    );
  }

  function expectOneWinner(results: PromiseSettledResult<unknown>[]) {
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as DomainError).code] : []));
    expect(codes).toEqual(Array(9).fill('CONFLICT'));
  }

  it('on the shared connection (interim per-database mutex): exactly one wins, nine get CONFLICT', async () => {
    expectOneWinner(await race(db, 'WO-RACE-SHARED'));
    const rows = await db.all(`SELECT * FROM work_order_transitions WHERE order_id = 'WO-RACE-SHARED'`);
    expect(rows).toHaveLength(2);
  });

  it('on connections of their own (what database.ts should offer): DuckDB MVCC + the version check, one winner', async () => {
    const own = withOwnTransactionConnections(db, t.openAnother);
    expectOneWinner(await race(own, 'WO-RACE-OWN'));
    const order = await loadWorkOrder(db, 'WO-RACE-OWN');
    expect(order!.version).toBe(2);
    expect(order!.history.map((r) => r.version)).toEqual([1, 2]);
  });
});
