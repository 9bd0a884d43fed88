import type {
  Assignee,
  CoHandler,
  DepartmentCode,
  ExtensionRequest,
  Item,
  ReturnVisit,
  ReturnVisitResult,
  Role,
  SupervisionNote,
  UnitCode,
  Urgency,
  WallClock,
  WorkOrder,
  WorkOrderOrigin,
  WorkOrderRecord,
  WorkOrderState,
} from '@cityops/domain';
import type { AppendKind, AppendValue } from '../database.ts';
import { WORK_ORDER_COLUMNS, WORK_ORDER_TRANSITION_COLUMNS } from '../migrations/0004-work-orders.ts';

/**
 * WorkOrder ⇄ table rows. Wall-clock Dates (UTC fields = Shanghai time) are written as
 * 'YYYY-MM-DD HH:MM:SS.mmm' text cast to TIMESTAMP, and come back from DuckDB as the same
 * Dates, so a stored order reloads equal to the one the machine produced.
 */
export function sqlTimestamp(value: WallClock | null): string | null {
  return value ? value.toISOString().slice(0, 23).replace('T', ' ') : null;
}

// Only these keys hold dates inside the JSON columns; reviving by key (not by pattern) keeps
// a free-text note that happens to look like a date a string.
const DATE_KEYS = new Set(['joinedAt', 'reportedAt', 'requestedDueAt', 'previousDueAt', 'requestedAt', 'decidedAt', 'at', 'dueAt']);

export function parseJson<T>(text: string): T {
  return JSON.parse(text, (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value)) as T;
}

export interface WorkOrderRow {
  id: string;
  version: number;
  state: string;
  origin: string;
  source_ref: string | null;
  source_event_id: bigint | number | null;
  item: string;
  urgency: string;
  summary: string;
  district_code: string;
  street_code: string;
  community_code: string;
  grid_code: string;
  dispatcher_unit_code: string | null;
  assignee_kind: string | null;
  assignee_code: string | null;
  co_handlers: string;
  co_handler_codes: string;
  due_at: Date;
  response_due_at: Date | null;
  extension: string | null;
  extension_count: number;
  supervised: boolean;
  supervision_notes: string;
  reopen_count: number;
  escalation_count: number;
  created_at: Date;
  accepted_at: Date | null;
  dispatched_at: Date | null;
  first_response_at: Date | null;
  signed_at: Date | null;
  disposed_at: Date | null;
  return_visited_at: Date | null;
  closed_at: Date | null;
  updated_at: Date;
  disposal_feedback: string | null;
  return_visit_result: string | null;
  return_visits: string;
  last_return_reason: string | null;
}

export interface TransitionRow {
  order_id: string;
  version: number;
  action: string;
  from_state: string | null;
  to_state: string;
  actor: string;
  actor_role: string;
  actor_unit_code: string;
  actor_department_code: string | null;
  at: Date;
  reason: string | null;
  payload: string;
}

/** The snapshot's column values in table order (timestamps as text), for INSERT and appendRows. */
export function workOrderValues(order: WorkOrder, sourceEventId: number | null): AppendValue[] {
  const t = sqlTimestamp;
  return [
    order.id, order.version, order.state, order.origin, order.sourceRef, sourceEventId, order.item, order.urgency, order.summary,
    order.location.districtCode, order.location.streetCode, order.location.communityCode, order.location.gridCode,
    order.dispatcherUnitCode, order.assignee?.kind ?? null, order.assignee?.code ?? null,
    JSON.stringify(order.coHandlers), coHandlerCodes(order.coHandlers),
    t(order.dueAt), t(order.responseDueAt), order.extension ? JSON.stringify(order.extension) : null, order.extensionCount,
    order.supervised, JSON.stringify(order.supervisionNotes), order.reopenCount, order.escalationCount,
    t(order.createdAt), t(order.acceptedAt), t(order.dispatchedAt), t(order.firstResponseAt), t(order.signedAt),
    t(order.disposedAt), t(order.returnVisitedAt), t(order.closedAt), t(order.updatedAt),
    order.disposalFeedback, order.returnVisitResult, JSON.stringify(order.returnVisits), order.lastReturnReason,
  ];
}

