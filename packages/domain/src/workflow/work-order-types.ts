import { z } from 'zod';
import type { Item } from '../categories.ts';
import { DEPARTMENTS, type DepartmentCode } from '../departments.ts';
import { RETURN_VISIT_RESULTS, type ReturnVisitResult } from '../event-schema.ts';
import type { Role } from '../scope.ts';
import type { Urgency } from '../sources.ts';
import type { UnitCode } from '../units.ts';
import type { WallClock } from './wall-clock.ts';

/**
 * The work order of the disposal loop 社区发现 → 街镇呼叫 → 部门响应 → 协同整治 → 回访.
 * Types, labels and the action schema; the rules live in work-order-machine.ts.
 */
export const WORK_ORDER_STATES = [
  'created',
  'accepted',
  'dispatched',
  'signed',
  'in_progress',
  'disposed',
  'return_visit',
  'closed',
] as const;
export type WorkOrderState = (typeof WORK_ORDER_STATES)[number];
export const WORK_ORDER_STATE_LABELS: Record<WorkOrderState, string> = {
  created: '已登记',
  accepted: '已受理',
  dispatched: '已派单',
  signed: '已签收',
  in_progress: '办理中',
  disposed: '已办结',
  return_visit: '已回访',
  closed: '已结案',
};

export const WORK_ORDER_ORIGINS = ['grid_report', 'community_report', 'hotline_transfer', 'police_transfer', 'alert'] as const;
export type WorkOrderOrigin = (typeof WORK_ORDER_ORIGINS)[number];
export const WORK_ORDER_ORIGIN_LABELS: Record<WorkOrderOrigin, string> = {
  grid_report: '网格员上报',
  community_report: '社区上报',
  hotline_transfer: '12345转办',
  police_transfer: '110非警务警情转办',
  alert: '感知预警',
};

/** Who holds the order. `grid`…`city` are territorial (division codes); `department` is a city department. */
export const ASSIGNEE_KINDS = ['grid', 'street', 'district', 'city', 'department'] as const;
export type AssigneeKind = (typeof ASSIGNEE_KINDS)[number];
export const ASSIGNEE_KIND_LABELS: Record<AssigneeKind, string> = {
  grid: '网格',
  street: '街镇',
  district: '区（市、县）',
  city: '市级',
  department: '市级部门',
};
export interface Assignee {
  kind: AssigneeKind;
  code: string;
}

export const WORK_ORDER_ACTIONS = [
  'accept',
  'dispatch',
  'return',
  'sign',
  'start',
  'dispose',
  'record_return_visit',
  'close',
  'reopen',
  'request_extension',
  'approve_extension',
  'reject_extension',
  'call_departments',
  'report_co_handling',
  'escalate',
  'supervise',
] as const;
export type WorkOrderActionType = (typeof WORK_ORDER_ACTIONS)[number];
export const WORK_ORDER_ACTION_LABELS: Record<WorkOrderActionType | 'create', string> = {
  create: '登记',
  accept: '受理',
  dispatch: '派单',
  return: '退回',
  sign: '签收',
  start: '开始办理',
  dispose: '办结',
  record_return_visit: '回访',
  close: '结案',
  reopen: '重办',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  reject_extension: '驳回延期',
  call_departments: '吹哨（呼叫部门协同）',
  report_co_handling: '协办反馈',
  escalate: '升级',
  supervise: '督办',
};

/** The person acting; `departmentCode` is set for department officers (their unitCode is the city). */
export interface WorkOrderActor {
  username: string;
  role: Role;
  unitCode: string;
  departmentCode?: DepartmentCode | null;
}

export interface WorkOrderLocation {
  districtCode: UnitCode;
  streetCode: UnitCode;
  communityCode: UnitCode;
  gridCode: UnitCode;
}

/** A co-handling department in joint handling (协同整治); the assignee is the lead (牵头). */
export interface CoHandler {
  departmentCode: DepartmentCode;
  /** 'dispatch' when named at dispatch, 'whistle' when the street called it in (吹哨). */
  joinedBy: 'dispatch' | 'whistle';
  joinedAt: WallClock;
  feedback: string | null;
  reportedAt: WallClock | null;
}

export const EXTENSION_STATUSES = ['pending', 'approved', 'rejected', 'lapsed'] as const;
export type ExtensionStatus = (typeof EXTENSION_STATUSES)[number];
export const EXTENSION_STATUS_LABELS: Record<ExtensionStatus, string> = {
  pending: '待审批',
  approved: '已批准',
  rejected: '已驳回',
  lapsed: '已失效',
};
export interface ExtensionRequest {
  requestedDueAt: WallClock;
  previousDueAt: WallClock;
  reason: string;
  requestedBy: string;
  requestedAt: WallClock;
  /** 'lapsed' when the order was disposed, returned or escalated before a decision. */
  status: ExtensionStatus;
  decidedBy: string | null;
  decidedAt: WallClock | null;
  decisionNote: string | null;
}

export interface SupervisionNote {
  note: string;
  by: string;
  unitCode: string;
  at: WallClock;
}

export interface ReturnVisit {
  result: ReturnVisitResult;
  at: WallClock;
  note: string | null;
}

