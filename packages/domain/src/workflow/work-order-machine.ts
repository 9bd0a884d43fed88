import type { DepartmentCode } from '../departments.ts';
import { DomainError } from '../errors.ts';
import { computeDueAt, computeResponseDueAt, resolutionRuleFor, slaStatusAt, type SlaOptions, type SlaStatus } from './sla.ts';
import { assertValidWallClock, formatWallClock, type WallClock } from './wall-clock.ts';
import {
  actorCoversLocation,
  actorIsAssignee,
  actorIsDispatcher,
  actorIsUpperTierOf,
  assertValidAssignee,
  forbidden,
  isOperationsCenter,
  upperTierOf,
} from './work-order-permissions.ts';
import { freezeOrder, makeRecord } from './work-order-records.ts';
import {
  WORK_ORDER_ACTION_LABELS,
  WORK_ORDER_STATE_LABELS,
  workOrderActionSchema,
  type Assignee,
  type CoHandler,
  type TransitionResult,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActionType,
  type WorkOrderActor,
  type WorkOrderState,
} from './work-order-types.ts';

/**
 * The work-order state machine. `applyTransition` is the only way an order changes; it checks,
 * in this order: the action's shape (BAD_INPUT), the optimistic version (CONFLICT — a stale
 * client must reload before anything else is judged), time not running backwards (BAD_INPUT),
 * the state (ILLEGAL_TRANSITION), the actor's tier (FORBIDDEN), then the action's own
 * preconditions. A refused action throws and leaves the order untouched (orders are frozen).
 *
 * Main path: created → accepted → dispatched → signed → in_progress → disposed → return_visit
 * → closed. Side paths: 退回 (dispatched|signed → accepted, back to the dispatcher), 升级
 * (grid → street → district → city; the new holder receives it as dispatched), 转派 (a
 * territorial holder hands it down: dispatched|signed → dispatched), 重办 (return_visit|closed
 * with a 不满意 visit → dispatched to the same holder). Extension, 吹哨, 协办反馈 and 督办 do
 * not change the state. A closed order accepts nothing but 重办.
 *
 * Milestones follow the current assignment, because response is judged per unit: a new holder
 * (派单, 转派, 升级) resets dispatchedAt/responseDueAt and clears firstResponseAt/signedAt; 退回
 * clears them all; 重办 keeps the holder's dispatchedAt and firstResponseAt (it already
 * responded) but clears signedAt, disposedAt, returnVisitedAt and closedAt for the new round,
 * and gives a fresh resolution deadline. A pending extension lapses with its round or holder.
 */
export const ALLOWED_FROM: Record<WorkOrderActionType, readonly WorkOrderState[]> = {
  accept: ['created'],
  dispatch: ['accepted', 'dispatched', 'signed'],
  return: ['dispatched', 'signed'],
  sign: ['dispatched'],
  start: ['signed'],
  dispose: ['in_progress'],
  record_return_visit: ['disposed'],
  close: ['return_visit'],
  reopen: ['return_visit', 'closed'],
  request_extension: ['signed', 'in_progress'],
  approve_extension: ['signed', 'in_progress'],
  reject_extension: ['signed', 'in_progress'],
  call_departments: ['signed', 'in_progress'],
  report_co_handling: ['signed', 'in_progress'],
  escalate: ['dispatched', 'signed', 'in_progress'],
  supervise: ['created', 'accepted', 'dispatched', 'signed', 'in_progress', 'disposed', 'return_visit'],
};

/** Actions the state machine admits in a state (the actor may still be refused). */
export function actionsAllowedIn(state: WorkOrderState): WorkOrderActionType[] {
  return (Object.keys(ALLOWED_FROM) as WorkOrderActionType[]).filter((type) => ALLOWED_FROM[type].includes(state));
}

export type WorkflowOptions = SlaOptions;

interface Plan {
  toState: WorkOrderState;
  patch: Partial<WorkOrder>;
  reason: string | null;
  payload: Record<string, unknown>;
}

