import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  ASSIGNEE_KINDS,
  ITEMS,
  SLA_STATUSES,
  URGENCIES,
  WORK_ORDER_ORIGINS,
  WORK_ORDER_STATES,
  actionsAllowedIn,
  departmentCodeSchema,
  parseWallClock,
  wallClockFromInstant,
  workOrderActionSchema,
  type UnitCode,
  type WallClock,
  type WorkOrder,
  type WorkOrderActor,
} from '@cityops/domain';
import {
  acknowledgeMobilisationGrid,
  broadcastMobilisationTask,
  completeMobilisationGrid,
  createWorkOrderRow,
  getMobilisationSummary,
  getWorkOrder,
  listMobilisationTasks,
  listWorkOrders,
  monthPeriod,
  queryServiceMetrics,
  transitionWorkOrder,
} from '@cityops/db/work-orders/index';
import type { SessionUser } from '../auth/session-user.ts';
import type { Context } from '../context.ts';
import { authedProcedure, router } from '../trpc.ts';
import { monthInput, unitCodeInput } from './inputs.ts';
import { sharedFreshRead } from '../query-cache.ts';
import { sharedFreshProcedureInput } from '../cached-responses.ts';

/**
 * The work-order desk (street-disposal) and 微网实格 mobilisation. Scope is enforced by the db
 * functions; this layer validates input, supplies the clock and the actor, and announces every
 * change on the live bus.
 *
 * Time on the wire: wall-clock text 'YYYY-MM-DD HH:mm:ss' (Asia/Shanghai), both ways — no
 * transformer is configured, and an ISO 'Z' string of a wall-clock Date would read 8 h off.
 */
type Wire<T> = T extends Date ? string : T extends readonly (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

function toWire<T>(value: T): Wire<T> {
  if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ') as Wire<T>;
  if (Array.isArray(value)) return value.map((entry) => toWire(entry)) as Wire<T>;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toWire(v)])) as Wire<T>;
  return value as Wire<T>;
}

const now = (): WallClock => wallClockFromInstant(new Date());

/** The machine's actor for the signed-in user (the db layer maps a grid worker to the order's grid). */
function actorOf(user: SessionUser): WorkOrderActor {
  return { username: user.username, role: user.role, unitCode: user.unitCode, departmentCode: user.departmentCode };
}

function announce(ctx: Context, order: WorkOrder, action: string): void {
  ctx.liveBus.publish({ kind: 'work_order', id: order.id, item: order.item, unitCode: order.location.gridCode, state: order.state, action, publishedAt: Date.now() });
}

/** The desk sends a deadline as wall-clock text ('YYYY-MM-DD HH:mm'); the machine wants a Date. */
const actionInput = z.preprocess((value) => {
  if (value && typeof value === 'object' && 'requestedDueAt' in value && typeof value.requestedDueAt === 'string') {
    try {
      return { ...value, requestedDueAt: parseWallClock(value.requestedDueAt) };
    } catch {
      return value; // left as text: the schema's z.date() reports it
    }
  }
  return value;
}, workOrderActionSchema);

const orderId = z.string().trim().min(1).max(64);
const gridCodeInput = z.string().regex(/^\d{15}$/, '网格代码应为 15 位数字');

