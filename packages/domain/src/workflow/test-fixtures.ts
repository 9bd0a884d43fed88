// Shared by this folder's tests only (not exported from index.ts).
import type { UnitCode } from '../units.ts';
import { wallClock, type WallClock } from './wall-clock.ts';
import { createWorkOrder, type CreateWorkOrderInput } from './work-order-create.ts';
import { applyTransition } from './work-order-machine.ts';
import type { TransitionResult, WorkOrder, WorkOrderAction, WorkOrderActor } from './work-order-types.ts';

export const LOCATION = {
  districtCode: '510104' as UnitCode,
  streetCode: '510104001' as UnitCode,
  communityCode: '510104001001' as UnitCode,
  gridCode: '510104001001001' as UnitCode,
};

export const ACTORS = {
  city: { username: 'city-1', role: 'city_commander', unitCode: '5101' },
  district: { username: 'district-1', role: 'district_analyst', unitCode: '510104' },
  otherDistrict: { username: 'district-2', role: 'district_analyst', unitCode: '510105' },
  street: { username: 'street-1', role: 'street_operator', unitCode: '510104001' },
  otherStreet: { username: 'street-2', role: 'street_operator', unitCode: '510104002' },
  grid: { username: 'grid-1', role: 'grid_worker', unitCode: '510104001001001' },
  otherGrid: { username: 'grid-2', role: 'grid_worker', unitCode: '510104001001002' },
  urbanManagement: { username: 'dept-d04', role: 'department_officer', unitCode: '5101', departmentCode: 'D04' },
  utilities: { username: 'dept-d11', role: 'department_officer', unitCode: '5101', departmentCode: 'D11' },
  environment: { username: 'dept-d03', role: 'department_officer', unitCode: '5101', departmentCode: 'D03' },
  admin: { username: 'admin', role: 'admin', unitCode: '5101' },
} as const satisfies Record<string, WorkOrderActor>;

export type ActionInput = WorkOrderAction extends infer A ? (A extends WorkOrderAction ? Omit<A, 'expectedVersion'> : never) : never;

export function newOrder(overrides: Partial<CreateWorkOrderInput> = {}, at: WallClock = wallClock(2026, 3, 2, 9), actor: WorkOrderActor = ACTORS.grid): WorkOrder {
  const input: CreateWorkOrderInput = {
    id: 'WO-1',
    origin: 'grid_report',
    item: 'urban_management',
    urgency: 'normal',
    summary: '小区门口占道经营',
    location: LOCATION,
    ...overrides,
  };
  return createWorkOrder(input, actor, at).order;
}

/** Applies an action with the order's current version (the caller that has just reloaded). */
export function act(order: WorkOrder, action: ActionInput, actor: WorkOrderActor, at: WallClock): WorkOrder {
  return step(order, action, actor, at).order;
}

export function step(order: WorkOrder, action: ActionInput, actor: WorkOrderActor, at: WallClock): TransitionResult {
  return applyTransition(order, { ...action, expectedVersion: order.version } as WorkOrderAction, actor, at);
}

/** Minutes after a base time, for readable test timelines. */
export function minutesAfter(base: WallClock, minutes: number): WallClock {
  return new Date(base.getTime() + minutes * 60_000);
}
