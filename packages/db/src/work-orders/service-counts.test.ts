import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROCESS_RATIOS,
  addServiceCounts,
  applyTransition,
  cityScope,
  computeServiceMetrics,
  countServiceOrders,
  createWorkOrder,
  departmentScope,
  emptyServiceCounts,
  processAggregatesFromServiceCounts,
  wallClock,
  type Assignee,
  type ServiceCounts,
  type WallClock,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActor,
  type WorkOrderRecord,
} from '@cityops/domain';
import { loadMonthInputs } from '../index-store/index-inputs.ts';
import { serviceMetricsMigration } from '../migrations/0008-service-metrics.ts';
import { migrate } from '../migrations/index.ts';
import type { Migration } from '../migrations/types.ts';
import { queryKpis } from '../queries/kpis.ts';
import { loadUnits } from '../units-store.ts';
import { writeSyntheticUnitsCsv } from '../testing/synthetic-units.ts';
import { countServiceCases, ensureServiceCountsFresh, readPrecomputedServiceCounts, refreshServiceCounts, serviceCountsSettled } from './service-counts.ts';
import { WORK_ORDER_TEST_MIGRATIONS, openWorkOrderTestDatabase, type TestDatabase } from './test-database.ts';
import { monthPeriod, queryServiceMetrics } from './work-order-metrics.ts';
import { TRANSITION_APPEND_KINDS, WORK_ORDER_APPEND_KINDS, transitionValues, workOrderValues } from './work-order-rows.ts';

/**
 * Hand-built cases: source-system events and CityOps orders in one street, one of the orders
 * raised from one of the events. Proves (1) the counts are exactly what the definitions say,
 * the covered event counted once; (2) the index's service inputs of a unit-month equal the
 * work-order metrics of that unit-month; (3) the dashboards' per-source rates use the same counts.
 */
const STREET = '510104001';
const GRID = '510104001001001';
const OTHER_GRID = '510104002001001';
const MARCH = '2026-03';
const REFRESHED = wallClock(2026, 4, 15, 12);

let t: TestDatabase;
const orders: WorkOrder[] = [];

const placeholder = (version: number): Migration => ({ version, name: `placeholder ${version} (service-count tests)`, up: async () => undefined, tables: {} });

let eventId = 0;
async function insertEvent(fields: {
  source: 'hotline' | 'petition' | 'police';
  grid?: string;
  receivedAt: WallClock;
  dispatchedAt?: WallClock | null;
  firstResponseAt?: WallClock | null;
  dueAt?: WallClock | null;
  closedAt?: WallClock | null;
  returnVisit?: string | null;
  handlingUnit?: string | null;
  handlingDept?: string | null;
}): Promise<number> {
  eventId += 1;
  const grid = fields.grid ?? GRID;
  const ts = (value: WallClock | null | undefined) => (value ? value.toISOString().slice(0, 19).replace('T', ' ') : null);
  await t.db.run(
    `INSERT INTO "events" ("id", "source", "external_id", "received_at", "channel", "nature", "category", "summary", "lng", "lat", "location_approximate",
       "h3r7", "h3r8", "h3r9", "district_code", "street_code", "community_code", "grid_code", "urgency", "status",
       "dispatched_at", "first_response_at", "due_at", "closed_at", "handling_unit", "handling_dept", "return_visit", "ingested_at", "updated_at")
     VALUES ($id, $source, $ext, $received::TIMESTAMP, 'phone', 'complaint', 'urban_management', '测试', 104.0, 30.6, false,
       'x', 'x', 'x', $district, $street, $community, $grid, 'normal', 'received',
       $dispatched::TIMESTAMP, $responded::TIMESTAMP, $due::TIMESTAMP, $closed::TIMESTAMP, $unit, $dept, $visit, $received::TIMESTAMP, $received::TIMESTAMP)`,
    {
      id: eventId, source: fields.source, ext: `T-${eventId}`, received: ts(fields.receivedAt),
      district: grid.slice(0, 6), street: grid.slice(0, 9), community: grid.slice(0, 12), grid,
      dispatched: ts(fields.dispatchedAt), responded: ts(fields.firstResponseAt), due: ts(fields.dueAt), closed: ts(fields.closedAt),
      unit: fields.handlingUnit === undefined ? grid.slice(0, 9) : fields.handlingUnit, dept: fields.handlingDept ?? null, visit: fields.returnVisit ?? null,
    },
  );
  return eventId;
}

