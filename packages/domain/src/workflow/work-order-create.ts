import { z } from 'zod';
import { ITEMS, type Item } from '../categories.ts';
import { DomainError } from '../errors.ts';
import { URGENCIES, type Urgency } from '../sources.ts';
import { computeDueAt } from './sla.ts';
import { assertValidWallClock, type WallClock } from './wall-clock.ts';
import type { WorkflowOptions } from './work-order-machine.ts';
import { actorCoversLocation } from './work-order-permissions.ts';
import { freezeOrder, makeRecord } from './work-order-records.ts';
import {
  WORK_ORDER_ORIGINS,
  type TransitionResult,
  type WorkOrder,
  type WorkOrderActor,
  type WorkOrderLocation,
  type WorkOrderOrigin,
} from './work-order-types.ts';

const unitCode = (length: number) => z.string().regex(new RegExp(`^\\d{${length}}$`));
const createInputSchema = z
  .object({
    id: z.string().trim().min(1).max(64),
    origin: z.enum(WORK_ORDER_ORIGINS),
    sourceRef: z.string().max(64).nullable().optional(),
    item: z.enum(ITEMS),
    urgency: z.enum(URGENCIES),
    summary: z.string().trim().min(1).max(2000),
    location: z.object({ districtCode: unitCode(6), streetCode: unitCode(9), communityCode: unitCode(12), gridCode: unitCode(15) }),
  })
  .refine(
    ({ location: l }) => l.gridCode.startsWith(l.communityCode) && l.communityCode.startsWith(l.streetCode) && l.streetCode.startsWith(l.districtCode),
    { message: '区划代码层级不一致', path: ['location'] },
  );

export interface CreateWorkOrderInput {
  id: string;
  origin: WorkOrderOrigin;
  sourceRef?: string | null;
  item: Item;
  urgency: Urgency;
  summary: string;
  location: WorkOrderLocation;
}

/** Registers a new order (登记). Its resolution deadline is fixed here from the SLA policy. */
export function createWorkOrder(input: CreateWorkOrderInput, actor: WorkOrderActor, at: WallClock, options: WorkflowOptions = {}): TransitionResult {
  const parsed = createInputSchema.safeParse(input);
  if (!parsed.success) throw new DomainError('BAD_INPUT', `工单信息不完整或无效：${parsed.error.issues[0]?.message ?? ''}`, { issues: parsed.error.issues });
  assertValidWallClock(at, '登记时间');
  const data = parsed.data;
  const location = { ...data.location } as WorkOrderLocation;
  if (actor.role === 'admin' || (actor.role !== 'department_officer' && !actorCoversLocation(actor, { location }))) {
    throw new DomainError('FORBIDDEN', `${actor.username} 无权在 ${location.gridCode} 登记工单`, { orderId: data.id });
  }
  const record = makeRecord(data.id, 'create', null, 'created', 1, actor, at, null, { origin: data.origin, item: data.item, urgency: data.urgency });
  const order: WorkOrder = {
    id: data.id,
    version: 1,
    state: 'created',
    origin: data.origin,
    sourceRef: data.sourceRef ?? null,
    item: data.item,
    urgency: data.urgency,
    summary: data.summary,
    location,
    dispatcherUnitCode: null,
    assignee: null,
    coHandlers: [],
    dueAt: computeDueAt(data.item, data.urgency, at, options),
    responseDueAt: null,
    extension: null,
    extensionCount: 0,
    supervised: false,
    supervisionNotes: [],
    reopenCount: 0,
    escalationCount: 0,
    createdAt: at,
    acceptedAt: null,
    dispatchedAt: null,
    firstResponseAt: null,
    signedAt: null,
    disposedAt: null,
    returnVisitedAt: null,
    closedAt: null,
    updatedAt: at,
    disposalFeedback: null,
    returnVisitResult: null,
    returnVisits: [],
    lastReturnReason: null,
    history: [record],
  };
  return { order: freezeOrder(order), record };
}