export function transitionValues(record: WorkOrderRecord): AppendValue[] {
  return [
    record.orderId, record.version, record.action, record.fromState, record.toState,
    record.actor.username, record.actor.role, record.actor.unitCode, record.actor.departmentCode,
    sqlTimestamp(record.at), record.reason, JSON.stringify(record.payload),
  ];
}

function appendKind(type: string): AppendKind {
  if (type.startsWith('INTEGER')) return 'integer';
  if (type.startsWith('BIGINT')) return 'bigint';
  if (type.startsWith('BOOLEAN')) return 'boolean';
  if (type.startsWith('DOUBLE')) return 'double';
  return 'varchar'; // VARCHAR and TIMESTAMP (text, cast by DuckDB on insert)
}

export const WORK_ORDER_APPEND_KINDS: readonly AppendKind[] = WORK_ORDER_COLUMNS.map(([, type]) => appendKind(type));
export const TRANSITION_APPEND_KINDS: readonly AppendKind[] = WORK_ORDER_TRANSITION_COLUMNS.map(([, type]) => appendKind(type));

/** `?` placeholders for one snapshot row, with a TIMESTAMP cast where the column needs one. */
export function placeholders(columns: readonly (readonly [string, string])[]): string {
  return columns.map(([, type]) => (type.startsWith('TIMESTAMP') ? '?::TIMESTAMP' : '?')).join(', ');
}

export function coHandlerCodes(coHandlers: readonly CoHandler[]): string {
  return coHandlers.length === 0 ? '' : `,${coHandlers.map((c) => c.departmentCode).join(',')},`;
}

export function recordFromRow(row: TransitionRow): WorkOrderRecord {
  return Object.freeze({
    orderId: row.order_id,
    action: row.action as WorkOrderRecord['action'],
    fromState: row.from_state as WorkOrderState | null,
    toState: row.to_state as WorkOrderState,
    version: row.version,
    actor: Object.freeze({
      username: row.actor,
      role: row.actor_role as Role,
      unitCode: row.actor_unit_code,
      departmentCode: row.actor_department_code as DepartmentCode | null,
    }),
    at: row.at,
    reason: row.reason,
    payload: Object.freeze(parseJson<Record<string, unknown>>(row.payload)),
  });
}

/** Rebuilds the domain order (frozen like the machine's) from its snapshot and its transitions. */
export function orderFromRow(row: WorkOrderRow, history: readonly WorkOrderRecord[]): WorkOrder {
  const assignee: Assignee | null = row.assignee_kind && row.assignee_code ? { kind: row.assignee_kind as Assignee['kind'], code: row.assignee_code } : null;
  const order: WorkOrder = {
    id: row.id,
    version: row.version,
    state: row.state as WorkOrderState,
    origin: row.origin as WorkOrderOrigin,
    sourceRef: row.source_ref,
    item: row.item as Item,
    urgency: row.urgency as Urgency,
    summary: row.summary,
    location: {
      districtCode: row.district_code as UnitCode,
      streetCode: row.street_code as UnitCode,
      communityCode: row.community_code as UnitCode,
      gridCode: row.grid_code as UnitCode,
    },
    dispatcherUnitCode: row.dispatcher_unit_code,
    assignee,
    coHandlers: parseJson<CoHandler[]>(row.co_handlers),
    dueAt: row.due_at,
    responseDueAt: row.response_due_at,
    extension: row.extension ? parseJson<ExtensionRequest>(row.extension) : null,
    extensionCount: row.extension_count,
    supervised: row.supervised,
    supervisionNotes: parseJson<SupervisionNote[]>(row.supervision_notes),
    reopenCount: row.reopen_count,
    escalationCount: row.escalation_count,
    createdAt: row.created_at,
    acceptedAt: row.accepted_at,
    dispatchedAt: row.dispatched_at,
    firstResponseAt: row.first_response_at,
    signedAt: row.signed_at,
    disposedAt: row.disposed_at,
    returnVisitedAt: row.return_visited_at,
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
    disposalFeedback: row.disposal_feedback,
    returnVisitResult: row.return_visit_result as ReturnVisitResult | null,
    returnVisits: parseJson<ReturnVisit[]>(row.return_visits),
    lastReturnReason: row.last_return_reason,
    history: Object.freeze([...history]),
  };
  for (const list of [order.coHandlers, order.supervisionNotes, order.returnVisits]) list.forEach((entry) => Object.freeze(entry));
  return Object.freeze(order);
}