const city: WorkOrderActor = { username: 'c', role: 'city_commander', unitCode: '5101' };
const street: WorkOrderActor = { username: 's', role: 'street_operator', unitCode: STREET };
const grid: WorkOrderActor = { username: 'g', role: 'grid_worker', unitCode: GRID };
const streetHolder: Assignee = { kind: 'street', code: STREET };

/** An order through the real machine; `steps` are [actor, action without version, time]. */
async function insertOrder(
  id: string,
  origin: 'hotline_transfer' | 'grid_report',
  gridCode: string,
  createdAt: WallClock,
  steps: [WorkOrderActor, Record<string, unknown>, WallClock][],
  sourceEventId: number | null,
): Promise<WorkOrder> {
  const location = { districtCode: gridCode.slice(0, 6), streetCode: gridCode.slice(0, 9), communityCode: gridCode.slice(0, 12), gridCode } as WorkOrder['location'];
  const created = createWorkOrder({ id, origin, item: 'urban_management', urgency: 'normal', summary: '测试工单', location, ...(sourceEventId ? { sourceRef: `T-${sourceEventId}` } : {}) }, origin === 'grid_report' && gridCode === GRID ? grid : city, createdAt);
  let order = created.order;
  const records: WorkOrderRecord[] = [created.record];
  for (const [actor, step, at] of steps) {
    const result = applyTransition(order, { ...step, expectedVersion: order.version } as WorkOrderAction, actor, at);
    order = result.order;
    records.push(result.record);
  }
  await t.db.appendRows('work_orders', WORK_ORDER_APPEND_KINDS, [workOrderValues(order, sourceEventId)]);
  await t.db.appendRows('work_order_transitions', TRANSITION_APPEND_KINDS, records.map((r) => transitionValues(r)));
  orders.push(order);
  return order;
}

