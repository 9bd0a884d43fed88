import { CITY_CODE, DomainError, isWithinUnit, type Scope, type WorkOrder, type WorkOrderActor } from '@cityops/domain';
import type { DuckDBValue } from '@duckdb/node-api';

/**
 * Which work orders a caller may see, in SQL and in TypeScript (the two must agree):
 * - department officer: orders its department leads (assignee) or co-handles (协同整治),
 *   whatever their item — a department called in by a street must see that order;
 * - grid worker: orders located in its own grids;
 * - street / district / city (and admin, read-only by the machine's rules): orders located
 *   in its territory, or held by a unit inside it. A holder always contains the order's grid
 *   (the machine refuses other dispatches), so the second clause only documents intent.
 *
 * Out-of-scope ids: `getWorkOrder` and `transitionWorkOrder` answer FORBIDDEN with the same
 * message whether the id exists elsewhere or not at all, so a narrow scope cannot probe which
 * ids exist (issue 6: out of scope → FORBIDDEN). Only a caller who sees everything gets
 * NOT_FOUND for a missing id — for them it leaks nothing.
 */
/** Named parameters ($scope_0 …) so the predicate combines with other named parameters. */
export interface ScopeSql {
  sql: string;
  params: Record<string, DuckDBValue>;
}

function named(sql: string, values: readonly DuckDBValue[]): ScopeSql {
  let index = 0;
  const text = sql.replace(/\?/g, () => `$scope_${index++}`);
  return { sql: text, params: Object.fromEntries(values.map((value, i) => [`scope_${i}`, value])) };
}

/** A predicate over the `work_orders` columns (qualified with `alias`). */
export function workOrderScopeSql(scope: Scope, alias = 'o'): ScopeSql {
  const a = (column: string) => `${alias}."${column}"`;
  if (scope.role === 'department_officer') {
    if (!scope.departmentCode) return named('FALSE', []);
    return named(`((${a('assignee_kind')} = 'department' AND ${a('assignee_code')} = ?) OR contains(${a('co_handler_codes')}, ?))`, [
      scope.departmentCode,
      `,${scope.departmentCode},`,
    ]);
  }
  if (scope.gridCodes) {
    if (scope.gridCodes.length === 0) return named('FALSE', []);
    return named(`${a('grid_code')} IN (${scope.gridCodes.map(() => '?').join(', ')})`, scope.gridCodes);
  }
  return named(`(starts_with(${a('grid_code')}, ?) OR (${a('assignee_kind')} <> 'department' AND starts_with(${a('assignee_code')}, ?)))`, [
    scope.unitCode,
    scope.unitCode,
  ]);
}

/** The TypeScript twin of `workOrderScopeSql`, for single orders. */
export function workOrderInScope(scope: Scope, order: Pick<WorkOrder, 'location' | 'assignee' | 'coHandlers'>): boolean {
  if (scope.role === 'department_officer') {
    const code = scope.departmentCode;
    if (!code) return false;
    return (order.assignee?.kind === 'department' && order.assignee.code === code) || order.coHandlers.some((c) => c.departmentCode === code);
  }
  if (scope.gridCodes) return scope.gridCodes.includes(order.location.gridCode);
  const holder = order.assignee;
  return isWithinUnit(order.location.gridCode, scope.unitCode) || (holder !== null && holder.kind !== 'department' && isWithinUnit(holder.code, scope.unitCode));
}

/** True when the caller sees every order, so NOT_FOUND reveals nothing. */
export function seesEverything(scope: Scope): boolean {
  return scope.role !== 'department_officer' && scope.gridCodes === null && scope.unitCode === CITY_CODE;
}

export function outOfScope(scope: Scope, id: string, exists: boolean): DomainError {
  if (!exists && seesEverything(scope)) return new DomainError('NOT_FOUND', `工单 ${id} 不存在`, { orderId: id });
  return new DomainError('FORBIDDEN', `工单 ${id} 不存在或不在您的管辖范围内`, { orderId: id });
}

/**
 * The machine's actor for this caller and order. A grid worker acts as the grid the order
 * lies in (the machine expects a grid worker's unitCode to be their grid code; a session
 * user's unitCode may be their community); department officers act for the city.
 */
export function actorForOrder(actor: WorkOrderActor, scope: Scope, gridCode: string): WorkOrderActor {
  if (actor.role !== 'grid_worker') return actor;
  const grids = scope.gridCodes ?? [];
  const grid = grids.find((code) => code === gridCode) ?? grids[0];
  if (!grid) throw new DomainError('FORBIDDEN', `网格员 ${actor.username} 未分配网格`);
  return { ...actor, unitCode: grid };
}
