import { describe, expect, it } from 'vitest';
import type { ReturnVisitResult } from '../event-schema.ts';
import {
  addServiceCounts,
  computeServiceMetrics,
  countServiceOrders,
  emptyServiceCounts,
  onTimeDispositionRate,
  type MetricPeriod,
  type MetricSubject,
} from './service-metrics.ts';
import { ACTORS, LOCATION, act, newOrder } from './test-fixtures.ts';
import type { UnitCode } from '../units.ts';
import { wallClock, type WallClock } from './wall-clock.ts';
import type { Assignee, WorkOrder } from './work-order-types.ts';

const MARCH: MetricPeriod = { from: wallClock(2026, 3, 1), to: wallClock(2026, 4, 1) };
const STREET: MetricSubject = { kind: 'unit', code: '510104001' };
const STREET_HOLDER: Assignee = { kind: 'street', code: '510104001' };

let serial = 0;
/** A hand-built order snapshot: only the fields the metrics read matter. */
function order(fields: Partial<WorkOrder> & { dueAt: WallClock }): WorkOrder {
  serial += 1;
  const base = newOrder({ id: `M-${serial}` }, wallClock(2026, 2, 20, 9));
  return { ...base, state: 'dispatched', assignee: STREET_HOLDER, ...fields };
}
const visit = (result: ReturnVisitResult, at: WallClock) => ({ result, at, note: null });

describe('按时办结率: open overdue orders count against it', () => {
  it('a unit sitting on overdue cases scores low, although everything it closed was on time', () => {
    const orders = [
      ...[1, 2].map((d) => order({ dueAt: wallClock(2026, 3, 10), disposedAt: wallClock(2026, 3, d + 5), state: 'disposed' })),
      ...[1, 2, 3, 4, 5, 6, 7, 8].map(() => order({ dueAt: wallClock(2026, 3, 10) })), // still open, overdue
    ];
    const counts = countServiceOrders(orders, STREET, MARCH);
    expect(counts).toMatchObject({ dueInPeriod: 10, disposedOnTime: 2 });
    expect(onTimeDispositionRate(counts)).toBe(0.2);
    // The trap this definition avoids: "closed on time ÷ closed" would report 100%.
    const closed = orders.filter((o) => o.disposedAt !== null);
    expect(closed.filter((o) => o.disposedAt! <= o.dueAt).length / closed.length).toBe(1);

    // A unit that disposed all ten, one of them late, ranks far higher, as it should.
    const diligent = [
      ...Array.from({ length: 9 }, () => order({ dueAt: wallClock(2026, 3, 10), disposedAt: wallClock(2026, 3, 9), state: 'closed' })),
      order({ dueAt: wallClock(2026, 3, 10), disposedAt: wallClock(2026, 3, 12), state: 'closed' }),
    ];
    expect(onTimeDispositionRate(countServiceOrders(diligent, STREET, MARCH))).toBe(0.9);
  });

  it('only deadlines in the period that have passed by asOf are judged; late disposal after the period still counts as late', () => {
    const orders = [
      order({ dueAt: wallClock(2026, 3, 20), disposedAt: wallClock(2026, 4, 3), state: 'disposed' }), // late, disposed in April
      order({ dueAt: wallClock(2026, 3, 28) }), // not yet due on 03-25
      order({ dueAt: wallClock(2026, 2, 27) }), // due in February: not in March's denominator
    ];
    expect(countServiceOrders(orders, STREET, MARCH, { asOf: wallClock(2026, 4, 30) })).toMatchObject({ dueInPeriod: 2, disposedOnTime: 0 });
    expect(countServiceOrders(orders, STREET, MARCH, { asOf: wallClock(2026, 3, 25) })).toMatchObject({ dueInPeriod: 1, disposedOnTime: 0 });
  });
});

