import {
  CITY_CODE,
  DEPARTMENTS,
  ROLES,
  parseUnitCode,
  type DepartmentCode,
  type Role,
  type Scope,
  type UnitCode,
} from '@cityops/domain';
import type { UserRow } from '@cityops/db/auth-store';

/** The signed-in user as the API and the dashboards see it. */
export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
  unitCode: UnitCode;
  departmentCode: DepartmentCode | null;
  gridCodes: UnitCode[] | null;
  canSeePersonalData: boolean;
}

export function toSessionUser(row: UserRow): SessionUser {
  const role = ROLES.find((r) => r === row.role);
  if (!role) throw new Error(`unknown role ${row.role}`);
  const department = DEPARTMENTS.find((d) => d.code === row.department_code);
  return {
    username: row.username,
    displayName: row.display_name,
    role,
    unitCode: parseUnitCode(row.unit_code),
    departmentCode: department?.code ?? null,
    gridCodes: row.grid_codes ? row.grid_codes.split(',').map(parseUnitCode) : null,
    canSeePersonalData: row.can_see_personal_data,
  };
}

/** The data scope a user's queries run under. Departments see their items city-wide. */
export function scopeOf(user: SessionUser): Scope {
  const department = DEPARTMENTS.find((d) => d.code === user.departmentCode);
  const isDepartment = user.role === 'department_officer';
  return {
    role: user.role,
    unitCode: isDepartment || user.role === 'admin' ? CITY_CODE : user.unitCode,
    items: isDepartment ? (department?.items ?? []) : null,
    departmentCode: isDepartment ? (department?.code ?? null) : null,
    gridCodes: user.role === 'grid_worker' ? (user.gridCodes ?? []) : null,
    canSeePersonalData: user.canSeePersonalData,
  };
}
