import {
  DomainError,
  applyTransition,
  type Assignee,
  type DepartmentCode,
  type ReturnVisitResult,
  createWorkOrder,
  type WorkflowOptions,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActor,
  type WorkOrderRecord,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { orderFromRow, recordFromRow, type TransitionRow, type WorkOrderRow } from './work-order-rows.ts';

/**
 * Tamper evidence: an order's snapshot must be exactly what replaying its append-only
 * transitions through the machine produces. Each record carries enough (actor, time, reason,
 * payload) to rebuild the action that made it; the creation input's free fields (summary,
 * place, source reference) are immutable and read from the snapshot.
 */
export function actionFromRecord(record: WorkOrderRecord, expectedVersion: number): WorkOrderAction {
  const p = record.payload as Partial<Record<string, unknown>>;
  const note = record.reason === null ? {} : { note: record.reason };
  const base = { expectedVersion };
  switch (record.action) {
    case 'accept':
      return { type: 'accept', ...base, ...(typeof p.note === 'string' ? { note: p.note } : {}) };
    case 'dispatch':
      return { type: 'dispatch', ...base, assignee: p.assignee as Assignee, ...((p.coHandlers as DepartmentCode[]).length > 0 ? { coHandlers: p.coHandlers as DepartmentCode[] } : {}), ...note };
    case 'return':
    case 'reopen':
    case 'reject_extension':
    case 'escalate':
      return { type: record.action, ...base, reason: record.reason! };
    case 'sign':
    case 'start':
      return { type: record.action, ...base };
    case 'dispose':
    case 'report_co_handling':
      return { type: record.action, ...base, feedback: p.feedback as string };
    case 'record_return_visit':
      return { type: 'record_return_visit', ...base, result: p.result as ReturnVisitResult, ...note };
    case 'close':
    case 'approve_extension':
      return { type: record.action, ...base, ...note };
    case 'request_extension':
      return { type: 'request_extension', ...base, requestedDueAt: p.requestedDueAt as Date, reason: record.reason! };
    case 'call_departments':
      return { type: 'call_departments', ...base, departments: p.departments as DepartmentCode[], reason: record.reason! };
    case 'supervise':
      return { type: 'supervise', ...base, note: record.reason! };
    case 'create':
      throw new DomainError('INTERNAL', '登记记录不能作为流转操作重放');
  }
}

const actorOf = (record: WorkOrderRecord): WorkOrderActor => ({ ...record.actor });

/** Rebuilds an order from its creation fields and its records. */
export function replayWorkOrder(snapshot: WorkOrder, records: readonly WorkOrderRecord[], options: WorkflowOptions = {}): WorkOrder {
  const [first, ...rest] = records;
  if (!first || first.action !== 'create') throw new DomainError('INTERNAL', `工单 ${snapshot.id} 缺少登记记录`);
  const input = { id: snapshot.id, origin: snapshot.origin, sourceRef: snapshot.sourceRef, item: snapshot.item, urgency: snapshot.urgency, summary: snapshot.summary, location: snapshot.location };
  let order = createWorkOrder(input, actorOf(first), first.at, options).order;
  for (const record of rest) order = applyTransition(order, actionFromRecord(record, order.version), actorOf(record), record.at, options).order;
  return order;
}

/** Every order with its history (no scope: for verification jobs and tests, never for requests). */
export async function loadAllWorkOrdersUnscoped(db: Database): Promise<WorkOrder[]> {
  const rows = await db.all<WorkOrderRow>(`SELECT * FROM "work_orders" ORDER BY "id"`);
  const transitions = await db.all<TransitionRow>(`SELECT * FROM "work_order_transitions" ORDER BY "order_id", "version"`);
  const byOrder = new Map<string, WorkOrderRecord[]>();
  for (const row of transitions) {
    const list = byOrder.get(row.order_id) ?? [];
    list.push(recordFromRow(row));
    byOrder.set(row.order_id, list);
  }
  return rows.map((row) => orderFromRow(row, byOrder.get(row.id) ?? []));
}