/** Applies one action. Returns the new order (version + 1) and its audit record; throws DomainError otherwise. */
export function applyTransition(order: WorkOrder, input: WorkOrderAction, actor: WorkOrderActor, at: WallClock, options: WorkflowOptions = {}): TransitionResult {
  const parsed = workOrderActionSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('BAD_INPUT', `操作参数无效：${parsed.error.issues[0]?.message ?? ''}`, { issues: parsed.error.issues });
  const action = parsed.data;
  if (action.expectedVersion !== order.version) {
    throw new DomainError('CONFLICT', `工单 ${order.id} 已被他人更新（当前版本 ${order.version}，提交版本 ${action.expectedVersion}），请刷新后重试`, {
      orderId: order.id,
      currentVersion: order.version,
      expectedVersion: action.expectedVersion,
    });
  }
  assertValidWallClock(at, '操作时间');
  if (at < order.updatedAt) {
    throw new DomainError('BAD_INPUT', `操作时间 ${formatWallClock(at)} 早于工单上次流转时间 ${formatWallClock(order.updatedAt)}`, { orderId: order.id });
  }
  if (!ALLOWED_FROM[action.type].includes(order.state)) {
    const allowed = ALLOWED_FROM[action.type].map((s) => `「${WORK_ORDER_STATE_LABELS[s]}」`).join('');
    throw illegal(order, action.type, `仅在${allowed}状态下可执行`);
  }
  const plan = planTransition(order, action, actor, at, options);
  const version = order.version + 1;
  const record = makeRecord(order.id, action.type, order.state, plan.toState, version, actor, at, plan.reason, plan.payload);
  const next: WorkOrder = { ...order, ...plan.patch, state: plan.toState, version, updatedAt: at, history: [...order.history, record] };
  return { order: freezeOrder(next), record };
}