beforeAll(async () => {
  t = await openWorkOrderTestDatabase();
  await migrate(t.db, [...WORK_ORDER_TEST_MIGRATIONS, placeholder(5), placeholder(6), placeholder(7), serviceMetricsMigration]);

  // E1 12345, Mon 03-02 09:00 → responded 10:00 (limit: end of Tue 03-03), closed Thu 03-05 09:00 (3 working days), 满意, due 03-09.
  await insertEvent({ source: 'hotline', receivedAt: wallClock(2026, 3, 2, 8), dispatchedAt: wallClock(2026, 3, 2, 9), firstResponseAt: wallClock(2026, 3, 2, 10), dueAt: wallClock(2026, 3, 9), closedAt: wallClock(2026, 3, 5, 9), returnVisit: 'satisfied' });
  // E2 petition, Tue 03-10 09:00, never answered, still open past its due time 03-20: counts against 响应率 and 按时办结率.
  await insertEvent({ source: 'petition', receivedAt: wallClock(2026, 3, 10, 8), dispatchedAt: wallClock(2026, 3, 10, 9), dueAt: wallClock(2026, 3, 20) });
  // E3 12345 answered on the call (never dispatched): not a work order.
  await insertEvent({ source: 'hotline', receivedAt: wallClock(2026, 3, 11, 8), closedAt: wallClock(2026, 3, 11, 8, 10) });
  // E4 a 110 call: police handling is not a service case.
  await insertEvent({ source: 'police', receivedAt: wallClock(2026, 3, 12, 8), dispatchedAt: wallClock(2026, 3, 12, 8, 5), dueAt: wallClock(2026, 3, 12, 10) });
  // E6 12345 led by department D04, Mon 03-16 09:00, answered late (03-18 10:00 > end of 03-17), due 03-25, closed 04-02 (after the month), 不满意 on 04-02.
  await insertEvent({ source: 'hotline', receivedAt: wallClock(2026, 3, 16, 8), dispatchedAt: wallClock(2026, 3, 16, 9), firstResponseAt: wallClock(2026, 3, 18, 10), dueAt: wallClock(2026, 3, 25), closedAt: wallClock(2026, 4, 2, 9), returnVisit: 'dissatisfied', handlingUnit: null, handlingDept: 'D04' });
  // E7 12345 in the other street: not this street's.
  await insertEvent({ source: 'hotline', grid: OTHER_GRID, receivedAt: wallClock(2026, 3, 3, 8), dispatchedAt: wallClock(2026, 3, 3, 9), dueAt: wallClock(2026, 3, 10) });
  // E5 12345, 03-03: a CityOps order O1 was raised from it — the order replaces it.
  const e5 = await insertEvent({ source: 'hotline', receivedAt: wallClock(2026, 3, 3, 9), dispatchedAt: wallClock(2026, 3, 3, 9, 30), firstResponseAt: wallClock(2026, 3, 3, 11), dueAt: wallClock(2026, 3, 10), closedAt: wallClock(2026, 3, 10, 9), returnVisit: 'satisfied' });

  // O1: disposed, 不满意, 重办, disposed again, 满意, closed.
  await insertOrder('WO-O1', 'hotline_transfer', GRID, wallClock(2026, 3, 3, 9), [
    [city, { type: 'accept' }, wallClock(2026, 3, 3, 9, 10)],
    [city, { type: 'dispatch', assignee: streetHolder }, wallClock(2026, 3, 3, 9, 30)],
    [street, { type: 'sign' }, wallClock(2026, 3, 3, 11)],
    [street, { type: 'start' }, wallClock(2026, 3, 3, 11, 30)],
    [street, { type: 'dispose', feedback: '已处理' }, wallClock(2026, 3, 6, 9)],
    [city, { type: 'record_return_visit', result: 'dissatisfied', note: '未解决' }, wallClock(2026, 3, 6, 15)],
    [city, { type: 'reopen', reason: '回访不满意' }, wallClock(2026, 3, 7, 10)],
    [street, { type: 'sign' }, wallClock(2026, 3, 9, 9)],
    [street, { type: 'start' }, wallClock(2026, 3, 9, 9, 30)],
    [street, { type: 'dispose', feedback: '已彻底处理' }, wallClock(2026, 3, 10, 9)],
    [city, { type: 'record_return_visit', result: 'satisfied' }, wallClock(2026, 3, 11, 10)],
    [city, { type: 'close' }, wallClock(2026, 3, 11, 11)],
  ], e5);
  // O2: a grid report dispatched to the street on 03-20 and never signed for.
  await insertOrder('WO-O2', 'grid_report', GRID, wallClock(2026, 3, 20, 9), [
    [street, { type: 'accept' }, wallClock(2026, 3, 20, 9, 30)],
    [street, { type: 'dispatch', assignee: streetHolder }, wallClock(2026, 3, 20, 10)],
  ], null);
  // O3: another street's order.
  await insertOrder('WO-O3', 'grid_report', OTHER_GRID, wallClock(2026, 3, 4, 9), [
    [city, { type: 'accept' }, wallClock(2026, 3, 4, 9, 30)],
    [city, { type: 'dispatch', assignee: { kind: 'street', code: '510104002' } }, wallClock(2026, 3, 4, 10)],
  ], null);
}, 60_000);
afterAll(() => t?.close());

/** E1 + E2 + E6 of the street in March, by hand (E3, E4 are no work orders, E5 is O1's, E7 elsewhere). */
const SOURCE_CASES_MARCH: ServiceCounts = {
  ...emptyServiceCounts(),
  received: 3,
  responseJudged: 3,
  respondedInTime: 1,
  disposed: 1,
  everDisposed: 1,
  dueInPeriod: 3,
  disposedOnTime: 1,
  returnVisited: 1,
  satisfied: 1,
  replyCycleCount: 1,
  replyCycleWorkingDaysSum: 3,
};

function streetOrders(): WorkOrder[] {
  return orders.filter((o) => o.location.streetCode === STREET);
}