describe('the other metrics on hand-built cases', () => {
  const due = wallClock(2026, 4, 20); // outside March: these orders do not touch 按时办结率
  const received = [
    // responded in time, disposed Mon 03-02 09:00 → Wed 03-04 09:00 = 2 working days
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 2, 9), responseDueAt: wallClock(2026, 3, 3), firstResponseAt: wallClock(2026, 3, 2, 10), disposedAt: wallClock(2026, 3, 4, 9), state: 'closed', returnVisits: [visit('satisfied', wallClock(2026, 3, 5))] }),
    // responded in time, Fri 09:00 → Mon 09:00 = 15 h + 9 h = 1 working day; reopened after 不满意, then satisfied
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 6, 9), responseDueAt: wallClock(2026, 3, 10), firstResponseAt: wallClock(2026, 3, 6, 9, 30), disposedAt: wallClock(2026, 3, 9, 9), reopenCount: 1, state: 'closed', returnVisits: [visit('dissatisfied', wallClock(2026, 3, 7)), visit('basically_satisfied', wallClock(2026, 3, 10))] }),
    // responded late; still in progress
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 10, 9), responseDueAt: wallClock(2026, 3, 12), firstResponseAt: wallClock(2026, 3, 13, 9), state: 'in_progress' }),
    // never responded, window long closed
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 16, 9), responseDueAt: wallClock(2026, 3, 18) }),
    // dispatched at the very end of March: its response window is still open, so not judged yet
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 31, 23), responseDueAt: wallClock(2026, 4, 2) }),
    // reopened and back with the street: disposed once, not now
    order({ dueAt: due, dispatchedAt: wallClock(2026, 3, 18, 9), responseDueAt: wallClock(2026, 3, 20), firstResponseAt: wallClock(2026, 3, 18, 10), reopenCount: 1, returnVisits: [visit('satisfied', wallClock(2026, 2, 27)), visit('dissatisfied', wallClock(2026, 3, 25))] }),
  ];
  // Located in the other street (属地), whoever holds them — one of them a department.
  const inStreet2 = { ...LOCATION, streetCode: '510104002' as UnitCode, communityCode: '510104002001' as UnitCode, gridCode: '510104002001001' as UnitCode };
  const elsewhere = [
    order({ dueAt: due, location: inStreet2, assignee: { kind: 'street', code: '510104002' }, dispatchedAt: wallClock(2026, 3, 2, 9), responseDueAt: wallClock(2026, 3, 3) }),
    order({ dueAt: due, location: inStreet2, assignee: { kind: 'department', code: 'D04' }, dispatchedAt: wallClock(2026, 3, 2, 9), responseDueAt: wallClock(2026, 3, 3), firstResponseAt: wallClock(2026, 3, 2, 9, 5) }),
    order({ dueAt: due, dispatchedAt: wallClock(2026, 2, 27, 9), responseDueAt: wallClock(2026, 3, 2) }), // received in February
  ];
  const counts = countServiceOrders([...received, ...elsewhere], STREET, MARCH);

  it('derives the counts', () => {
    expect(counts).toEqual({
      received: 6,
      responseJudged: 5,
      respondedInTime: 3,
      disposed: 2,
      dueInPeriod: 0,
      disposedOnTime: 0,
      returnVisited: 4,
      satisfied: 1,
      basicallySatisfied: 1,
      dissatisfied: 2,
      replyCycleCount: 2,
      replyCycleWorkingDaysSum: 3,
      everDisposed: 3,
      reopened: 2,
    });
  });

  it('computes the rates from the counts', () => {
    expect(computeServiceMetrics(counts)).toEqual({
      responseRate: 3 / 5, // 响应率
      dispositionRate: 2 / 6, // 办结率
      onTimeDispositionRate: null, // nothing fell due in March: "—", not 0% or 100%
      satisfactionRate: 2 / 4, // 满意率: every visit counts, including the 不满意 before a 重办
      averageReplyCycleWorkingDays: 1.5,
      reopenRate: 2 / 3,
    });
  });

  it('rolls territorial units up and keeps departments apart', () => {
    const all = [...received, ...elsewhere];
    expect(countServiceOrders(all, { kind: 'unit', code: '510104' }, MARCH).received).toBe(8); // 属地: the department-held order in 510104002 too
    expect(countServiceOrders(all, { kind: 'unit', code: '5101' }, MARCH).received).toBe(8);
    expect(countServiceOrders(all, { kind: 'department', code: 'D04' }, MARCH)).toMatchObject({ received: 1, respondedInTime: 1, responseJudged: 1 });
    expect(countServiceOrders(all, { kind: 'unit', code: '510104002' }, MARCH)).toMatchObject({ received: 2, responseJudged: 2, respondedInTime: 1 });
  });

  it('attributes by place (属地): a department-held order counts for the street it arose in and for the department; an order nobody holds (退回) still counts', () => {
    const heldByDepartment = order({ dueAt: due, assignee: { kind: 'department', code: 'D04' }, dispatchedAt: wallClock(2026, 3, 3, 9), responseDueAt: wallClock(2026, 3, 4) });
    const returned = order({ dueAt: due, assignee: null, dispatchedAt: wallClock(2026, 3, 3, 9), responseDueAt: wallClock(2026, 3, 4) });
    expect(countServiceOrders([heldByDepartment, returned], STREET, MARCH)).toMatchObject({ received: 2, responseJudged: 2, respondedInTime: 0 });
    expect(countServiceOrders([heldByDepartment, returned], { kind: 'unit', code: '510104001001001' }, MARCH).received).toBe(2);
    expect(countServiceOrders([heldByDepartment, returned], { kind: 'department', code: 'D04' }, MARCH).received).toBe(1);
    expect(countServiceOrders([heldByDepartment], { kind: 'unit', code: '510104002' }, MARCH).received).toBe(0);
  });

  it('counts add up, so the db may sum per-street counts into a district', () => {
    const a = countServiceOrders(received, STREET, MARCH);
    const b = countServiceOrders(elsewhere, { kind: 'unit', code: '510104002' }, MARCH);
    const district = countServiceOrders([...received, ...elsewhere], { kind: 'unit', code: '510104' }, MARCH);
    expect(addServiceCounts(a, b)).toEqual(district);
    expect(computeServiceMetrics(emptyServiceCounts())).toEqual({
      responseRate: null,
      dispositionRate: null,
      onTimeDispositionRate: null,
      satisfactionRate: null,
      averageReplyCycleWorkingDays: null,
      reopenRate: null,
    });
  });
});

