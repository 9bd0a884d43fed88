import {
  DomainError,
  leadDepartmentFor,
  parseWallClock,
  type Assignee,
  type CreateWorkOrderInput,
  type WallClock,
  type WorkOrder,
  type WorkOrderActor,
  type WorkOrderState,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { demoActor, mulberry32, runDemoLifecycle, type DemoPlan } from './demo-lifecycle.ts';
import { DEMO_ORDERS_META_KEY, type DemoOrdersMeta } from './demo-work-orders.ts';
import { loadAllWorkOrdersUnscoped } from './work-order-replay.ts';
import { TRANSITION_APPEND_KINDS, WORK_ORDER_APPEND_KINDS, sqlTimestamp, transitionValues, workOrderValues } from './work-order-rows.ts';

/**
 * Demo orders on the real clock. The demo data end at their data clock (the end of the last
 * generated month); a server started weeks later would show every open order weeks overdue.
 * At a demo server's start, each *open* demo order (not closed, never touched by a real user)
 * is walked through the machine again with its creation moved forward by (start − the clock
 * it sits on) and the walk stopped at the start time: the desk shows orders created in the
 * last days, most on track, a few due soon or overdue. Closed orders keep their history.
 * Deterministic for a database, its seed and the start time.
 *
 * The re-walk disposes late less often and less late than the history (LATE_SHARE_NOW,
 * MAX_HOURS_LATE_NOW) so that, at the start time, open overdue orders stay near the published
 * 12345 figure (301 overdue of 72,838 transferred, 0.41 %, brief) over all demo orders.
 */
export interface RetimeResult {
  retimed: number;
  from: WallClock | null;
  to: WallClock;
  byState: Partial<Record<WorkOrderState, number>>;
}

const LATE_SHARE_NOW = 0.03;
const MAX_HOURS_LATE_NOW = 36;

export async function readDemoOrdersMeta(db: Database): Promise<DemoOrdersMeta | null> {
  const rows = await db.all<{ value: string }>(`SELECT "value" FROM "warehouse_meta" WHERE "key" = $key`, { key: DEMO_ORDERS_META_KEY });
  return rows[0] ? (JSON.parse(rows[0].value) as DemoOrdersMeta) : null;
}

/** Orders whose every transition was made by a demo actor (a real user's work is never rewritten). */
async function untouchedOpenOrders(db: Database): Promise<WorkOrder[]> {
  const touched = new Set(
    (await db.all<{ order_id: string }>(`SELECT DISTINCT "order_id" FROM "work_order_transitions" WHERE NOT starts_with("actor", 'demo-')`)).map((r) => r.order_id),
  );
  return (await loadAllWorkOrdersUnscoped(db)).filter((o) => o.state !== 'closed' && !touched.has(o.id));
}

function hashId(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** The plan an order was generated from, recovered from its own history. */
function planOf(order: WorkOrder, createdAt: WallClock): DemoPlan {
  const input: CreateWorkOrderInput = {
    id: order.id,
    origin: order.origin,
    ...(order.sourceRef ? { sourceRef: order.sourceRef } : {}),
    item: order.item,
    urgency: order.urgency,
    summary: order.summary,
    location: order.location,
  };
  const street: Assignee = { kind: 'street', code: order.location.streetCode };
  const lead: Assignee = { kind: 'department', code: leadDepartmentFor(order.item) };
  const actorOf = (action: string): WorkOrderActor | null => {
    const record = order.history.find((r) => r.action === action);
    return record ? { ...record.actor } : null;
  };
  const firstDispatch = order.history.find((r) => r.action === 'dispatch');
  const assignee = (firstDispatch?.payload.assignee as Assignee | undefined) ?? (order.origin === 'grid_report' ? { kind: 'grid', code: order.location.gridCode } : street);
  const fallbackDispatcher = order.origin === 'police_transfer' ? demoActor.district(order.location.districtCode) : order.origin === 'grid_report' ? demoActor.street(order.location.streetCode) : demoActor.city();
  return {
    input,
    creator: actorOf('create') ?? demoActor.city(),
    dispatcher: actorOf('accept') ?? fallbackDispatcher,
    assignee,
    alternative: assignee.kind === 'department' ? street : lead,
    createdAt,
    lateShare: LATE_SHARE_NOW,
    maxHoursLate: MAX_HOURS_LATE_NOW,
  };
}

export async function retimeOpenDemoOrders(db: Database, options: { now: WallClock }): Promise<RetimeResult> {
  const meta = await readDemoOrdersMeta(db);
  const byState: RetimeResult['byState'] = {};
  if (!meta?.clock) return { retimed: 0, from: null, to: options.now, byState };
  const from = parseWallClock(meta.clock.slice(0, 19));
  const delta = options.now.getTime() - from.getTime();
  if (delta <= 0) return { retimed: 0, from, to: options.now, byState };
  const open = await untouchedOpenOrders(db);
  const orderRows: ReturnType<typeof workOrderValues>[] = [];
  const transitionRows: ReturnType<typeof transitionValues>[] = [];
  const sourceEvents = new Map(
    (await db.all<{ id: string; source_event_id: number | null }>(`SELECT "id", "source_event_id"::DOUBLE AS "source_event_id" FROM "work_orders" WHERE "source_event_id" IS NOT NULL`)).map((r) => [r.id, r.source_event_id]),
  );
  for (const order of open) {
    const rng = mulberry32((meta.seed * 2_654_435_761 + hashId(order.id) + Math.floor(options.now.getTime() / 60_000)) >>> 0);
    const run = runDemoLifecycle(planOf(order, new Date(order.createdAt.getTime() + delta)), rng, options.now);
    if (!run) throw new DomainError('INTERNAL', `demo order ${order.id}: re-timed creation after the start time`);
    orderRows.push(workOrderValues(run.order, sourceEvents.get(order.id) ?? null));
    for (const record of run.records) transitionRows.push(transitionValues(record));
    byState[run.order.state] = (byState[run.order.state] ?? 0) + 1;
  }
  await db.transaction(async (tx) => {
    if (open.length > 0) {
      const ids = `(${open.map((_, i) => `$id_${i}`).join(', ')})`;
      const params = Object.fromEntries(open.map((o, i) => [`id_${i}`, o.id]));
      await tx.run(`DELETE FROM "work_order_transitions" WHERE "order_id" IN ${ids}`, params);
      await tx.run(`DELETE FROM "work_orders" WHERE "id" IN ${ids}`, params);
      await tx.appendRows('work_orders', WORK_ORDER_APPEND_KINDS, orderRows);
      await tx.appendRows('work_order_transitions', TRANSITION_APPEND_KINDS, transitionRows);
    }
    await tx.run(`INSERT OR REPLACE INTO "warehouse_meta" VALUES ($key, $value)`, {
      key: DEMO_ORDERS_META_KEY,
      value: JSON.stringify({ seed: meta.seed, clock: sqlTimestamp(options.now) } satisfies DemoOrdersMeta),
    });
  });
  return { retimed: open.length, from, to: options.now, byState };
}