function planTransition(order: WorkOrder, action: WorkOrderAction, actor: WorkOrderActor, at: WallClock, options: WorkflowOptions): Plan {
  const holder = order.assignee;
  const requireAssignee = () => {
    if (!actorIsAssignee(actor, holder)) throw forbidden(actor, action.type, '只有当前承办单位可以执行此操作', order);
  };
  // The holder may not rate or approve itself — except at the city tier, which has nobody above.
  const independent = !actorIsAssignee(actor, holder) || holder?.kind === 'city';
  const requireDispatcherOrUpper = () => {
    const allowed = (actorIsDispatcher(actor, order) || (holder !== null && actorIsUpperTierOf(actor, holder))) && independent;
    if (!allowed) throw forbidden(actor, action.type, '只有受理派单的运行中心或承办单位的上级可以执行此操作（承办单位不能自行回访、结案）', order);
  };
  const newAssignment = (assignee: Assignee) => ({
    assignee,
    dispatchedAt: at,
    responseDueAt: computeResponseDueAt(order.urgency, at, options),
    firstResponseAt: null,
    signedAt: null,
    extension: lapsed(order),
  });

  switch (action.type) {
    case 'accept':
      if (!isOperationsCenter(actor) || !actorCoversLocation(actor, order)) throw forbidden(actor, action.type, '只有工单所在区域的运行中心可以受理', order);
      return plan('accepted', { acceptedAt: at, dispatcherUnitCode: actor.unitCode }, null, { note: action.note ?? null });

    case 'dispatch': {
      const target = action.assignee;
      assertValidAssignee(target);
      if (target.kind !== 'department' && !order.location.gridCode.startsWith(target.code)) {
        throw new DomainError('BAD_INPUT', `承办单位 ${target.code} 不包含工单所在网格 ${order.location.gridCode}`, { orderId: order.id });
      }
      let inherited: readonly CoHandler[] = [];
      if (order.state === 'accepted') {
        if (!actorIsDispatcher(actor, order)) throw forbidden(actor, action.type, '只有受理该工单的运行中心（或其上级）可以派单', order);
        // Upward moves are 升级, not 派单: a street cannot dispatch to its district.
        if (target.kind !== 'department' && !target.code.startsWith(actor.unitCode)) {
          throw new DomainError('BAD_INPUT', `不能派单给本级以上的单位 ${target.code}，请使用「升级」`, { orderId: order.id });
        }
      } else {
        // 转派: a territorial holder hands the order down; co-handlers already called stay.
        if (!holder || holder.kind === 'grid' || holder.kind === 'department' || !actorIsAssignee(actor, holder)) {
          throw forbidden(actor, action.type, '只有当前承办的街镇、区或市级运行中心可以向下转派', order);
        }
        const below = target.kind === 'department' ? holder.kind !== 'street' : target.code.startsWith(holder.code) && target.code.length > holder.code.length;
        if (!below) throw new DomainError('BAD_INPUT', `只能转派给下级单位${holder.kind === 'street' ? '' : '或市级部门'}`, { orderId: order.id });
        inherited = order.coHandlers;
      }
      const coHandlers = mergeCoHandlers(order, inherited, action.coHandlers ?? [], target, 'dispatch', at, false);
      return plan('dispatched', { ...newAssignment(target), coHandlers }, action.note ?? null, { assignee: target, coHandlers: action.coHandlers ?? [] });
    }

    case 'return':
      requireAssignee();
      return plan(
        'accepted',
        { assignee: null, coHandlers: [], dispatchedAt: null, responseDueAt: null, firstResponseAt: null, signedAt: null, extension: lapsed(order), lastReturnReason: action.reason },
        action.reason,
        { returnedBy: holder },
      );

    case 'sign':
      requireAssignee();
      return plan('signed', { signedAt: at, firstResponseAt: order.firstResponseAt ?? at }, null, {});

    case 'start':
      requireAssignee();
      return plan('in_progress', {}, null, {});

    case 'dispose': {
      requireAssignee();
      const waiting = order.coHandlers.filter((c) => c.reportedAt === null).map((c) => c.departmentCode);
      if (waiting.length > 0) throw illegal(order, action.type, `协办部门 ${waiting.join('、')} 尚未反馈协同整治结果`);
      return plan('disposed', { disposedAt: at, disposalFeedback: action.feedback, extension: lapsed(order) }, null, { feedback: action.feedback });
    }

    case 'record_return_visit':
      requireDispatcherOrUpper();
      return plan(
        'return_visit',
        { returnVisitResult: action.result, returnVisitedAt: at, returnVisits: [...order.returnVisits, { result: action.result, at, note: action.note ?? null }] },
        action.note ?? null,
        { result: action.result },
      );

    case 'close':
      requireDispatcherOrUpper();
      return plan('closed', { closedAt: at }, action.note ?? null, { returnVisitResult: order.returnVisitResult });

    case 'reopen':
      if (order.returnVisitResult !== 'dissatisfied') throw illegal(order, action.type, '只有回访结果为「不满意」的工单可以重办');
      requireDispatcherOrUpper();
      return plan(
        'dispatched',
        {
          reopenCount: order.reopenCount + 1,
          // A fresh allowance for the redo; the old deadline stays in the audit record.
          dueAt: computeDueAt(order.item, order.urgency, at, options),
          signedAt: null,
          disposedAt: null,
          disposalFeedback: null,
          returnVisitResult: null,
          returnVisitedAt: null,
          closedAt: null,
          coHandlers: order.coHandlers.map((c) => ({ ...c, feedback: null, reportedAt: null })),
        },
        action.reason,
        { reopenCount: order.reopenCount + 1, previousDueAt: order.dueAt },
      );

    case 'request_extension':
      requireAssignee();
      if (order.extension?.status === 'pending') throw illegal(order, action.type, '已有待审批的延期申请');
      if (action.requestedDueAt <= order.dueAt || action.requestedDueAt <= at) {
        throw new DomainError('BAD_INPUT', `申请的办结时限 ${formatWallClock(action.requestedDueAt)} 必须晚于现时限 ${formatWallClock(order.dueAt)}`, { orderId: order.id });
      }
      return plan(
        order.state,
        {
          extension: {
            requestedDueAt: action.requestedDueAt,
            previousDueAt: order.dueAt,
            reason: action.reason,
            requestedBy: actor.username,
            requestedAt: at,
            status: 'pending',
            decidedBy: null,
            decidedAt: null,
            decisionNote: null,
          },
        },
        action.reason,
        { requestedDueAt: action.requestedDueAt, previousDueAt: order.dueAt },
      );

    case 'approve_extension':
    case 'reject_extension': {
      const extension = order.extension;
      if (extension?.status !== 'pending') throw illegal(order, action.type, '没有待审批的延期申请');
      if (!holder || !actorIsUpperTierOf(actor, holder) || !independent || actor.username === extension.requestedBy) {
        throw forbidden(actor, action.type, '延期须由承办单位的上级审批', order);
      }
      const approved = action.type === 'approve_extension';
      const note = approved ? (action.note ?? null) : action.reason;
      const decided = { ...extension, status: approved ? ('approved' as const) : ('rejected' as const), decidedBy: actor.username, decidedAt: at, decisionNote: note };
      const patch: Partial<WorkOrder> = approved ? { extension: decided, dueAt: extension.requestedDueAt, extensionCount: order.extensionCount + 1 } : { extension: decided };
      return plan(order.state, patch, note, { dueAt: approved ? extension.requestedDueAt : order.dueAt, previousDueAt: order.dueAt });
    }

    case 'call_departments':
      // 吹哨报到: the street (or a district holding the order) calls city departments in.
      if (!holder || (holder.kind !== 'street' && holder.kind !== 'district') || !actorIsAssignee(actor, holder)) {
        throw forbidden(actor, action.type, '只有承办工单的街镇（或区）运行中心可以吹哨呼叫部门', order);
      }
      return plan(order.state, { coHandlers: mergeCoHandlers(order, order.coHandlers, action.departments, holder, 'whistle', at, true) }, action.reason, {
        departments: action.departments,
      });

    case 'report_co_handling': {
      const index = order.coHandlers.findIndex((c) => actor.role === 'department_officer' && c.departmentCode === actor.departmentCode);
      if (index < 0) throw forbidden(actor, action.type, '只有协办部门可以反馈协同整治结果', order);
      if (order.coHandlers[index]!.reportedAt !== null) throw illegal(order, action.type, '本部门已反馈过协同整治结果');
      const coHandlers = order.coHandlers.map((c, i) => (i === index ? { ...c, feedback: action.feedback, reportedAt: at } : c));
      return plan(order.state, { coHandlers }, null, { departmentCode: actor.departmentCode, feedback: action.feedback });
    }

    case 'escalate': {
      requireAssignee();
      const upper = holder ? upperTierOf(holder) : null;
      if (!upper) throw illegal(order, action.type, '市级部门或市级运行中心承办的工单没有更高层级可升级');
      return plan('dispatched', { ...newAssignment(upper), escalationCount: order.escalationCount + 1 }, action.reason, { from: holder, to: upper });
    }

    case 'supervise': {
      // Before dispatch the order sits with the street it happened in, for the purpose of 督办.
      const target: Assignee = holder ?? { kind: 'street', code: order.location.streetCode };
      if (!actorIsUpperTierOf(actor, target) || actorIsAssignee(actor, target)) throw forbidden(actor, action.type, '督办须由上级运行中心发起', order);
      const note = { note: action.note, by: actor.username, unitCode: actor.unitCode, at };
      return plan(order.state, { supervised: true, supervisionNotes: [...order.supervisionNotes, note] }, action.note, { target });
    }
  }
}

