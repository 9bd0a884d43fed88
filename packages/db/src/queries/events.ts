import {
  DomainError,
  ITEM_LABELS,
  NATURE_LABELS,
  SOURCES,
  assertItemInScope,
  assertUnitInScope,
  natureLabel,
  type EventDetail,
  type EventPoint,
  type EventRow,
  type Item,
  type Scope,
  type Source,
  type UnitLevel,
} from '@cityops/domain';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Database } from '../database.ts';
import { readContact, type PiiVault } from '../pii-vault.ts';
import { checkUnit, monthStart, rawUnitClause, scopeGrids, scopeItems } from './scope-sql.ts';

export type { EventDetail, EventPoint, EventRow };

/**
 * The events behind the numbers (issue 6/7): a scoped, filtered list, one event's detail with
 * personal data masked unless the caller's role may see it, map points at street zoom, and the
 * month's breakdown by nature. These read raw `events` (a month of one unit at a time), so each
 * query is bounded by a unit and a month. Scope checks run before any SQL; a grid worker's grids
 * and a department's items are also bound into every statement.
 */
export interface EventFilter {
  unitCode: string;
  month: string;
  source?: Source | undefined;
  item?: Item | undefined;
  nature?: string | undefined;
}

export interface NatureCount {
  source: Source;
  nature: string;
  label: string;
  count: number;
}

const TIME = (column: string) => `strftime("${column}", '%Y-%m-%d %H:%M:%S')`;

const ROW_COLUMNS = `"id"::VARCHAR AS "id", "external_id" AS "externalId", "source", ${TIME('received_at')} AS "receivedAt",
  "category" AS "item", "nature", "summary", "district_code" AS "districtCode", "street_code" AS "streetCode",
  "community_code" AS "communityCode", "grid_code" AS "gridCode", "urgency", "status", "lng", "lat"`;

type RawRow = Omit<EventRow, 'itemLabel' | 'natureLabel'>;

function labelled<T extends RawRow>(row: T): T & { itemLabel: string; natureLabel: string | null } {
  return { ...row, itemLabel: ITEM_LABELS[row.item]?.zh ?? row.item, natureLabel: natureLabel(row.source, row.nature) };
}

/** WHERE clause and parameters of a filtered, scoped month of one unit. */
function filterSql(scope: Scope, filter: EventFilter): { where: string; params: Record<string, DuckDBValue>; level: UnitLevel } {
  const level = checkUnit(scope, filter.unitCode);
  if (filter.item) assertItemInScope(scope, filter.item);
  if (filter.source && !SOURCES.includes(filter.source)) throw new DomainError('BAD_INPUT', `未知来源 ${filter.source}`);
  if (filter.nature !== undefined && filter.source && !(filter.nature in NATURE_LABELS[filter.source])) {
    throw new DomainError('BAD_INPUT', `来源 ${filter.source} 没有性质 ${filter.nature}`);
  }
  const items = scopeItems(scope, 'category');
  const grids = scopeGrids(scope);
  const where = [
    rawUnitClause(level),
    `"received_at" >= $month::DATE AND "received_at" < $month::DATE + INTERVAL 1 MONTH`,
    filter.source ? `"source" = $source` : '',
    filter.item ? `"category" = $item` : '',
    filter.nature ? `"nature" = $nature` : '',
  ].filter(Boolean).join(' AND ');
  return {
    where: `${where} ${items.itemClause} ${grids.itemClause}`,
    params: {
      unit: filter.unitCode,
      month: monthStart(filter.month),
      ...(filter.source ? { source: filter.source } : {}),
      ...(filter.item ? { item: filter.item } : {}),
      ...(filter.nature ? { nature: filter.nature } : {}),
      ...items.params,
      ...grids.params,
    },
    level,
  };
}

export async function queryEventList(
  db: Database,
  scope: Scope,
  input: EventFilter & { limit?: number | undefined; offset?: number | undefined },
): Promise<{ total: number; rows: EventRow[] }> {
  const { where, params } = filterSql(scope, input);
  const limit = Math.max(1, Math.min(50_000, Math.floor(input.limit ?? 50)));
  const offset = Math.max(0, Math.floor(input.offset ?? 0));
  const [count] = await db.all<{ total: number }>(`SELECT count(*)::INTEGER AS "total" FROM "events" WHERE ${where}`, params);
  const rows = await db.all<RawRow>(
    `SELECT ${ROW_COLUMNS} FROM "events" WHERE ${where} ORDER BY "received_at" DESC, "id" DESC LIMIT $limit OFFSET $offset`,
    { ...params, limit, offset },
  );
  return { total: count?.total ?? 0, rows: rows.map(labelled) };
}

