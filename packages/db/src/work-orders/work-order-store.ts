import {
  DomainError,
  applyTransition,
  createWorkOrder,
  scopeCoversUnit,
  wallClockFromInstant,
  workOrderSlaStatus,
  type CreateWorkOrderInput,
  type Scope,
  type SlaStatus,
  type WallClock,
  type WorkflowOptions,
  type WorkOrder,
  type WorkOrderAction,
  type WorkOrderActor,
  type WorkOrderRecord,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { WORK_ORDER_COLUMNS, WORK_ORDER_TRANSITION_COLUMNS } from '../migrations/0004-work-orders.ts';
import { appendAuditLine } from './audit-line.ts';
import { runExclusiveTransaction } from './exclusive-transaction.ts';
import { actorForOrder, outOfScope, workOrderInScope } from './work-order-scope.ts';
import {
  orderFromRow,
  placeholders,
  recordFromRow,
  transitionValues,
  workOrderValues,
  type TransitionRow,
  type WorkOrderRow,
} from './work-order-rows.ts';

/** Where a change came from: the time it happened (wall clock; default now) and the client's address. */
export interface ChangeContext {
  at?: WallClock;
  ip?: string | null;
  options?: WorkflowOptions;
}

export interface WorkOrderChange {
  order: WorkOrder;
  record: WorkOrderRecord;
}

const SNAPSHOT_COLUMNS = WORK_ORDER_COLUMNS.map(([name]) => `"${name}"`).join(', ');
const TRANSITION_COLUMNS = WORK_ORDER_TRANSITION_COLUMNS.map(([name]) => `"${name}"`).join(', ');
// Every snapshot column but the key and the source link is rewritten: the machine owns the order.
const FIXED_COLUMNS = new Set(['id', 'source_event_id']);
const UPDATED = WORK_ORDER_COLUMNS.map(([name, type], index) => ({ name, type, index })).filter(({ name }) => !FIXED_COLUMNS.has(name));
const UPDATE_SET = UPDATED.map(({ name, type }) => `"${name}" = ${type.startsWith('TIMESTAMP') ? '?::TIMESTAMP' : '?'}`).join(', ');

function nowWallClock(): WallClock {
  return wallClockFromInstant(new Date());
}

/** The order with its full history, or undefined; no scope check (internal). */
export async function loadWorkOrder(db: Database, id: string): Promise<WorkOrder | undefined> {
  const rows = await db.all<WorkOrderRow>(`SELECT * FROM "work_orders" WHERE "id" = ?`, [id]);
  const row = rows[0];
  if (!row) return undefined;
  const history = await db.all<TransitionRow>(`SELECT * FROM "work_order_transitions" WHERE "order_id" = ? ORDER BY "version"`, [id]);
  return orderFromRow(row, history.map(recordFromRow));
}

async function loadInScope(db: Database, scope: Scope, id: string): Promise<WorkOrder> {
  const order = await loadWorkOrder(db, id);
  if (!order || !workOrderInScope(scope, order)) throw outOfScope(scope, id, order !== undefined);
  return order;
}

export interface WorkOrderDetail {
  order: WorkOrder;
  /** SLA status of the resolution clock at `at`. */
  slaStatus: SlaStatus;
}

/** One order with its history, if the caller's scope covers it (else FORBIDDEN; see work-order-scope.ts). */
export async function getWorkOrder(db: Database, scope: Scope, id: string, at: WallClock = nowWallClock(), options: WorkflowOptions = {}): Promise<WorkOrderDetail> {
  const order = await loadInScope(db, scope, id);
  return { order, slaStatus: workOrderSlaStatus(order, at, options) };
}

async function writeAudit(tx: Database, record: WorkOrderRecord, ip: string | null): Promise<void> {
  await appendAuditLine(tx, {
    actor: record.actor.username,
    action: `work_order.${record.action}`,
    target: record.orderId,
    detail: {
      version: record.version,
      fromState: record.fromState,
      toState: record.toState,
      at: record.at.toISOString().slice(0, 19).replace('T', ' '),
      reason: record.reason,
      role: record.actor.role,
      unitCode: record.actor.unitCode,
      departmentCode: record.actor.departmentCode,
    },
    ip,
  });
}

export interface CreateWorkOrderRowInput extends CreateWorkOrderInput {
  /** The warehouse event the order was raised from (a 12345 case, a 110 call), if any. */
  sourceEventId?: number | null;
}

/** Registers a new order (登记): snapshot + first transition + audit line, in one transaction. */
export async function createWorkOrderRow(db: Database, scope: Scope, actor: WorkOrderActor, input: CreateWorkOrderRowInput, change: ChangeContext = {}): Promise<WorkOrderChange> {
  if (scope.role !== 'department_officer' && !scopeCoversUnit(scope, input.location.gridCode)) {
    throw new DomainError('FORBIDDEN', `无权在 ${input.location.gridCode} 登记工单`);
  }
  const { sourceEventId = null, ...domainInput } = input;
  const result = createWorkOrder(domainInput, actorForOrder(actor, scope, input.location.gridCode), change.at ?? nowWallClock(), change.options);
  const exists = await db.all(`SELECT 1 FROM "work_orders" WHERE "id" = ?`, [result.order.id]);
  if (exists.length > 0) throw new DomainError('CONFLICT', `工单编号 ${result.order.id} 已存在`);
  await runExclusiveTransaction(db, async (tx) => {
    await tx.run(`INSERT INTO "work_orders" (${SNAPSHOT_COLUMNS}) VALUES (${placeholders(WORK_ORDER_COLUMNS)})`, workOrderValues(result.order, sourceEventId));
    await insertTransition(tx, result.record);
    await writeAudit(tx, result.record, change.ip ?? null);
  });
  return result;
}

async function insertTransition(tx: Database, record: WorkOrderRecord): Promise<void> {
  await tx.run(`INSERT INTO "work_order_transitions" (${TRANSITION_COLUMNS}) VALUES (${placeholders(WORK_ORDER_TRANSITION_COLUMNS)})`, transitionValues(record));
}

export interface TransitionRequest {
  id: string;
  /** The machine's action; its `expectedVersion` is the version the client last saw. */
  action: WorkOrderAction;
}

/**
 * Applies one action under optimistic versioning: load → `applyTransition` (pure: state,
 * tier, preconditions) → in one transaction, rewrite the snapshot only if nobody changed it
 * since it was loaded (`WHERE id = ? AND version = ?`), record the transition and the audit
 * line. A concurrent winner makes the UPDATE match no row: CONFLICT, nothing written.
 */
export async function transitionWorkOrder(db: Database, scope: Scope, actor: WorkOrderActor, request: TransitionRequest, change: ChangeContext = {}): Promise<WorkOrderChange> {
  const order = await loadInScope(db, scope, request.id);
  const at = change.at ?? nowWallClock();
  const result = applyTransition(order, request.action, actorForOrder(actor, scope, order.location.gridCode), at, change.options);
  const written = await runExclusiveTransaction(db, async (tx) => {
    const all = workOrderValues(result.order, null);
    const values = UPDATED.map(({ index }) => all[index] ?? null);
    const updated = await tx.all(`UPDATE "work_orders" SET ${UPDATE_SET} WHERE "id" = ? AND "version" = ? RETURNING "id"`, [...values, order.id, order.version]);
    // Report the lost race as a value: throwing here would roll back the (shared) transaction.
    if (updated.length === 0) return false;
    await insertTransition(tx, result.record);
    await writeAudit(tx, result.record, change.ip ?? null);
    return true;
  });
  if (!written) {
    throw new DomainError('CONFLICT', `工单 ${order.id} 已被他人更新（提交版本 ${request.action.expectedVersion}），请刷新后重试`, {
      orderId: order.id,
      expectedVersion: request.action.expectedVersion,
    });
  }
  return result;
}