describe('metrics from orders that went through the machine', () => {
  it('a street whose orders ran the loop', () => {
    let o = newOrder({ id: 'E-1' }, wallClock(2026, 3, 2, 9));
    o = act(o, { type: 'accept' }, ACTORS.street, wallClock(2026, 3, 2, 9, 5));
    o = act(o, { type: 'dispatch', assignee: STREET_HOLDER }, ACTORS.street, wallClock(2026, 3, 2, 9, 10));
    o = act(o, { type: 'sign' }, ACTORS.street, wallClock(2026, 3, 2, 10));
    o = act(o, { type: 'start' }, ACTORS.street, wallClock(2026, 3, 2, 10));
    o = act(o, { type: 'dispose', feedback: '已清理' }, ACTORS.street, wallClock(2026, 3, 4, 9, 10));
    o = act(o, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.district, wallClock(2026, 3, 5, 9));
    o = act(o, { type: 'close' }, ACTORS.district, wallClock(2026, 3, 5, 9));
    const counts = countServiceOrders([o], STREET, MARCH);
    expect(counts).toMatchObject({ received: 1, respondedInTime: 1, disposed: 1, dueInPeriod: 1, disposedOnTime: 1, returnVisited: 1, satisfied: 1, replyCycleCount: 1, replyCycleWorkingDaysSum: 2 });
  });
});