export interface WorkOrderRecordActor {
  username: string;
  role: Role;
  unitCode: string;
  departmentCode: DepartmentCode | null;
}

/** One audit-log line; every transition yields exactly one. */
export interface WorkOrderRecord {
  orderId: string;
  action: WorkOrderActionType | 'create';
  fromState: WorkOrderState | null;
  toState: WorkOrderState;
  /** The order's version after this transition. */
  version: number;
  actor: WorkOrderRecordActor;
  at: WallClock;
  reason: string | null;
  payload: Record<string, unknown>;
}

/**
 * Immutable value; every change goes through `applyTransition`, which returns a new frozen
 * order with `version` + 1. Milestone timestamps (see work-order-machine.ts for which are kept
 * or cleared on return, escalation and reopening) always satisfy
 * createdAt ≤ acceptedAt ≤ dispatchedAt ≤ firstResponseAt ≤ signedAt ≤ disposedAt ≤ returnVisitedAt ≤ closedAt.
 */
export interface WorkOrder {
  id: string;
  version: number;
  state: WorkOrderState;
  origin: WorkOrderOrigin;
  /** Id in the originating system (12345 case number, 110 incident id, alert id), if any. */
  sourceRef: string | null;
  item: Item;
  urgency: Urgency;
  summary: string;
  location: WorkOrderLocation;
  /** The operations center that accepted the order; returns go back to it. */
  dispatcherUnitCode: string | null;
  /** The lead handler (牵头单位); null before dispatch and after a return. */
  assignee: Assignee | null;
  coHandlers: readonly CoHandler[];
  /** Resolution deadline in force (after approved extensions). */
  dueAt: WallClock;
  /** Response (签收) deadline of the current assignment. */
  responseDueAt: WallClock | null;
  extension: ExtensionRequest | null;
  extensionCount: number;
  supervised: boolean;
  supervisionNotes: readonly SupervisionNote[];
  reopenCount: number;
  escalationCount: number;
  createdAt: WallClock;
  acceptedAt: WallClock | null;
  /** When the current assignee received the order. */
  dispatchedAt: WallClock | null;
  /** First 签收 of the current assignment (kept across reopening, cleared on reassignment). */
  firstResponseAt: WallClock | null;
  /** 签收 of the current handling round (cleared on reopening). */
  signedAt: WallClock | null;
  disposedAt: WallClock | null;
  returnVisitedAt: WallClock | null;
  closedAt: WallClock | null;
  updatedAt: WallClock;
  disposalFeedback: string | null;
  returnVisitResult: ReturnVisitResult | null;
  /** Every return visit ever made, so a reopening never erases a 不满意. */
  returnVisits: readonly ReturnVisit[];
  lastReturnReason: string | null;
  history: readonly WorkOrderRecord[];
}

const departmentCodes = DEPARTMENTS.map((d) => d.code) as [DepartmentCode, ...DepartmentCode[]];
export const departmentCodeSchema = z.enum(departmentCodes);
const text = z.string().trim().min(1).max(2000);
const optionalNote = z.string().trim().max(2000).optional();
const version = { expectedVersion: z.number().int().positive() };
export const assigneeSchema = z.object({ kind: z.enum(ASSIGNEE_KINDS), code: z.string().regex(/^[A-Z0-9]{2,15}$/) });

/** The input of a transition; exported so the API layer validates with the same schema. */
export const workOrderActionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accept'), ...version, note: optionalNote }),
  z.object({
    type: z.literal('dispatch'),
    ...version,
    assignee: assigneeSchema,
    coHandlers: z.array(departmentCodeSchema).max(DEPARTMENTS.length).optional(),
    note: optionalNote,
  }),
  z.object({ type: z.literal('return'), ...version, reason: text }),
  z.object({ type: z.literal('sign'), ...version }),
  z.object({ type: z.literal('start'), ...version }),
  z.object({ type: z.literal('dispose'), ...version, feedback: text }),
  z.object({ type: z.literal('record_return_visit'), ...version, result: z.enum(RETURN_VISIT_RESULTS), note: optionalNote }),
  z.object({ type: z.literal('close'), ...version, note: optionalNote }),
  z.object({ type: z.literal('reopen'), ...version, reason: text }),
  z.object({ type: z.literal('request_extension'), ...version, requestedDueAt: z.date(), reason: text }),
  z.object({ type: z.literal('approve_extension'), ...version, note: optionalNote }),
  z.object({ type: z.literal('reject_extension'), ...version, reason: text }),
  z.object({
    type: z.literal('call_departments'),
    ...version,
    departments: z.array(departmentCodeSchema).min(1).max(DEPARTMENTS.length),
    reason: text,
  }),
  z.object({ type: z.literal('report_co_handling'), ...version, feedback: text }),
  z.object({ type: z.literal('escalate'), ...version, reason: text }),
  z.object({ type: z.literal('supervise'), ...version, note: text }),
]);
export type WorkOrderAction = z.infer<typeof workOrderActionSchema>;

export interface TransitionResult {
  order: WorkOrder;
  record: WorkOrderRecord;
}
