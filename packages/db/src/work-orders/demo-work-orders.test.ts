import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WORK_ORDER_STATES,
  cityScope,
  countServiceOrders,
  departmentScope,
  wallClock,
  workOrderSlaStatus,
  type MetricSubject,
  type WorkOrder,
} from '@cityops/domain';
import { generateDemoData } from '../generator/index.ts';
import { generateDemoWorkOrders, type DemoWorkOrderResult } from './demo-work-orders.ts';
import { listWorkOrders } from './work-order-list.ts';
import { monthPeriod, queryServiceMetrics } from './work-order-metrics.ts';
import { loadAllWorkOrdersUnscoped, replayWorkOrder } from './work-order-replay.ts';
import { openWorkOrderTestDatabase, type TestDatabase } from './test-database.ts';

let t: TestDatabase;
let result: DemoWorkOrderResult;
let orders: WorkOrder[];

beforeAll(async () => {
  t = await openWorkOrderTestDatabase();
  await generateDemoData(t.db, { scale: 0.4, months: 3, seed: 5, endMonth: '2026-03', rollups: false });
  const started = Date.now();
  result = await generateDemoWorkOrders(t.db, { seed: 5, months: 2, maxOrders: 900 });
  // Demo-scale budget: the default cap of 3,000 must stay within a few seconds.
  expect(Date.now() - started).toBeLessThan(8_000);
  orders = await loadAllWorkOrdersUnscoped(t.db);
}, 120_000);
afterAll(() => t.close());

describe('demo work orders', () => {
  it('go through the machine into every state, with all the side paths', () => {
    expect(result.orders).toBe(orders.length);
    expect(orders.length).toBeGreaterThan(200);
    for (const state of WORK_ORDER_STATES) expect(result.byState[state] ?? 0, state).toBeGreaterThan(0);
    const actions = new Set(orders.flatMap((o) => o.history.map((r) => r.action)));
    for (const action of ['return', 'request_extension', 'approve_extension', 'reject_extension', 'call_departments', 'report_co_handling', 'escalate', 'supervise', 'reopen']) {
      expect(actions, action).toContain(action);
    }
    const origins = new Set(orders.map((o) => o.origin));
    expect([...origins].sort()).toEqual(['grid_report', 'hotline_transfer', 'police_transfer']);
    const statuses = new Set(orders.map((o) => workOrderSlaStatus(o, result.asOf)));
    expect(statuses).toContain('overdue');
    expect(statuses).toContain('closed_late');
  });

  it('have consistent histories: replaying the transitions from 登记 reproduces each snapshot exactly', () => {
    for (const order of orders) {
      expect(order.history.map((r) => r.version)).toEqual(order.history.map((_, i) => i + 1));
      expect(replayWorkOrder(order, order.history)).toEqual(order);
    }
  });

  it('are refused a second time unless replaced', async () => {
    await expect(generateDemoWorkOrders(t.db, { seed: 5, maxOrders: 10 })).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});

describe('SQL twins of the domain arithmetic, on the demo orders', () => {
  it('queryServiceMetrics computes the same counts as countServiceOrders for units and departments', async () => {
    // The metrics count the source systems' cases too, except those a CityOps order replaces.
    // With the uncovered ones still there, the city counts more than its CityOps orders …
    const withSources = await queryServiceMetrics(t.db, cityScope(), { unitCode: '5101', month: '2026-03' });
    const ordersOnly = countServiceOrders(orders, { kind: 'unit', code: '5101' }, monthPeriod('2026-03'));
    expect(withSources.counts.received).toBeGreaterThan(ordersOnly.received);
    // … and without them, exactly the orders: the covered events are not counted a second time.
    await t.db.run(`DELETE FROM "events" WHERE "id" NOT IN (SELECT "source_event_id" FROM "work_orders" WHERE "source_event_id" IS NOT NULL)`);
    const covered = await t.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM "events" WHERE "dispatched_at" IS NOT NULL AND "source" = 'hotline'`);
    expect(covered[0]!.n).toBeGreaterThan(100);
    const subjects: MetricSubject[] = [
      { kind: 'unit', code: '5101' },
      { kind: 'unit', code: '510104' },
      { kind: 'unit', code: '510105001' },
      { kind: 'department', code: 'D04' },
      { kind: 'department', code: 'D01' },
    ];
    let compared = 0;
    for (const month of ['2026-02', '2026-03']) {
      for (const asOf of [undefined, wallClock(Number(month.slice(0, 4)), Number(month.slice(5)), 20, 12)]) {
        for (const subject of subjects) {
          const scope = subject.kind === 'unit' ? cityScope() : departmentScope(subject.code);
          const query = subject.kind === 'unit' ? { unitCode: subject.code } : { departmentCode: subject.code };
          const sql = await queryServiceMetrics(t.db, scope, { ...query, month, asOf });
          const pure = countServiceOrders(orders, subject, monthPeriod(month), asOf ? { asOf } : {});
          const { replyCycleWorkingDaysSum: sqlSum, ...sqlRest } = sql.counts;
          const { replyCycleWorkingDaysSum: pureSum, ...pureRest } = pure;
          expect(sqlRest, `${subject.code} ${month}`).toEqual(pureRest);
          expect(sqlSum).toBeCloseTo(pureSum, 6);
          compared += pure.received;
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('the list’s SQL SLA status equals workOrderSlaStatus for every order at several clocks', async () => {
    for (const at of [result.asOf, wallClock(2026, 3, 10, 9), wallClock(2026, 2, 16, 15)]) {
      const listed = await listWorkOrders(t.db, cityScope(), { limit: 500, offset: 0, at });
      const rest = await listWorkOrders(t.db, cityScope(), { limit: 500, offset: 500, at });
      const byId = new Map(orders.map((o) => [o.id, o]));
      for (const row of [...listed.rows, ...rest.rows]) expect(row.slaStatus, `${row.id} at ${at.toISOString()}`).toBe(workOrderSlaStatus(byId.get(row.id)!, at));
      expect(listed.total).toBe(orders.length);
    }
  });
});
