/**
 * The slice of the CityOps tRPC API the dashboards use, written down as plain types.
 *
 * `trpc-client.ts` assigns the real `createTRPCClient<AppRouter>()` to `CityOpsApi`, so
 * once `@cityops/api` exports `AppRouter` the compiler checks the server against this
 * contract (a mismatch fails `tsc`, not the user's browser).
 */
import type { Role } from '@cityops/domain/scope';
import type { Source } from '@cityops/domain/sources';
import type { Item } from '@cityops/domain/categories';
import type { UnitLevel } from '@cityops/domain/units';

export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
  unitName: string;
  unitLevel: UnitLevel;
  departmentCode: string | null;
}

export interface GeoUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  population: number;
  households: number;
  lng: number;
  lat: number;
}

export interface MonthlyVolumeRow {
  month: string;
  source: Source;
  count: number;
}

export interface ChildVolumeRow {
  code: string;
  name: string;
  level: UnitLevel;
  population: number;
  count: number;
  /** null when the unit has no recorded population. */
  ratePer10k: number | null;
}

export interface KpiRow {
  source: Source;
  count: number;
  previousMonth: number;
  sameMonthLastYear: number;
  /** Ratios in [0, 1]; null when the denominator is 0 (see packages/db/src/queries/kpis.ts). */
  responseRate: number | null;
  completionRate: number | null;
  satisfactionRate: number | null;
}

export interface TopItemRow {
  item: Item;
  count: number;
  share: number;
}

interface Query<I, O> {
  query(input: I): Promise<O>;
}
interface Mutation<I, O> {
  mutate(input: I): Promise<O>;
}

/** The procedures the dashboards call, as the vanilla tRPC client exposes them. */
export interface CityOpsApi {
  auth: {
    login: Mutation<{ username: string; password: string }, { user: SessionUser | null }>;
    logout: Mutation<void, unknown>;
    me: Query<void, { user: SessionUser | null }>;
  };
  geo: {
    unit: Query<{ code: string }, GeoUnit>;
    children: Query<{ code: string }, GeoUnit[]>;
  };
  overview: {
    months: Query<void, { months: string[] }>;
    monthlyVolumes: Query<{ unitCode: string; months?: number }, MonthlyVolumeRow[]>;
    childVolumes: Query<{ unitCode: string; month: string }, ChildVolumeRow[]>;
    kpis: Query<{ unitCode: string; month: string }, KpiRow[]>;
    topItems: Query<{ unitCode: string; month: string; limit: number }, TopItemRow[]>;
  };
}