function plan(toState: WorkOrderState, patch: Partial<WorkOrder>, reason: string | null, payload: Record<string, unknown>): Plan {
  return { toState, patch, reason, payload };
}

function illegal(order: WorkOrder, action: WorkOrderActionType, why: string): DomainError {
  return new DomainError(
    'ILLEGAL_TRANSITION',
    `工单 ${order.id} 当前状态为「${WORK_ORDER_STATE_LABELS[order.state]}」，不能执行「${WORK_ORDER_ACTION_LABELS[action]}」：${why}`,
    { orderId: order.id, state: order.state, action },
  );
}

/** A pending extension dies with the assignment or the handling round it belonged to. */
function lapsed(order: WorkOrder): WorkOrder['extension'] {
  return order.extension?.status === 'pending' ? { ...order.extension, status: 'lapsed' } : order.extension;
}

function mergeCoHandlers(
  order: WorkOrder,
  existing: readonly CoHandler[],
  added: readonly DepartmentCode[],
  lead: Assignee,
  joinedBy: CoHandler['joinedBy'],
  at: WallClock,
  requireNew: boolean,
): readonly CoHandler[] {
  if (new Set(added).size !== added.length) throw new DomainError('BAD_INPUT', '协办部门重复', { orderId: order.id });
  if (lead.kind === 'department' && added.includes(lead.code as DepartmentCode)) {
    throw new DomainError('BAD_INPUT', '牵头部门不能同时是协办部门', { orderId: order.id });
  }
  const fresh = added.filter((code) => !existing.some((c) => c.departmentCode === code));
  if (requireNew && fresh.length === 0) throw new DomainError('BAD_INPUT', '所呼叫的部门均已在协办', { orderId: order.id });
  return [...existing, ...fresh.map((departmentCode) => ({ departmentCode, joinedBy, joinedAt: at, feedback: null, reportedAt: null }))];
}

/** SLA status of an order's resolution clock (start: creation; stop: disposal). */
export function workOrderSlaStatus(order: WorkOrder, at: WallClock, options: WorkflowOptions = {}): SlaStatus {
  const measure = resolutionRuleFor(order.item, order.urgency, options.policy).kind;
  return slaStatusAt({ startedAt: order.createdAt, dueAt: order.dueAt, completedAt: order.disposedAt, measure }, at, options);
}
