import { departmentOf } from '../departments.ts';
import { DomainError } from '../errors.ts';
import { ROLE_LABELS, type Role } from '../scope.ts';
import { CITY_CODE, codeLengthOf, isWithinUnit } from '../units.ts';
import {
  ASSIGNEE_KIND_LABELS,
  WORK_ORDER_ACTION_LABELS,
  type Assignee,
  type WorkOrder,
  type WorkOrderActionType,
  type WorkOrderActor,
} from './work-order-types.ts';

/**
 * Who may do what, by tier. The "王" architecture has three operations-center tiers (city,
 * district, street) plus grids below and city departments beside; "upper tier" always means a
 * territorial center above the holder — only it approves extensions and supervises (督办).
 */
const CENTER_ROLES: readonly Role[] = ['street_operator', 'district_analyst', 'city_commander'];

const ROLE_OF_KIND: Record<Exclude<Assignee['kind'], 'department'>, Role> = {
  grid: 'grid_worker',
  street: 'street_operator',
  district: 'district_analyst',
  city: 'city_commander',
};

export function isOperationsCenter(actor: WorkOrderActor): boolean {
  return CENTER_ROLES.includes(actor.role);
}

/** The actor works for the assignee (the only one who signs for, handles and disposes). */
export function actorIsAssignee(actor: WorkOrderActor, assignee: Assignee | null): boolean {
  if (!assignee) return false;
  if (assignee.kind === 'department') return actor.role === 'department_officer' && actor.departmentCode === assignee.code;
  return actor.role === ROLE_OF_KIND[assignee.kind] && actor.unitCode === assignee.code;
}

/**
 * The actor is a territorial center above the holder: the street over its grids, the district
 * over its streets and grids, the city over everyone. City departments answer to the city.
 * The city commander also counts as "upper" for a city-level holder: there is no tier above.
 */
export function actorIsUpperTierOf(actor: WorkOrderActor, holder: Assignee): boolean {
  if (actor.role === 'city_commander') return true;
  if (holder.kind === 'department' || holder.kind === 'city' || holder.kind === 'district') return false;
  if (actor.role === 'district_analyst') return isWithinUnit(holder.code, actor.unitCode) && actor.unitCode.length === codeLengthOf('district');
  if (actor.role === 'street_operator') return holder.kind === 'grid' && isWithinUnit(holder.code, actor.unitCode) && actor.unitCode.length === codeLengthOf('street');
  return false;
}

/** The accepting operations center or a center above it (which may act in its stead). */
export function actorIsDispatcher(actor: WorkOrderActor, order: WorkOrder): boolean {
  return isOperationsCenter(actor) && order.dispatcherUnitCode !== null && isWithinUnit(order.dispatcherUnitCode, actor.unitCode);
}

/** A territorial actor (center or grid worker) whose territory contains the order's place. */
export function actorCoversLocation(actor: WorkOrderActor, order: Pick<WorkOrder, 'location'>): boolean {
  if (actor.role === 'department_officer' || actor.role === 'admin') return false;
  return isWithinUnit(order.location.gridCode, actor.unitCode);
}

export function describeActor(actor: WorkOrderActor): string {
  return `${ROLE_LABELS[actor.role]} ${actor.username}（${actor.departmentCode ?? actor.unitCode}）`;
}

export function describeAssignee(assignee: Assignee): string {
  if (assignee.kind === 'department') return departmentOf(assignee.code)?.zh ?? assignee.code;
  return `${ASSIGNEE_KIND_LABELS[assignee.kind]} ${assignee.code}`;
}

export function forbidden(actor: WorkOrderActor, action: WorkOrderActionType, who: string, order: WorkOrder): DomainError {
  return new DomainError('FORBIDDEN', `${describeActor(actor)} 无权对工单 ${order.id} 执行「${WORK_ORDER_ACTION_LABELS[action]}」：${who}`, {
    orderId: order.id,
    action,
  });
}

/** Checks that an assignee names a real unit of the right level or a known department. */
export function assertValidAssignee(assignee: Assignee): void {
  const ok =
    assignee.kind === 'department'
      ? departmentOf(assignee.code) !== undefined
      : assignee.kind === 'city'
        ? assignee.code === CITY_CODE
        : /^\d+$/.test(assignee.code) && assignee.code.length === codeLengthOf(assignee.kind) && isWithinUnit(assignee.code, CITY_CODE);
  if (!ok) throw new DomainError('BAD_INPUT', `承办单位无效：${ASSIGNEE_KIND_LABELS[assignee.kind]} ${assignee.code}`);
}

/** The territorial tier directly above a holder, for escalation (升级): grid → street → district → city. */
export function upperTierOf(assignee: Assignee): Assignee | null {
  switch (assignee.kind) {
    case 'grid':
      return { kind: 'street', code: assignee.code.slice(0, codeLengthOf('street')) };
    case 'street':
      return { kind: 'district', code: assignee.code.slice(0, codeLengthOf('district')) };
    case 'district':
      return { kind: 'city', code: CITY_CODE };
    default:
      return null;
  }
}
