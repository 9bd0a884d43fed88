import {
  CITY_CODE,
  DomainError,
  assertUnitInScope,
  computeServiceMetrics,
  wallClock,
  type DepartmentCode,
  type MetricSubject,
  type Scope,
  type ServiceCounts,
  type ServiceMetrics,
  type WallClock,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { countServiceCases, readPrecomputedServiceCounts } from './service-counts.ts';

export interface ServiceMetricsQuery {
  unitCode?: string | undefined;
  departmentCode?: DepartmentCode | undefined;
  /** 'YYYY-MM' (Asia/Shanghai calendar month). */
  month: string;
  /** When the counts are taken (wall clock); default the month's end. Pass "now" for the current month. */
  asOf?: WallClock | undefined;
}

export interface ServiceMetricsResult {
  subject: MetricSubject;
  period: { from: WallClock; to: WallClock };
  asOf: WallClock;
  counts: ServiceCounts;
  metrics: ServiceMetrics;
}

/**
 * Who may see whose metrics: a territorial subject inside the caller's territory; a
 * department's metrics only to that department and to callers who see the whole city (the
 * city center, the admin). A department officer sees no territorial metrics: those cover
 * every item, most of them not its own.
 */
function subjectFor(scope: Scope, query: ServiceMetricsQuery): MetricSubject {
  if ((query.unitCode === undefined) === (query.departmentCode === undefined)) {
    throw new DomainError('BAD_INPUT', '请指定一个统计对象：区划或部门（二选一）');
  }
  if (query.departmentCode) {
    const own = scope.role === 'department_officer' && scope.departmentCode === query.departmentCode;
    const cityWide = scope.role !== 'department_officer' && scope.gridCodes === null && scope.unitCode === CITY_CODE;
    if (!own && !cityWide) throw new DomainError('FORBIDDEN', '无权查看该部门的办理指标', { departmentCode: query.departmentCode });
    return { kind: 'department', code: query.departmentCode };
  }
  if (scope.role === 'department_officer') throw new DomainError('FORBIDDEN', '部门只能查看本部门的办理指标');
  assertUnitInScope(scope, query.unitCode!);
  return { kind: 'unit', code: query.unitCode! };
}

export function monthPeriod(month: string): { from: WallClock; to: WallClock } {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new DomainError('BAD_INPUT', `月份格式应为 YYYY-MM: ${month}`);
  const year = Number(match[1]);
  const monthIndex = Number(match[2]);
  return { from: wallClock(year, monthIndex, 1), to: monthIndex === 12 ? wallClock(year + 1, 1, 1) : wallClock(year, monthIndex + 1, 1) };
}

/**
 * The service counts of a unit (the cases that arose in its territory) or a department (the
 * cases it leads) for a month — CityOps work orders and the source systems' cases they do not
 * cover, counted live by the same SQL that fills `service_counts_monthly` for the index and the
 * dashboards (service-counts.ts) — or read from that table for a finished month when it is
 * exact — then the domain's metric functions. On CityOps orders alone
 * the counts equal `countServiceOrders` (the tests hold them equal).
 */
export async function queryServiceMetrics(db: Database, scope: Scope, query: ServiceMetricsQuery): Promise<ServiceMetricsResult> {
  const subject = subjectFor(scope, query);
  const period = monthPeriod(query.month);
  const asOf = query.asOf ?? period.to;
  // A finished month judged at its end: the precomputed counts when they are exact, else live.
  const precomputed = asOf.getTime() === period.to.getTime() ? await readPrecomputedServiceCounts(db, subject, period) : null;
  const counts = precomputed ?? (await countServiceCases(db, subject, period, asOf));
  return { subject, period, asOf, counts, metrics: computeServiceMetrics(counts) };
}
