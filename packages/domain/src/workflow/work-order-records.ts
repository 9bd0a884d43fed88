import type { WallClock } from './wall-clock.ts';
import type { WorkOrder, WorkOrderActor, WorkOrderRecord, WorkOrderState } from './work-order-types.ts';

/** One frozen audit-log line: the order's audit trail and the db's audit table share this shape. */
export function makeRecord(
  orderId: string,
  action: WorkOrderRecord['action'],
  fromState: WorkOrderState | null,
  toState: WorkOrderState,
  version: number,
  actor: WorkOrderActor,
  at: WallClock,
  reason: string | null,
  payload: Record<string, unknown>,
): WorkOrderRecord {
  const recordActor = Object.freeze({ username: actor.username, role: actor.role, unitCode: actor.unitCode, departmentCode: actor.departmentCode ?? null });
  return Object.freeze({ orderId, action, fromState, toState, version, actor: recordActor, at, reason, payload: Object.freeze({ ...payload }) });
}

/** Freezes the order and the containers it owns, so a refused or forgotten mutation fails loudly. */
export function freezeOrder(order: WorkOrder): WorkOrder {
  for (const value of [order.location, order.assignee, order.extension, order.coHandlers, order.supervisionNotes, order.returnVisits, order.history]) {
    if (value && typeof value === 'object') Object.freeze(value);
  }
  for (const list of [order.coHandlers, order.supervisionNotes, order.returnVisits]) list.forEach((entry) => Object.freeze(entry));
  return Object.freeze(order);
}
