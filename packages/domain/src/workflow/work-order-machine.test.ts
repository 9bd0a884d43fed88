import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { ACTORS, act, minutesAfter, newOrder, step, type ActionInput } from './test-fixtures.ts';
import { wallClock } from './wall-clock.ts';
import { actionsAllowedIn, applyTransition, workOrderSlaStatus } from './work-order-machine.ts';
import { WORK_ORDER_ACTIONS, type WorkOrder, type WorkOrderAction } from './work-order-types.ts';

const T0 = wallClock(2026, 3, 2, 9); // Monday
const t = (minutes: number) => minutesAfter(T0, minutes);

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

/** created → accepted (street) → dispatched to the street itself → signed → in_progress. */
function inProgressAtStreet(): WorkOrder {
  let order = newOrder({}, T0);
  order = act(order, { type: 'accept' }, ACTORS.street, t(5));
  order = act(order, { type: 'dispatch', assignee: { kind: 'street', code: '510104001' } }, ACTORS.street, t(10));
  order = act(order, { type: 'sign' }, ACTORS.street, t(20));
  return act(order, { type: 'start' }, ACTORS.street, t(30));
}

describe('work-order machine: the loop 社区发现 → 街镇呼叫 → 部门响应 → 协同整治 → 回访', () => {
  it('runs the whole loop with a whistle, joint handling and a return visit', () => {
    let order = inProgressAtStreet();
    order = act(order, { type: 'call_departments', departments: ['D04', 'D03'], reason: '占道经营兼油烟扰民' }, ACTORS.street, t(40));
    expect(order.coHandlers.map((c) => [c.departmentCode, c.joinedBy])).toEqual([['D04', 'whistle'], ['D03', 'whistle']]);

    const early = errorOf(() => act(order, { type: 'dispose', feedback: '已整治' }, ACTORS.street, t(50)));
    expect(early.code).toBe('ILLEGAL_TRANSITION');
    expect(early.message).toContain('D04');

    order = act(order, { type: 'report_co_handling', feedback: '已取缔占道摊点' }, ACTORS.urbanManagement, t(60));
    order = act(order, { type: 'report_co_handling', feedback: '油烟净化器已安装' }, ACTORS.environment, t(70));
    order = act(order, { type: 'dispose', feedback: '联合整治完毕' }, ACTORS.street, t(80));
    // The street handled it, so it may not rate itself: the district visits and closes.
    expect(errorOf(() => act(order, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.street, t(90))).code).toBe('FORBIDDEN');
    order = act(order, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.district, t(90));
    const { order: closed, record } = step(order, { type: 'close' }, ACTORS.district, t(95));

    expect(closed.state).toBe('closed');
    expect(closed.version).toBe(closed.history.length);
    expect(closed.history.map((r) => r.action)).toEqual([
      'create', 'accept', 'dispatch', 'sign', 'start', 'call_departments',
      'report_co_handling', 'report_co_handling', 'dispose', 'record_return_visit', 'close',
    ]);
    expect(record).toMatchObject({ action: 'close', fromState: 'return_visit', toState: 'closed', actor: { username: 'district-1', role: 'district_analyst', unitCode: '510104' } });
    expect(closed).toMatchObject({ acceptedAt: t(5), dispatchedAt: t(10), firstResponseAt: t(20), signedAt: t(20), disposedAt: t(80), returnVisitedAt: t(90), closedAt: t(95) });
    expect(workOrderSlaStatus(closed, t(100))).toBe('closed_on_time');
  });

  it('handles a 12345 transfer to a lead department with a co-handler, then 重办 after 不满意', () => {
    let order = newOrder({ id: 'WO-12345', origin: 'hotline_transfer', item: 'utilities', sourceRef: '12345-20260302-001' }, T0, ACTORS.city);
    expect(order.dueAt).toEqual(t(24 * 60)); // utilities: 24 clock hours
    order = act(order, { type: 'accept' }, ACTORS.city, t(1));
    order = act(order, { type: 'dispatch', assignee: { kind: 'department', code: 'D11' }, coHandlers: ['D04'] }, ACTORS.city, t(2));
    expect(errorOf(() => act(order, { type: 'sign' }, ACTORS.urbanManagement, t(3))).code).toBe('FORBIDDEN');
    order = act(order, { type: 'sign' }, ACTORS.utilities, t(3));
    order = act(order, { type: 'start' }, ACTORS.utilities, t(4));
    order = act(order, { type: 'report_co_handling', feedback: '配合开挖' }, ACTORS.urbanManagement, t(60));
    order = act(order, { type: 'dispose', feedback: '爆管已修复' }, ACTORS.utilities, t(120));
    order = act(order, { type: 'record_return_visit', result: 'dissatisfied', note: '水压仍低' }, ACTORS.city, t(180));
    order = act(order, { type: 'close' }, ACTORS.city, t(181));

    const reopened = act(order, { type: 'reopen', reason: '回访不满意，水压未恢复' }, ACTORS.city, t(200));
    expect(reopened).toMatchObject({ state: 'dispatched', reopenCount: 1, disposedAt: null, closedAt: null, returnVisitResult: null, signedAt: null });
    expect(reopened.firstResponseAt).toEqual(t(3));
    expect(reopened.returnVisits.map((v) => v.result)).toEqual(['dissatisfied']);
    expect(reopened.coHandlers[0]!.reportedAt).toBeNull();
    expect(reopened.dueAt).toEqual(t(200 + 24 * 60));
    const resigned = act(reopened, { type: 'sign' }, ACTORS.utilities, t(210));
    expect(resigned.signedAt).toEqual(t(210));
    expect(resigned.firstResponseAt).toEqual(t(3));
  });

  it('refuses 重办 unless the return visit was 不满意', () => {
    let order = inProgressAtStreet();
    order = act(order, { type: 'dispose', feedback: '已处理' }, ACTORS.street, t(40));
    order = act(order, { type: 'record_return_visit', result: 'basically_satisfied' }, ACTORS.district, t(50));
    const error = errorOf(() => act(order, { type: 'reopen', reason: '抽查' }, ACTORS.city, t(60)));
    expect(error.code).toBe('ILLEGAL_TRANSITION');
    expect(error.message).toContain('不满意');
  });

  it('退回 sends a wrongly assigned order back to the dispatcher with its reason', () => {
    let order = newOrder({}, T0);
    order = act(order, { type: 'accept' }, ACTORS.street, t(1));
    order = act(order, { type: 'dispatch', assignee: { kind: 'grid', code: '510104001001001' } }, ACTORS.street, t(2));
    expect(errorOf(() => act(order, { type: 'return', reason: '  ' }, ACTORS.grid, t(3))).code).toBe('BAD_INPUT');
    expect(errorOf(() => act(order, { type: 'return', reason: '不属本网格' }, ACTORS.otherGrid, t(3))).code).toBe('FORBIDDEN');
    const { order: back, record } = step(order, { type: 'return', reason: '属物业管理范围，非本网格事项' }, ACTORS.grid, t(3));
    expect(back).toMatchObject({ state: 'accepted', assignee: null, dispatchedAt: null, lastReturnReason: '属物业管理范围，非本网格事项', dispatcherUnitCode: '510104001' });
    expect(record).toMatchObject({ action: 'return', reason: '属物业管理范围，非本网格事项', payload: { returnedBy: { kind: 'grid', code: '510104001001001' } } });
    const redispatched = act(back, { type: 'dispatch', assignee: { kind: 'department', code: 'D02' } }, ACTORS.street, t(4));
    expect(redispatched.assignee).toEqual({ kind: 'department', code: 'D02' });
  });

  it('延期: the holder requests, only an upper tier decides, approval moves the deadline', () => {
    let order = inProgressAtStreet();
    const requestedDueAt = wallClock(2026, 3, 20);
    expect(errorOf(() => act(order, { type: 'request_extension', requestedDueAt: T0, reason: '需协调' }, ACTORS.street, t(40))).code).toBe('BAD_INPUT');
    expect(errorOf(() => act(order, { type: 'request_extension', requestedDueAt, reason: '需协调' }, ACTORS.grid, t(40))).code).toBe('FORBIDDEN');
    order = act(order, { type: 'request_extension', requestedDueAt, reason: '涉及多个产权单位' }, ACTORS.street, t(40));
    expect(errorOf(() => act(order, { type: 'request_extension', requestedDueAt, reason: '再次' }, ACTORS.street, t(41))).code).toBe('ILLEGAL_TRANSITION');
    expect(errorOf(() => act(order, { type: 'approve_extension' }, ACTORS.street, t(42))).code).toBe('FORBIDDEN');
    expect(errorOf(() => act(order, { type: 'approve_extension' }, ACTORS.otherDistrict, t(42))).code).toBe('FORBIDDEN');
    const previousDueAt = order.dueAt;
    order = act(order, { type: 'approve_extension', note: '同意' }, ACTORS.district, t(43));
    expect(order).toMatchObject({ state: 'in_progress', dueAt: requestedDueAt, extensionCount: 1 });
    expect(order.extension).toMatchObject({ status: 'approved', previousDueAt, decidedBy: 'district-1' });

    order = act(order, { type: 'request_extension', requestedDueAt: wallClock(2026, 4, 30), reason: '再延' }, ACTORS.street, t(50));
    order = act(order, { type: 'reject_extension', reason: '不予延期' }, ACTORS.city, t(51));
    expect(order).toMatchObject({ dueAt: requestedDueAt, extensionCount: 1, extension: { status: 'rejected' } });
    expect(errorOf(() => act(order, { type: 'approve_extension' }, ACTORS.city, t(52))).code).toBe('ILLEGAL_TRANSITION');
  });

  it('a department holder’s extension is decided by the city, not a district', () => {
    let order = newOrder({}, T0);
    order = act(order, { type: 'accept' }, ACTORS.city, t(1));
    order = act(order, { type: 'dispatch', assignee: { kind: 'department', code: 'D04' } }, ACTORS.city, t(2));
    order = act(order, { type: 'sign' }, ACTORS.urbanManagement, t(3));
    order = act(order, { type: 'request_extension', requestedDueAt: wallClock(2026, 4, 1), reason: '需执法程序' }, ACTORS.urbanManagement, t(4));
    expect(errorOf(() => act(order, { type: 'approve_extension' }, ACTORS.district, t(5))).code).toBe('FORBIDDEN');
    expect(act(order, { type: 'approve_extension' }, ACTORS.city, t(5)).dueAt).toEqual(wallClock(2026, 4, 1));
  });

  it('升级 climbs grid → street → district → city and stops there; a district hands down to a department', () => {
    let order = newOrder({}, T0);
    order = act(order, { type: 'accept' }, ACTORS.street, t(1));
    order = act(order, { type: 'dispatch', assignee: { kind: 'grid', code: '510104001001001' } }, ACTORS.street, t(2));
    order = act(order, { type: 'sign' }, ACTORS.grid, t(3));
    order = act(order, { type: 'escalate', reason: '网格无法处置' }, ACTORS.grid, t(4));
    expect(order).toMatchObject({ state: 'dispatched', assignee: { kind: 'street', code: '510104001' }, escalationCount: 1, signedAt: null, firstResponseAt: null, dispatchedAt: t(4) });
    // A street cannot hand down to a city department (that is 吹哨), only to its grids.
    expect(errorOf(() => act(order, { type: 'dispatch', assignee: { kind: 'department', code: 'D04' } }, ACTORS.street, t(5))).code).toBe('BAD_INPUT');
    order = act(order, { type: 'escalate', reason: '街镇无法协调' }, ACTORS.street, t(5));
    expect(order.assignee).toEqual({ kind: 'district', code: '510104' });
    order = act(order, { type: 'escalate', reason: '跨区事项' }, ACTORS.district, t(6));
    expect(order.assignee).toEqual({ kind: 'city', code: '5101' });
    const stop = errorOf(() => act(order, { type: 'escalate', reason: '再升级' }, ACTORS.city, t(7)));
    expect(stop.code).toBe('ILLEGAL_TRANSITION');
    order = act(order, { type: 'dispatch', assignee: { kind: 'department', code: 'D12' }, coHandlers: ['D04'] }, ACTORS.city, t(8));
    expect(order).toMatchObject({ state: 'dispatched', assignee: { kind: 'department', code: 'D12' } });
    expect(errorOf(() => act(order, { type: 'escalate', reason: '部门升级' }, { ...ACTORS.urbanManagement, departmentCode: 'D12' }, t(9))).code).toBe('ILLEGAL_TRANSITION');
  });

  it('a city-held order can still be visited and extended: the city tier has nobody above it', () => {
    let order = newOrder({}, T0);
    order = act(order, { type: 'accept' }, ACTORS.district, t(1));
    order = act(order, { type: 'dispatch', assignee: { kind: 'district', code: '510104' } }, ACTORS.district, t(2));
    order = act(order, { type: 'escalate', reason: '需市级统筹' }, ACTORS.district, t(3));
    order = act(order, { type: 'sign' }, ACTORS.city, t(4));
    order = act(order, { type: 'request_extension', requestedDueAt: wallClock(2026, 4, 1), reason: '跨部门统筹' }, ACTORS.city, t(5));
    expect(errorOf(() => act(order, { type: 'approve_extension' }, ACTORS.city, t(6))).code).toBe('FORBIDDEN'); // not one's own request
    order = act(order, { type: 'approve_extension' }, { ...ACTORS.city, username: 'city-2' }, t(6));
    order = act(order, { type: 'start' }, ACTORS.city, t(7));
    order = act(order, { type: 'dispose', feedback: '已统筹解决' }, ACTORS.city, t(8));
    expect(errorOf(() => act(order, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.street, t(9))).code).toBe('FORBIDDEN');
    order = act(order, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.city, t(9));
    expect(act(order, { type: 'close' }, ACTORS.city, t(10)).state).toBe('closed');
  });

  it('督办 flags the order for an upper tier only and never changes the state', () => {
    const order = inProgressAtStreet();
    expect(errorOf(() => act(order, { type: 'supervise', note: '加快办理' }, ACTORS.street, t(40))).code).toBe('FORBIDDEN');
    expect(errorOf(() => act(order, { type: 'supervise', note: '加快办理' }, ACTORS.grid, t(40))).code).toBe('FORBIDDEN');
    expect(errorOf(() => act(order, { type: 'supervise', note: '加快办理' }, ACTORS.otherDistrict, t(40))).code).toBe('FORBIDDEN');
    const supervised = act(order, { type: 'supervise', note: '群众反映强烈，请三日内办结' }, ACTORS.district, t(40));
    expect(supervised).toMatchObject({ state: 'in_progress', supervised: true, version: order.version + 1 });
    expect(supervised.supervisionNotes).toEqual([{ note: '群众反映强烈，请三日内办结', by: 'district-1', unitCode: '510104', at: t(40) }]);
  });

  it('closed orders refuse everything but 重办, with a message naming the state and the action', () => {
    let order = inProgressAtStreet();
    order = act(order, { type: 'dispose', feedback: '已处理' }, ACTORS.street, t(40));
    order = act(order, { type: 'record_return_visit', result: 'satisfied' }, ACTORS.district, t(50));
    order = act(order, { type: 'close' }, ACTORS.district, t(51));
    for (const type of WORK_ORDER_ACTIONS.filter((a) => a !== 'reopen')) {
      expect(actionsAllowedIn('closed')).toEqual(['reopen']);
      const action = { type, expectedVersion: order.version, reason: '理由', note: '说明', feedback: '反馈', result: 'satisfied', departments: ['D01'], requestedDueAt: wallClock(2026, 12, 1), assignee: { kind: 'street', code: '510104001' } };
      const error = errorOf(() => applyTransition(order, action as unknown as WorkOrderAction, ACTORS.city, t(60)));
      expect(error.code, type).toBe('ILLEGAL_TRANSITION');
      expect(error.message).toContain('「已结案」');
    }
    expect(errorOf(() => act(order, { type: 'sign' }, ACTORS.street, t(60))).message).toBe(
      '工单 WO-1 当前状态为「已结案」，不能执行「签收」：仅在「已派单」状态下可执行',
    );
  });

  it('refuses to be mutated in place, and refuses time running backwards', () => {
    const order = inProgressAtStreet();
    expect(() => {
      (order as { state: string }).state = 'closed';
    }).toThrow(TypeError);
    expect(errorOf(() => act(order, { type: 'dispose', feedback: '已处理' }, ACTORS.street, t(10))).code).toBe('BAD_INPUT');
    expect(order.state).toBe('in_progress');
  });

  it('refuses dispatching upward, outside the order’s place, or from another street', () => {
    let order = newOrder({}, T0);
    expect(errorOf(() => act(order, { type: 'accept' }, ACTORS.otherStreet, t(1))).code).toBe('FORBIDDEN');
    expect(errorOf(() => act(order, { type: 'accept' }, ACTORS.urbanManagement, t(1))).code).toBe('FORBIDDEN');
    order = act(order, { type: 'accept' }, ACTORS.street, t(1));
    const dispatch = (code: string, kind: 'street' | 'district' | 'grid' = 'street') => ({ type: 'dispatch', assignee: { kind, code } }) as ActionInput;
    expect(errorOf(() => act(order, dispatch('510104002'), ACTORS.street, t(2))).code).toBe('BAD_INPUT');
    expect(errorOf(() => act(order, dispatch('510104', 'district'), ACTORS.street, t(2))).code).toBe('BAD_INPUT');
    expect(errorOf(() => act(order, dispatch('51010400100100', 'grid'), ACTORS.street, t(2))).code).toBe('BAD_INPUT');
    expect(errorOf(() => act(order, dispatch('510104001'), ACTORS.otherStreet, t(2))).code).toBe('FORBIDDEN');
    expect(act(order, dispatch('510104001'), ACTORS.district, t(2)).assignee).toEqual({ kind: 'street', code: '510104001' });
  });
});