export const workOrdersRouter = router({
  list: authedProcedure
    .input(
      sharedFreshProcedureInput('workOrders.list', z.object({
        state: z.enum(WORK_ORDER_STATES).optional(),
        slaStatus: z.enum(SLA_STATUSES).optional(),
        unitCode: unitCodeInput.optional(),
        assignee: z.object({ kind: z.enum(ASSIGNEE_KINDS), code: z.string().regex(/^[A-Z0-9]{2,15}$/) }).optional(),
        orderBy: z.enum(['updated', 'due']).default('updated'),
        limit: z.number().int().min(1).max(200).default(50),
        offset: z.number().int().min(0).max(100_000).default(0),
      })),
    )
    // Fresh (never cached), but identical concurrent requests share one query (sharedFreshRead).
    .query(({ ctx, input }) => sharedFreshRead(ctx, 'workOrders.list', input, async () => toWire(await listWorkOrders(ctx.db, ctx.scope, { ...input, at: now() })))),

  byId: authedProcedure.input(z.object({ id: orderId })).query(async ({ ctx, input }) => {
    const { order, slaStatus } = await getWorkOrder(ctx.db, ctx.scope, input.id, now());
    // The machine's options in this state; the actor may still be refused (FORBIDDEN) on submit.
    return toWire({ order, slaStatus, allowedActions: actionsAllowedIn(order.state) });
  }),

  create: authedProcedure
    .input(
      z.object({
        id: orderId.optional(),
        origin: z.enum(WORK_ORDER_ORIGINS),
        sourceRef: z.string().max(64).optional(),
        item: z.enum(ITEMS),
        urgency: z.enum(URGENCIES),
        summary: z.string().trim().min(1).max(2000),
        /** The place: its community, street and district follow from the grid code. */
        gridCode: gridCodeInput,
        /**
         * Optional: accept and dispatch right away (the city center's 派单 of a major event to a
         * district or a city department). The state machine decides whether this actor may.
         */
        dispatchTo: z
          .object({ kind: z.enum(['district', 'department']), code: z.string().regex(/^[A-Z0-9]{2,15}$/), note: z.string().trim().max(2000).optional() })
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const at = now();
      const id = input.id ?? `WO-${toWire(at).slice(0, 10).replaceAll('-', '')}-${randomUUID().slice(0, 8).toUpperCase()}`;
      const g = input.gridCode;
      const location = { districtCode: g.slice(0, 6) as UnitCode, streetCode: g.slice(0, 9) as UnitCode, communityCode: g.slice(0, 12) as UnitCode, gridCode: g as UnitCode };
      const { order } = await createWorkOrderRow(
        ctx.db,
        ctx.scope,
        actorOf(ctx.user),
        { id, origin: input.origin, sourceRef: input.sourceRef ?? null, item: input.item, urgency: input.urgency, summary: input.summary, location },
        { at, ip: ctx.meta.ip },
      );
      announce(ctx, order, 'create');
      if (!input.dispatchTo) return toWire({ order });
      // Accept (the caller becomes the dispatcher) then dispatch; each step is its own audited
      // transition. A refusal leaves the order registered (已登记) and reaches the caller as the error.
      const actor = actorOf(ctx.user);
      const accepted = await transitionWorkOrder(ctx.db, ctx.scope, actor, { id, action: { type: 'accept', expectedVersion: order.version } }, { at, ip: ctx.meta.ip });
      announce(ctx, accepted.order, 'accept');
      const { dispatchTo } = input;
      const assignee = { kind: dispatchTo.kind, code: dispatchTo.code };
      const dispatched = await transitionWorkOrder(
        ctx.db,
        ctx.scope,
        actor,
        { id, action: { type: 'dispatch', expectedVersion: accepted.order.version, assignee, ...(dispatchTo.note ? { note: dispatchTo.note } : {}) } },
        { at, ip: ctx.meta.ip },
      );
      announce(ctx, dispatched.order, 'dispatch');
      return toWire({ order: dispatched.order });
    }),

  /** One action of the machine; `action.expectedVersion` is the version the desk last saw (else CONFLICT). */
  transition: authedProcedure.input(z.object({ id: orderId, action: actionInput })).mutation(async ({ ctx, input }) => {
    const { order, record } = await transitionWorkOrder(ctx.db, ctx.scope, actorOf(ctx.user), { id: input.id, action: input.action }, { at: now(), ip: ctx.meta.ip });
    announce(ctx, order, record.action);
    return toWire({ order, record });
  }),

  /** 三率 and friends of a unit or a department for a month, counted as of now for the current month. */
  metrics: authedProcedure
    .input(z.object({ unitCode: unitCodeInput.optional(), departmentCode: departmentCodeSchema.optional(), month: monthInput }))
    .query(async ({ ctx, input }) => {
      const at = now();
      // A finished month is counted at its end; a running one as of now (nothing later has happened).
      const asOf = monthPeriod(input.month).to <= at ? undefined : at;
      return toWire(await queryServiceMetrics(ctx.db, ctx.scope, { unitCode: input.unitCode, departmentCode: input.departmentCode, month: input.month, asOf }));
    }),

  mobilisation: router({
    list: authedProcedure
      .input(z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({ limit: 50 }))
      .query(async ({ ctx, input }) => toWire(await listMobilisationTasks(ctx.db, ctx.scope, input.limit))),

    broadcast: authedProcedure
      .input(z.object({ title: z.string().trim().min(1).max(200), areaCode: unitCodeInput, standardHours: z.number().positive().max(72).optional() }))
      .mutation(async ({ ctx, input }) => {
        const request = { title: input.title, areaCode: input.areaCode, ...(input.standardHours === undefined ? {} : { standardHours: input.standardHours }) };
        const task = await broadcastMobilisationTask(ctx.db, ctx.scope, ctx.user, request, { at: now(), ip: ctx.meta.ip });
        return toWire({ id: task.id, deadline: task.deadline, grids: task.grids.length });
      }),

    acknowledge: authedProcedure.input(z.object({ taskId: orderId, gridCode: gridCodeInput })).mutation(async ({ ctx, input }) => {
      await acknowledgeMobilisationGrid(ctx.db, ctx.scope, ctx.user, input, { at: now(), ip: ctx.meta.ip });
      return toWire(await getMobilisationSummary(ctx.db, ctx.scope, input.taskId, now()));
    }),

    complete: authedProcedure
      .input(z.object({ taskId: orderId, gridCode: gridCodeInput, note: z.string().trim().max(500).optional() }))
      .mutation(async ({ ctx, input }) => {
        await completeMobilisationGrid(ctx.db, ctx.scope, ctx.user, { taskId: input.taskId, gridCode: input.gridCode, note: input.note ?? null }, { at: now(), ip: ctx.meta.ip });
        return toWire(await getMobilisationSummary(ctx.db, ctx.scope, input.taskId, now()));
      }),

    summary: authedProcedure
      .input(z.object({ taskId: orderId }))
      .query(async ({ ctx, input }) => toWire(await getMobilisationSummary(ctx.db, ctx.scope, input.taskId, now()))),
  }),
});