/**
 * One event, checked against the caller's scope (its grid and its item). Personal data: the
 * masks stored with the event, unless the role holds the personal-data permission and the
 * vault has the source's values. The caller (the API) writes the audit line.
 */
export async function queryEventDetail(db: Database, scope: Scope, input: { id: string; vault?: PiiVault | undefined }): Promise<EventDetail> {
  if (!/^\d{1,18}$/.test(input.id)) throw new DomainError('BAD_INPUT', `事件编号无效: ${input.id}`);
  const [row] = await db.all<RawRow & Omit<EventDetail, keyof EventRow | 'reporter' | 'personalDataVisible'> & {
    nameMasked: string | null; phoneMasked: string | null; idMasked: string | null;
  }>(
    `SELECT ${ROW_COLUMNS}, "channel", "sub_category" AS "subCategory",
       ${TIME('dispatched_at')} AS "dispatchedAt", ${TIME('first_response_at')} AS "firstResponseAt",
       ${TIME('due_at')} AS "dueAt", ${TIME('closed_at')} AS "closedAt",
       "handling_unit" AS "handlingUnit", "handling_dept" AS "handlingDepartment",
       "return_visit" AS "returnVisitResult", "return_visit" AS "satisfaction",
       "reporter_name_masked" AS "nameMasked", "reporter_phone_masked" AS "phoneMasked", "reporter_id_masked" AS "idMasked"
     FROM "events" WHERE "id" = $id::BIGINT`,
    { id: input.id },
  );
  if (!row) throw new DomainError('NOT_FOUND', `事件不存在: ${input.id}`);
  assertUnitInScope(scope, row.gridCode);
  assertItemInScope(scope, row.item);
  const { nameMasked, phoneMasked, idMasked, ...event } = row;
  const sealed = scope.canSeePersonalData && input.vault ? await readContact(db, input.vault, Number(input.id)) : null;
  return {
    ...labelled(event),
    reporter: sealed ?? { name: nameMasked, phone: phoneMasked, idNumber: idMasked },
    personalDataVisible: sealed !== null,
  };
}

export const MAX_EVENT_POINTS = 5000;

/** Event locations of a street, community or grid for a month (newest first, capped). */
export async function queryEventPoints(
  db: Database,
  scope: Scope,
  input: Omit<EventFilter, 'nature'> & { limit?: number | undefined },
): Promise<{ rows: EventPoint[]; truncated: boolean }> {
  const { where, params, level } = filterSql(scope, input);
  if (level === 'city' || level === 'district') throw new DomainError('BAD_INPUT', '事件点位只在街道及以下层级显示，请先选择街道');
  const limit = Math.max(1, Math.min(MAX_EVENT_POINTS, Math.floor(input.limit ?? MAX_EVENT_POINTS)));
  const rows = await db.all<EventPoint>(
    `SELECT "id"::VARCHAR AS "id", "lng", "lat", "source", "category" AS "item", "urgency" FROM "events"
     WHERE ${where} ORDER BY "received_at" DESC, "id" DESC LIMIT $limit`,
    { ...params, limit: limit + 1 },
  );
  return { rows: rows.slice(0, limit), truncated: rows.length > limit };
}

/** The month's events by source and nature (性质) for a unit in scope, in display order. */
export async function queryNatureBreakdown(db: Database, scope: Scope, input: { unitCode: string; month: string }): Promise<NatureCount[]> {
  const { where, params } = filterSql(scope, input);
  const rows = await db.all<Omit<NatureCount, 'label'>>(
    `SELECT "source", "nature", count(*)::INTEGER AS "count" FROM "events" WHERE ${where} GROUP BY ALL`,
    params,
  );
  const order = (row: { source: Source; nature: string }) => {
    const position = Object.keys(NATURE_LABELS[row.source]).indexOf(row.nature);
    return SOURCES.indexOf(row.source) * 100 + (position < 0 ? 99 : position);
  };
  return rows
    .map((row) => ({ ...row, label: natureLabel(row.source, row.nature) ?? row.nature }))
    .sort((a, b) => order(a) - order(b) || a.nature.localeCompare(b.nature));
}
