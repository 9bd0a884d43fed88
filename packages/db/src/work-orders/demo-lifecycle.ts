import {
  DomainError,
  applyTransition,
  createWorkOrder,
  leadDepartmentFor,
  upperTierOf,
  type Assignee,
  type CreateWorkOrderInput,
  type DepartmentCode,
  type ReturnVisitResult,
  type WallClock,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActor,
  type WorkOrderRecord,
} from '@cityops/domain';

/**
 * Drives one demo order through the real state machine along a sampled, realistic path:
 * 受理 → 派单 → (退回 → 改派) → 签收 → 办理 → (吹哨 + 协办反馈) → (升级) → (延期申请/审批) → (督办)
 * → 办结 → 回访 → (不满意 → 重办 → …) → 结案. Each step happens some minutes after the
 * previous one; the walk stops at the data clock (`asOf`), which leaves recent orders open and
 * slow ones overdue. Only `createWorkOrder` and `applyTransition` change the order.
 */
export type Rng = () => number;

/** mulberry32: tiny, deterministic per seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const between = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

/** Demo actors: one per unit or department, named so the audit trail reads naturally. */
export const demoActor = {
  city: (): WorkOrderActor => ({ username: 'demo-city-12345', role: 'city_commander', unitCode: '5101' }),
  district: (code: string): WorkOrderActor => ({ username: `demo-district-${code}`, role: 'district_analyst', unitCode: code }),
  street: (code: string): WorkOrderActor => ({ username: `demo-street-${code}`, role: 'street_operator', unitCode: code }),
  grid: (code: string): WorkOrderActor => ({ username: `demo-grid-${code}`, role: 'grid_worker', unitCode: code }),
  department: (code: DepartmentCode): WorkOrderActor => ({ username: `demo-dept-${code}`, role: 'department_officer', unitCode: '5101', departmentCode: code }),
};

/** The actor working for a holder. */
function holderActor(holder: Assignee): WorkOrderActor {
  switch (holder.kind) {
    case 'department':
      return demoActor.department(holder.code as DepartmentCode);
    case 'grid':
      return demoActor.grid(holder.code);
    case 'street':
      return demoActor.street(holder.code);
    case 'district':
      return demoActor.district(holder.code);
    case 'city':
      return demoActor.city();
  }
}

/** The territorial center above a holder (approves extensions, supervises); the city for departments. */
function upperActor(holder: Assignee): WorkOrderActor {
  const upper = holder.kind === 'department' ? null : upperTierOf(holder);
  return upper ? holderActor(upper) : demoActor.city();
}

export interface DemoPlan {
  input: CreateWorkOrderInput;
  creator: WorkOrderActor;
  /** The operations center that accepts (受理) and dispatches. */
  dispatcher: WorkOrderActor;
  assignee: Assignee;
  /** Where a wrong assignee's return (退回) is re-dispatched. */
  alternative: Assignee;
  createdAt: WallClock;
  /** Share of disposals that come after the deadline (default 0.12). */
  lateShare?: number;
  /** A late disposal comes 1 h to this many hours after the deadline (default 96). */
  maxHoursLate?: number;
}

export interface DemoRun {
  order: WorkOrder;
  records: WorkOrderRecord[];
}

// Distributive: each action's own fields, without the version (the walk always has the current one).
type Step = WorkOrderAction extends infer A ? (A extends WorkOrderAction ? Omit<A, 'expectedVersion'> : never) : never;

