import {
  DomainError,
  assertUnitInScope,
  wallClockFromInstant,
  type Assignee,
  type Item,
  type Scope,
  type SlaStatus,
  type Urgency,
  type WallClock,
  type WorkOrderOrigin,
  type WorkOrderState,
  type SlaPolicy,
} from '@cityops/domain';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../database.ts';
import { slaCalendarJoinsSql, slaMeasureValuesSql, slaParams, slaStatusSql } from './sla-sql.ts';
import { sqlTimestamp } from './work-order-rows.ts';
import { workOrderScopeSql } from './work-order-scope.ts';

export interface ListWorkOrdersInput {
  state?: WorkOrderState | undefined;
  /** on_track / due_soon / overdue (open orders) or closed_on_time / closed_late (disposed). */
  slaStatus?: SlaStatus | undefined;
  /** Orders located in this unit (must be inside the caller's territory). */
  unitCode?: string | undefined;
  /** Orders currently held by this unit or department. */
  assignee?: Assignee | undefined;
  limit: number;
  offset: number;
  /** 'updated' (newest change first, default) or 'due' (nearest deadline first, for the desk's to-do list). */
  orderBy?: 'updated' | 'due' | undefined;
  /** When the SLA status is judged (wall clock); default now. */
  at?: WallClock | undefined;
  policy?: SlaPolicy | undefined;
}

export interface WorkOrderListItem {
  id: string;
  version: number;
  state: WorkOrderState;
  origin: WorkOrderOrigin;
  item: Item;
  urgency: Urgency;
  summary: string;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  assignee: Assignee | null;
  coHandlerCodes: string[];
  dueAt: WallClock;
  createdAt: WallClock;
  updatedAt: WallClock;
  supervised: boolean;
  reopenCount: number;
  extensionPending: boolean;
  slaStatus: SlaStatus;
}

export interface WorkOrderList {
  total: number;
  rows: WorkOrderListItem[];
  /** Counts by SLA status over the whole filtered set (before slaStatus/limit), for the desk's badges. */
  bySlaStatus: Record<SlaStatus, number>;
}

/** The `work_orders` columns a list row needs (not the history, extension or notes). */
const LIST_COLUMNS = ['id', 'version', 'state', 'origin', 'item', 'urgency', 'summary', 'district_code', 'street_code', 'community_code', 'grid_code',
  'assignee_kind', 'assignee_code', 'co_handler_codes', 'due_at', 'created_at', 'updated_at', 'supervised', 'reopen_count'] as const;

interface ListRow {
  id: string;
  version: number;
  state: string;
  origin: string;
  item: string;
  urgency: string;
  summary: string;
  district_code: string;
  street_code: string;
  community_code: string;
  grid_code: string;
  assignee_kind: string | null;
  assignee_code: string | null;
  co_handler_codes: string;
  due_at: Date;
  created_at: Date;
  updated_at: Date;
  supervised: boolean;
  reopen_count: number;
  extension_pending: boolean;
  sla_status: string;
}

/**
 * The caller's orders, newest change first, with the SLA status computed at query time.
 * Scope is applied in SQL (work-order-scope.ts) before any other filter.
 */
export async function listWorkOrders(db: Database, scope: Scope, input: ListWorkOrdersInput): Promise<WorkOrderList> {
  if (input.unitCode) assertUnitInScope(scope, input.unitCode);
  if (!(Number.isInteger(input.limit) && input.limit > 0 && input.limit <= 500)) throw new DomainError('BAD_INPUT', '每页条数应为 1–500');
  if (!(Number.isInteger(input.offset) && input.offset >= 0)) throw new DomainError('BAD_INPUT', '偏移量无效');
  const scoped = workOrderScopeSql(scope);
  const params: Record<string, DuckDBValue> = {
    ...scoped.params,
    ...slaParams(input.policy),
    at: sqlTimestamp(input.at ?? wallClockFromInstant(new Date())),
    state: input.state ?? null,
    unit: input.unitCode ?? null,
    assignee_kind: input.assignee?.kind ?? null,
    assignee_code: input.assignee?.code ?? null,
  };
  // One statement: the filtered set is computed once, then its counts by SLA status and the
  // requested page are read from it (a page of nothing still carries the counts: LEFT JOIN).
  const order = input.orderBy === 'due' ? 'p."due_at" ASC' : 'p."updated_at" DESC';
  const sql = `
    WITH listed AS MATERIALIZED (
      SELECT ${LIST_COLUMNS.map((column) => `o."${column}"`).join(', ')},
        (o."extension" IS NOT NULL AND json_extract_string(o."extension", '$.status') = 'pending') AS extension_pending,
        ${slaStatusSql()} AS sla_status
      FROM "work_orders" o JOIN ${slaMeasureValuesSql(input.policy)} ON m."item" = o."item" AND m."urgency" = o."urgency"
      ${slaCalendarJoinsSql()}
      WHERE ${scoped.sql}
        AND ($state::VARCHAR IS NULL OR o."state" = $state)
        AND ($unit::VARCHAR IS NULL OR starts_with(o."grid_code", $unit))
        AND ($assignee_kind::VARCHAR IS NULL OR (o."assignee_kind" = $assignee_kind AND o."assignee_code" = $assignee_code))
    ),
    counts AS (SELECT list({'status': sla_status, 'n': n}) AS by_status FROM (SELECT sla_status, count(*)::INTEGER AS n FROM listed GROUP BY sla_status)),
    page AS (
      SELECT * FROM listed WHERE ($sla::VARCHAR IS NULL OR sla_status = $sla)
      ORDER BY ${input.orderBy === 'due' ? 'due_at ASC' : 'updated_at DESC'}, id LIMIT $limit OFFSET $offset
    )
    SELECT c.by_status, p.* FROM counts c LEFT JOIN page p ON TRUE ORDER BY ${order}, p."id"`;
  const result = await db.all<ListRow & { by_status: { status: SlaStatus; n: number }[] | null }>(sql, {
    ...params, sla: input.slaStatus ?? null, limit: input.limit, offset: input.offset,
  });
  const bySlaStatus: Record<SlaStatus, number> = { on_track: 0, due_soon: 0, overdue: 0, closed_on_time: 0, closed_late: 0 };
  for (const entry of result[0]?.by_status ?? []) bySlaStatus[entry.status] = entry.n;
  const total = input.slaStatus ? bySlaStatus[input.slaStatus] : Object.values(bySlaStatus).reduce((a, b) => a + b, 0);
  const rows = result.filter((row) => row.id !== null);
  return { total, bySlaStatus, rows: rows.map(toListItem) };
}

function toListItem(row: ListRow): WorkOrderListItem {
  return {
    id: row.id,
    version: row.version,
    state: row.state as WorkOrderState,
    origin: row.origin as WorkOrderOrigin,
    item: row.item as Item,
    urgency: row.urgency as Urgency,
    summary: row.summary,
    districtCode: row.district_code,
    streetCode: row.street_code,
    communityCode: row.community_code,
    gridCode: row.grid_code,
    assignee: row.assignee_kind && row.assignee_code ? { kind: row.assignee_kind as Assignee['kind'], code: row.assignee_code } : null,
    coHandlerCodes: row.co_handler_codes.split(',').filter(Boolean),
    dueAt: row.due_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    supervised: row.supervised,
    reopenCount: row.reopen_count,
    extensionPending: row.extension_pending,
    slaStatus: row.sla_status as SlaStatus,
  };
}
