import type { Database } from '@cityops/db';
import { upsertUser } from '@cityops/db/auth-store';
import type { Role } from '@cityops/domain';
import { hashPassword } from './auth/password.ts';

export const DEMO_PASSWORD = 'cityops2026';

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
  departmentCode: string | null;
  gridCodes: string[] | null;
  canSeePersonalData: boolean;
}

/** Demo logins, created only in demo mode (the start command prints them). */
export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'city', displayName: '市城运中心值班长', role: 'city_commander', unitCode: '5101', departmentCode: null, gridCodes: null, canSeePersonalData: false },
  { username: 'jinjiang', displayName: '锦江区运行中心分析员', role: 'district_analyst', unitCode: '510104', departmentCode: null, gridCodes: null, canSeePersonalData: false },
  { username: 'jgy', displayName: '锦官驿街道运行中心操作员', role: 'street_operator', unitCode: '510104017', departmentCode: null, gridCodes: null, canSeePersonalData: true },
  { username: 'market', displayName: '市市场监管局联络员', role: 'department_officer', unitCode: '5101', departmentCode: 'D01', gridCodes: null, canSeePersonalData: false },
  { username: 'grid', displayName: '网格员', role: 'grid_worker', unitCode: '510104017001', departmentCode: null, gridCodes: ['510104017001001'], canSeePersonalData: true },
  { username: 'admin', displayName: '系统管理员', role: 'admin', unitCode: '5101', departmentCode: null, gridCodes: null, canSeePersonalData: false },
];

export async function seedDemoUsers(db: Database, password = DEMO_PASSWORD): Promise<readonly DemoUser[]> {
  for (const user of DEMO_USERS) {
    await upsertUser(db, { ...user, passwordHash: await hashPassword(password) });
  }
  return DEMO_USERS;
}