/** Walks one order; `rng` decides the path and the pace. */
export function runDemoLifecycle(plan: DemoPlan, rng: Rng, asOf: WallClock): DemoRun | null {
  if (plan.createdAt > asOf) return null;
  const created = createWorkOrder(plan.input, plan.creator, plan.createdAt);
  let order = created.order;
  const records: WorkOrderRecord[] = [created.record];
  let clock = plan.createdAt.getTime();
  let open = true;

  /** Applies `step` by `actor` after `delayMs`, unless that moment is past the data clock. */
  const act = (actor: WorkOrderActor, step: Step, delayMs: number): boolean => {
    if (!open) return false;
    const at = clock + Math.max(MINUTE, Math.round(delayMs));
    if (at > asOf.getTime()) {
      open = false;
      return false;
    }
    const result = applyTransition(order, { ...step, expectedVersion: order.version } as WorkOrderAction, actor, new Date(at));
    order = result.order;
    records.push(result.record);
    clock = at;
    return true;
  };
  // Null only after a 退回 whose re-dispatch fell past the data clock; then `act` no longer runs.
  const holder = (): Assignee => order.assignee ?? { kind: 'city', code: '5101' };
  // Co-handlers report before the lead may dispose (again after a 重办, which clears their reports).
  const reportCoHandling = () => {
    for (const c of order.coHandlers) {
      if (c.reportedAt === null) act(demoActor.department(c.departmentCode), { type: 'report_co_handling', feedback: '已派员到场联合执法，问题已整改' }, between(rng, 2, 48) * HOUR);
    }
  };
  const emergency = order.urgency === 'emergency';

  const deskDelay = (minutes: number) => (order.urgency === 'normal' || order.urgency === 'complex' ? officeHoursDelay(clock, minutes * MINUTE, rng) : minutes * MINUTE);
  act(plan.dispatcher, { type: 'accept' }, emergency ? between(rng, 2, 10) * MINUTE : deskDelay(between(rng, 5, 90)));
  // One ordinary case in ten needs a consultation (会商) on who should handle it before dispatch.
  const consult = !emergency && rng() < 0.1;
  act(plan.dispatcher, { type: 'dispatch', assignee: plan.assignee }, emergency ? between(rng, 2, 10) * MINUTE : deskDelay(between(rng, 10, 180) + (consult ? between(rng, 1, 3) * 24 * 60 : 0)));
  if (rng() < 0.06) {
    // 退回: wrong assignee; the dispatcher re-routes it.
    act(holderActor(holder()), { type: 'return', reason: '经核实不属于本单位职责范围，申请退回改派' }, between(rng, 1, 8) * HOUR);
    act(plan.dispatcher, { type: 'dispatch', assignee: plan.alternative, note: '按退回意见改派' }, between(rng, 0.5, 4) * HOUR);
  }
  const responseLimit = order.responseDueAt ? order.responseDueAt.getTime() - clock : HOUR;
  const late = rng() < 0.08;
  act(holderActor(holder()), { type: 'sign' }, late ? responseLimit + between(rng, 0.5, 30) * HOUR : between(rng, 0.05, 0.6) * Math.max(responseLimit, 10 * MINUTE));
  act(holderActor(holder()), { type: 'start' }, between(rng, 5, 120) * MINUTE);

  if (holder().kind === 'street' && rng() < 0.3) {
    // 吹哨报到: the street calls in the lead department of the matter (and sometimes another).
    const lead = leadDepartmentFor(order.item);
    const departments: DepartmentCode[] = rng() < 0.3 && lead !== 'D04' ? [lead, 'D04'] : [lead];
    act(holderActor(holder()), { type: 'call_departments', departments, reason: '街镇吹哨，呼叫部门协同整治' }, between(rng, 1, 24) * HOUR);
    reportCoHandling();
  }
  if (holder().kind === 'street' && order.coHandlers.length === 0 && rng() < 0.05) {
    act(holderActor(holder()), { type: 'escalate', reason: '涉及跨街道管线改造，需区级统筹' }, between(rng, 2, 24) * HOUR);
    act(holderActor(holder()), { type: 'sign' }, between(rng, 0.2, 3) * HOUR);
    act(holderActor(holder()), { type: 'start' }, between(rng, 0.2, 2) * HOUR);
  }
  const requestDelay = between(rng, 2, 48) * HOUR;
  // Extensions are requested before the deadline, for a few more days.
  if (!emergency && rng() < 0.08 && clock + requestDelay < order.dueAt.getTime()) {
    const requestedDueAt = new Date(order.dueAt.getTime() + Math.round(between(rng, 3, 10)) * 24 * HOUR);
    if (act(holderActor(holder()), { type: 'request_extension', requestedDueAt, reason: '需等待施工队排期，申请延期' }, requestDelay)) {
      if (rng() < 0.8) act(upperActor(holder()), { type: 'approve_extension', note: '同意延期，请按期办结' }, between(rng, 1, 24) * HOUR);
      else act(upperActor(holder()), { type: 'reject_extension', reason: '理由不充分，请按原时限办结' }, between(rng, 1, 24) * HOUR);
    }
  }
  if (rng() < 0.07) act(upperActor(holder()), { type: 'supervise', note: '群众反映强烈，请加快办理' }, between(rng, 2, 48) * HOUR);

  disposeAndVisit(rng, act, () => order, plan.dispatcher, holder, 0.1, plan.lateShare, plan.maxHoursLate);
  if (order.returnVisitResult === 'dissatisfied' && rng() < 0.7) {
    if (act(visitor(plan.dispatcher, holder()), { type: 'reopen', reason: '回访不满意，重新办理' }, between(rng, 1, 24) * HOUR)) {
      act(holderActor(holder()), { type: 'sign' }, between(rng, 0.2, 4) * HOUR);
      act(holderActor(holder()), { type: 'start' }, between(rng, 0.2, 2) * HOUR);
      reportCoHandling();
      disposeAndVisit(rng, act, () => order, plan.dispatcher, holder, 0.03, plan.lateShare, plan.maxHoursLate);
    }
  }
  act(visitor(plan.dispatcher, holder()), { type: 'close', note: '回访完毕，结案' }, between(rng, 0.5, 24) * HOUR);
  if (order.version !== records.length) throw new DomainError('INTERNAL', `demo order ${order.id}: version and history disagree`);
  return { order, records };
}