describe('service counts: one definition over source cases and CityOps orders', () => {
  it('counts a street-month exactly: source cases by hand + CityOps orders by the domain reference, the covered event once', async () => {
    const ordersPart = countServiceOrders(orders, { kind: 'unit', code: STREET }, monthPeriod(MARCH));
    expect(ordersPart).toMatchObject({ received: 2, respondedInTime: 1, reopened: 1, returnVisited: 2, dissatisfied: 1 });
    const expected = addServiceCounts(SOURCE_CASES_MARCH, ordersPart);
    const live = await queryServiceMetrics(t.db, cityScope(), { unitCode: STREET, month: MARCH });
    const { replyCycleWorkingDaysSum: sum, ...rest } = live.counts;
    const { replyCycleWorkingDaysSum: expectedSum, ...expectedRest } = expected;
    expect(rest).toEqual(expectedRest);
    expect(sum).toBeCloseTo(expectedSum, 9);
    // 按时办结率 with the open overdue petition in the denominator: (E1 + O1) ÷ (E1 + E2 + E6 + O1 + O2 if due in March).
    expect(live.metrics.onTimeDispositionRate).toBe(expected.disposedOnTime / expected.dueInPeriod);
    expect(live.metrics.onTimeDispositionRate!).toBeLessThan(1);
  });

  it('judges a finished month at its end and the running one as of the refresh (per-month asOf)', async () => {
    const april = await queryServiceMetrics(t.db, cityScope(), { unitCode: STREET, month: '2026-04', asOf: REFRESHED });
    // E6 closed on 04-02 (received in March): April's reply cycle and visits, not April's receipts.
    expect(april.counts).toMatchObject({ received: 0, replyCycleCount: 1, returnVisited: 1, dissatisfied: 1 });
  });

  it('the index reads, for every level of a unit-month, exactly the counts of workOrders.metrics', async () => {
    await refreshServiceCounts(t.db, { asOf: REFRESHED });
    const inputs = await loadMonthInputs(t.db, MARCH);
    const april = await loadMonthInputs(t.db, '2026-04');
    const cases: [string, typeof inputs, WallClock | undefined][] = [
      [GRID, inputs, undefined], ['510104001001', inputs, undefined], [STREET, inputs, undefined], ['510104', inputs, undefined], ['5101', inputs, undefined],
      ['510104002', inputs, undefined], [STREET, april, REFRESHED],
    ];
    for (const [code, monthInputs, asOf] of cases) {
      const unit = monthInputs.units.find((u) => u.code === code)!;
      const metrics = await queryServiceMetrics(t.db, cityScope(), { unitCode: code, month: monthInputs.month, asOf });
      // Whether workOrders.metrics read the table (finished month, exact) or counted live, the live count agrees.
      const period = monthPeriod(monthInputs.month);
      const live = await countServiceCases(t.db, { kind: 'unit', code }, period, asOf ?? period.to);
      expect({ ...metrics.counts, replyCycleWorkingDaysSum: 0 }, `${code} live`).toEqual({ ...live, replyCycleWorkingDaysSum: 0 });
      expect(metrics.counts.replyCycleWorkingDaysSum).toBeCloseTo(live.replyCycleWorkingDaysSum, 9);
      expect(unit.process, `${code} ${monthInputs.month}`).toEqual(processAggregatesFromServiceCounts(metrics.counts, { demands: 0, repeatDemands: 0, policeCalls: 0, policeMatters: 0 }));
      // The index's raw service rates are the metrics' rates (before its smoothing).
      const rate = (id: 'response_rate' | 'completion_rate' | 'on_time_completion_rate' | 'satisfaction_rate') => {
        const { numerator, denominator } = PROCESS_RATIOS[id];
        return unit.process[denominator] > 0 ? unit.process[numerator] / unit.process[denominator] : null;
      };
      expect([rate('response_rate'), rate('completion_rate'), rate('on_time_completion_rate'), rate('satisfaction_rate')]).toEqual([
        metrics.metrics.responseRate, metrics.metrics.dispositionRate, metrics.metrics.onTimeDispositionRate, metrics.metrics.satisfactionRate,
      ]);
    }
    const street = inputs.units.find((u) => u.code === STREET)!;
    expect(street.process.received).toBe(5);
    expect(inputs.units.find((u) => u.code === '510104002')!.process.received).toBe(2); // E7 + O3
  });

  it('workOrders.metrics reads a finished month from the table only while the table is exact', async () => {
    const march = monthPeriod(MARCH);
    const fromTable = await readPrecomputedServiceCounts(t.db, { kind: 'unit', code: STREET }, march);
    expect(fromTable).not.toBeNull();
    expect(fromTable!.received).toBe(5);
    // Any change to the data makes the table inexact until recounted (writers stamp updated_at
    // with the time of the change, as an import of a later status does): then the metrics count live.
    await t.db.run(`UPDATE "events" SET "updated_at" = TIMESTAMP '2026-04-14 08:00:00' WHERE "id" = 1`);
    expect(await readPrecomputedServiceCounts(t.db, { kind: 'unit', code: STREET }, march)).toBeNull();
    expect((await queryServiceMetrics(t.db, cityScope(), { unitCode: STREET, month: MARCH })).counts.received).toBe(5);
    await refreshServiceCounts(t.db, { asOf: REFRESHED });
    // The running month (April, counted to 04-15) is never read from the table as if finished.
    expect(await readPrecomputedServiceCounts(t.db, { kind: 'unit', code: STREET }, monthPeriod('2026-04'))).toBeNull();
  });

  it('departments: the table row equals the live metrics of the department (its lead cases only)', async () => {
    await ensureServiceCountsFresh(t.db, { now: REFRESHED });
    const [row] = await t.db.all<{ received: number; response_judged: number; responded_in_time: number }>(
      `SELECT sum("received")::INTEGER AS "received", sum("response_judged")::INTEGER AS "response_judged", sum("responded_in_time")::INTEGER AS "responded_in_time"
       FROM "service_counts_monthly" WHERE "subject_kind" = 'department' AND "subject_code" = 'D04' AND "month" = '2026-03-01'`,
    );
    const live = await queryServiceMetrics(t.db, departmentScope('D04'), { departmentCode: 'D04', month: MARCH });
    expect(live.counts).toMatchObject({ received: 1, responseJudged: 1, respondedInTime: 0 });
    expect(row).toEqual({ received: live.counts.received, response_judged: live.counts.responseJudged, responded_in_time: live.counts.respondedInTime });
  });

  it('the dashboards’ per-source rates come from the same counts', async () => {
    const kpis = await queryKpis(t.db, cityScope(), { unitCode: STREET, month: MARCH });
    const petition = kpis.find((k) => k.source === 'petition')!;
    // E2 alone: not answered, not disposed, overdue and open.
    expect([petition.responseRate, petition.completionRate, petition.onTimeRate, petition.overdueRate, petition.overdue]).toEqual([0, 0, 0, 1, 1]);
    const hotline = kpis.find((k) => k.source === 'hotline')!;
    // E1 + E6 + O1 (from 12345): in time E1, O1; disposed by month end E1, O1; visits E1 满意, O1 不满意 + 满意.
    expect([hotline.responseRate, hotline.completionRate, hotline.satisfactionRate, hotline.reopenRate]).toEqual([2 / 3, 2 / 3, 2 / 3, 1 / 2]);
    // All sources together (O2 is a grid report: in no source row) equal the street's metrics.
    const live = await queryServiceMetrics(t.db, cityScope(), { unitCode: STREET, month: MARCH });
    expect(kpis.reduce((n, k) => n + k.dissatisfied, 0)).toBe(live.counts.dissatisfied);
    expect(computeServiceMetrics(live.counts).satisfactionRate).toBe(2 / 3);
  });

  it('recounts when the data change and not otherwise', async () => {
    // The KPI read above found counts taken in April stale today and recounts in the background.
    await serviceCountsSettled(t.db);
    expect(await ensureServiceCountsFresh(t.db, { now: REFRESHED })).toBe(false);
    await insertEvent({ source: 'petition', receivedAt: wallClock(2026, 3, 25, 8), dispatchedAt: wallClock(2026, 3, 25, 9), dueAt: wallClock(2026, 4, 8) });
    expect(await ensureServiceCountsFresh(t.db, { now: REFRESHED })).toBe(true);
    const inputs = await loadMonthInputs(t.db, MARCH);
    expect(inputs.units.find((u) => u.code === STREET)!.process.received).toBe(6);
  });

  it('dashboards read stale counts at once while the recount runs in the background', async () => {
    await serviceCountsSettled(t.db);
    await refreshServiceCounts(t.db, { asOf: REFRESHED });
    const before = (await loadMonthInputs(t.db, MARCH)).units.find((u) => u.code === STREET)!.process.received;
    await insertEvent({ source: 'petition', receivedAt: wallClock(2026, 3, 26, 8), dispatchedAt: wallClock(2026, 3, 26, 9), dueAt: wallClock(2026, 4, 9) });
    // Stale (the data changed, no tolerance): the background caller is answered without a recount…
    expect(await ensureServiceCountsFresh(t.db, { now: REFRESHED, background: true })).toBe(false);
    const [{ received }] = (await t.db.all<{ received: number }>(
      `SELECT sum("received")::INTEGER AS "received" FROM "service_counts_monthly" WHERE "subject_kind" = 'unit' AND "subject_code" = $street AND "month" = '2026-03-01'`,
      { street: STREET },
    )) as [{ received: number }];
    expect(received).toBe(before);
    // …and the recount it started lands: the new case is counted, nothing is left to do.
    await serviceCountsSettled(t.db);
    expect((await loadMonthInputs(t.db, MARCH)).units.find((u) => u.code === STREET)!.process.received).toBe(before + 1);
    expect(await ensureServiceCountsFresh(t.db, { now: REFRESHED })).toBe(false);
  });
});
