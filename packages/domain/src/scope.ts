import type { Item } from './categories.ts';
import { DEPARTMENTS, type DepartmentCode } from './departments.ts';
import { DomainError } from './errors.ts';
import { CITY_CODE, isWithinUnit, levelOfCode, type UnitCode } from './units.ts';

/** Roles of the "王" architecture plus the platform admin. */
export const ROLES = [
  'city_commander',
  'district_analyst',
  'street_operator',
  'department_officer',
  'grid_worker',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  city_commander: '市城运中心指挥长',
  district_analyst: '区级运行中心分析员',
  street_operator: '街镇运行中心操作员',
  department_officer: '市级部门联络员',
  grid_worker: '网格员',
  admin: '系统管理员',
};

/**
 * What a caller may see. Every data-layer query takes one; the UI never decides.
 * - `unitCode`: the root of the caller's territory (the city for city roles and departments).
 * - `items`: when set, only events of these items (a department's matters).
 * - `gridCodes`: when set, only these grids (a grid worker's own).
 */
export interface Scope {
  role: Role;
  unitCode: UnitCode;
  items: readonly Item[] | null;
  departmentCode: DepartmentCode | null;
  gridCodes: readonly UnitCode[] | null;
  canSeePersonalData: boolean;
}

export function cityScope(role: Role = 'city_commander'): Scope {
  return { role, unitCode: CITY_CODE, items: null, departmentCode: null, gridCodes: null, canSeePersonalData: false };
}

export function departmentScope(departmentCode: DepartmentCode): Scope {
  const department = DEPARTMENTS.find((d) => d.code === departmentCode);
  if (!department) throw new DomainError('BAD_INPUT', `未知部门 ${departmentCode}`);
  return {
    role: 'department_officer',
    unitCode: CITY_CODE,
    items: department.items,
    departmentCode,
    gridCodes: null,
    canSeePersonalData: false,
  };
}

/** True when the unit lies inside the caller's territory (grid workers: inside one of their grids or an ancestor chain to them is NOT enough). */
export function scopeCoversUnit(scope: Scope, unitCode: string): boolean {
  if (!isWithinUnit(unitCode, scope.unitCode)) return false;
  if (scope.gridCodes) return scope.gridCodes.some((grid) => isWithinUnit(unitCode, grid));
  return true;
}

/** Throws FORBIDDEN when the unit is outside the caller's territory. */
export function assertUnitInScope(scope: Scope, unitCode: string): void {
  if (!levelOfCode(unitCode)) throw new DomainError('BAD_INPUT', `不是有效的区划代码: ${unitCode}`);
  if (!scopeCoversUnit(scope, unitCode)) {
    throw new DomainError('FORBIDDEN', '无权查看该区域的数据', { unitCode });
  }
}

export function assertItemInScope(scope: Scope, item: Item): void {
  if (scope.items && !scope.items.includes(item)) {
    throw new DomainError('FORBIDDEN', '无权查看该事项的数据', { item });
  }
}