/**
 * Ordinary cases are accepted and dispatched by the desk in office hours (08:00–18:00): a step
 * that would fall outside waits for the next morning shift (08:30–09:30). So the newest
 * evening cases are still 已登记 or 已受理 at the data clock, as on a real desk.
 */
function officeHoursDelay(fromMs: number, delayMs: number, rng: Rng): number {
  const at = new Date(fromMs + delayMs);
  const hour = at.getUTCHours(); // wall clock: UTC fields are Shanghai time
  if (hour >= 8 && hour < 18) return delayMs;
  const morning = new Date(at.getTime() + (hour >= 18 ? 24 * HOUR : 0));
  morning.setUTCHours(8, 30, 0, 0);
  return morning.getTime() - fromMs + between(rng, 0, 60) * MINUTE;
}

/** Who visits and closes: the dispatcher, unless it holds the order itself (then the tier above). */
function visitor(dispatcher: WorkOrderActor, holder: Assignee): WorkOrderActor {
  const isHolder = holder.kind !== 'department' && holder.code === dispatcher.unitCode && dispatcher.role !== 'city_commander';
  return isHolder ? upperActor(holder) : dispatcher;
}

function disposeAndVisit(
  rng: Rng,
  act: (actor: WorkOrderActor, step: Step, delayMs: number) => boolean,
  current: () => WorkOrder,
  dispatcher: WorkOrderActor,
  holder: () => Assignee,
  dissatisfiedShare = 0.1,
  lateShare = 0.12,
  maxHoursLate = 96,
): void {
  const order = current();
  const now = order.updatedAt.getTime();
  const left = order.dueAt.getTime() - now;
  // 12 % finish late (some never within the data window: those stay open and overdue).
  const delay = rng() < lateShare || left <= 0 ? Math.max(left, 0) + between(rng, 1, maxHoursLate) * HOUR : between(rng, 0.15, 0.95) * left;
  if (!act(holderActor(holder()), { type: 'dispose', feedback: '已现场核查处置，问题已解决' }, delay)) return;
  const roll = rng();
  const result: ReturnVisitResult = roll < dissatisfiedShare ? 'dissatisfied' : roll < dissatisfiedShare + 0.15 ? 'basically_satisfied' : 'satisfied';
  act(visitor(dispatcher, holder()), { type: 'record_return_visit', result, ...(result === 'dissatisfied' ? { note: '群众表示问题仍未解决' } : {}) }, between(rng, 1, 48) * HOUR);
}