describe('work-order machine: optimistic versioning', () => {
  it('a stale expectedVersion is a CONFLICT, checked before anything else', () => {
    const order = inProgressAtStreet();
    const stale = { type: 'dispose', feedback: '已处理', expectedVersion: order.version - 1 } as const;
    const error = errorOf(() => applyTransition(order, stale, ACTORS.street, t(40)));
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ currentVersion: order.version, expectedVersion: order.version - 1 });
    // Even an action that would also be illegal reports the conflict: the client must reload first.
    expect(errorOf(() => applyTransition(order, { type: 'close', expectedVersion: 1 }, ACTORS.city, t(40))).code).toBe('CONFLICT');
  });

  it('of concurrent transitions from one version exactly one wins (compare-and-set store)', () => {
    const store = new Map<string, WorkOrder>([['WO-1', inProgressAtStreet()]]);
    const read = store.get('WO-1')!;
    // Three clients loaded the same version and submit at once; the store applies them in turn.
    const submissions: [WorkOrderAction, typeof ACTORS.street | typeof ACTORS.district][] = [
      [{ type: 'dispose', feedback: '已处理', expectedVersion: read.version }, ACTORS.street],
      [{ type: 'supervise', note: '督办', expectedVersion: read.version }, ACTORS.district],
      [{ type: 'request_extension', requestedDueAt: wallClock(2026, 4, 1), reason: '延期', expectedVersion: read.version }, ACTORS.street],
    ];
    const outcomes = submissions.map(([action, actor]) => {
      try {
        store.set('WO-1', applyTransition(store.get('WO-1')!, action, actor, t(40)).order);
        return 'ok';
      } catch (error) {
        return (error as DomainError).code;
      }
    });
    expect(outcomes).toEqual(['ok', 'CONFLICT', 'CONFLICT']);
    expect(store.get('WO-1')).toMatchObject({ version: read.version + 1, state: 'disposed', supervised: false });
  });
});
