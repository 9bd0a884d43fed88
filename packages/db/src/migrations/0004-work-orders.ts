import { DEFAULT_WORKING_CALENDAR, listCalendarDays, wallClock, type CalendarDay } from '@cityops/domain';
import type { Database } from '../database.ts';
import type { Migration } from './types.ts';

type ColumnSpec = readonly [name: string, type: string];

/**
 * The work-order snapshot: the current state of each order, rewritten by every transition
 * under optimistic versioning (`UPDATE … WHERE id = ? AND version = ?`). Nested parts of the
 * domain `WorkOrder` (co-handlers, extension, supervision notes, return visits) are JSON text;
 * the columns the scope filter and the metrics SQL need are flat. Timestamps are Asia/Shanghai
 * wall-clock TIMESTAMPs, like the events table.
 */
export const WORK_ORDER_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['version', 'INTEGER NOT NULL'],
  ['state', 'VARCHAR NOT NULL'],
  ['origin', 'VARCHAR NOT NULL'],
  ['source_ref', 'VARCHAR'],
  ['source_event_id', 'BIGINT'], // events.id this order was raised from, if any
  ['item', 'VARCHAR NOT NULL'],
  ['urgency', 'VARCHAR NOT NULL'],
  ['summary', 'VARCHAR NOT NULL'],
  ['district_code', 'VARCHAR NOT NULL'],
  ['street_code', 'VARCHAR NOT NULL'],
  ['community_code', 'VARCHAR NOT NULL'],
  ['grid_code', 'VARCHAR NOT NULL'],
  ['dispatcher_unit_code', 'VARCHAR'],
  ['assignee_kind', 'VARCHAR'],
  ['assignee_code', 'VARCHAR'],
  ['co_handlers', 'VARCHAR NOT NULL'], // JSON CoHandler[]
  ['co_handler_codes', 'VARCHAR NOT NULL'], // ',D01,D04,' — for the department scope filter
  ['due_at', 'TIMESTAMP NOT NULL'],
  ['response_due_at', 'TIMESTAMP'],
  ['extension', 'VARCHAR'], // JSON ExtensionRequest
  ['extension_count', 'INTEGER NOT NULL'],
  ['supervised', 'BOOLEAN NOT NULL'],
  ['supervision_notes', 'VARCHAR NOT NULL'], // JSON SupervisionNote[]
  ['reopen_count', 'INTEGER NOT NULL'],
  ['escalation_count', 'INTEGER NOT NULL'],
  ['created_at', 'TIMESTAMP NOT NULL'],
  ['accepted_at', 'TIMESTAMP'],
  ['dispatched_at', 'TIMESTAMP'],
  ['first_response_at', 'TIMESTAMP'],
  ['signed_at', 'TIMESTAMP'],
  ['disposed_at', 'TIMESTAMP'],
  ['return_visited_at', 'TIMESTAMP'],
  ['closed_at', 'TIMESTAMP'],
  ['updated_at', 'TIMESTAMP NOT NULL'],
  ['disposal_feedback', 'VARCHAR'],
  ['return_visit_result', 'VARCHAR'],
  ['return_visits', 'VARCHAR NOT NULL'], // JSON ReturnVisit[] — every visit, so 不满意 survives 重办
  ['last_return_reason', 'VARCHAR'],
];

/**
 * Append-only: one row per transition (登记 included), the order's audit trail. The primary
 * key (order_id, version) is a second guard against a lost update: two writers that both
 * read version n can never both record version n + 1.
 */
export const WORK_ORDER_TRANSITION_COLUMNS: readonly ColumnSpec[] = [
  ['order_id', 'VARCHAR NOT NULL'],
  ['version', 'INTEGER NOT NULL'],
  ['action', 'VARCHAR NOT NULL'],
  ['from_state', 'VARCHAR'],
  ['to_state', 'VARCHAR NOT NULL'],
  ['actor', 'VARCHAR NOT NULL'],
  ['actor_role', 'VARCHAR NOT NULL'],
  ['actor_unit_code', 'VARCHAR NOT NULL'],
  ['actor_department_code', 'VARCHAR'],
  ['at', 'TIMESTAMP NOT NULL'],
  ['reason', 'VARCHAR'],
  ['payload', 'VARCHAR NOT NULL'], // JSON
];

/** 微网实格 mobilisation: one task broadcast to every grid of an area, one row per grid. */
export const MOBILISATION_TASK_COLUMNS: readonly ColumnSpec[] = [
  ['id', 'VARCHAR PRIMARY KEY'],
  ['title', 'VARCHAR NOT NULL'],
  ['area_code', 'VARCHAR NOT NULL'],
  ['issued_by', 'VARCHAR NOT NULL'],
  ['issuer_role', 'VARCHAR NOT NULL'],
  ['issuer_unit_code', 'VARCHAR NOT NULL'],
  ['issued_at', 'TIMESTAMP NOT NULL'],
  ['standard_hours', 'DOUBLE NOT NULL'],
  ['deadline', 'TIMESTAMP NOT NULL'],
];

export const MOBILISATION_GRID_COLUMNS: readonly ColumnSpec[] = [
  ['task_id', 'VARCHAR NOT NULL'],
  ['grid_code', 'VARCHAR NOT NULL'],
  ['acknowledged_at', 'TIMESTAMP'],
  ['completed_at', 'TIMESTAMP'],
  ['completed_by', 'VARCHAR'],
  ['note', 'VARCHAR'],
];

/**
 * The working calendar as a table, so the metrics SQL counts working days exactly as the
 * domain's `workingDaysBetween` (statutory holidays and make-up days included). Filled for
 * CALENDAR_FROM…CALENDAR_TO from the shipped calendar; years without holiday data count
 * weekends only, as in the domain. `refreshWorkCalendar` reloads it for a deployment's calendar.
 */
export const WORK_CALENDAR_COLUMNS: readonly ColumnSpec[] = [
  ['day', 'DATE PRIMARY KEY'],
  ['is_working', 'BOOLEAN NOT NULL'],
  ['holiday', 'VARCHAR'],
  // Working days from CALENDAR_FROM to this day's 00:00: working time between two instants is
  // then a difference of two lookups instead of a walk over the days in between.
  ['working_days_before', 'INTEGER NOT NULL'],
];
export const CALENDAR_FROM = wallClock(2020, 1, 1);
export const CALENDAR_TO = wallClock(2035, 12, 31);

const TABLES: Record<string, readonly ColumnSpec[]> = {
  work_orders: WORK_ORDER_COLUMNS,
  work_order_transitions: WORK_ORDER_TRANSITION_COLUMNS,
  mobilisation_tasks: MOBILISATION_TASK_COLUMNS,
  mobilisation_grids: MOBILISATION_GRID_COLUMNS,
  work_calendar: WORK_CALENDAR_COLUMNS,
};

const KEYS: Record<string, string> = {
  work_order_transitions: ', PRIMARY KEY ("order_id", "version")',
  mobilisation_grids: ', PRIMARY KEY ("task_id", "grid_code")',
};

async function up(db: Database): Promise<void> {
  for (const [table, columns] of Object.entries(TABLES)) {
    await db.run(`CREATE TABLE "${table}" (${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')}${KEYS[table] ?? ''})`);
  }
  await db.appendRows('work_calendar', WORK_CALENDAR_KINDS, workCalendarRows(listCalendarDays(CALENDAR_FROM, CALENDAR_TO, DEFAULT_WORKING_CALENDAR)));
}

export const WORK_CALENDAR_KINDS = ['varchar', 'boolean', 'varchar', 'integer'] as const;

export function workCalendarRows(days: readonly CalendarDay[]): [string, boolean, string | null, number][] {
  let before = 0;
  return days.map((d) => {
    const row: [string, boolean, string | null, number] = [d.date, d.isWorkingDay, d.holiday, before];
    if (d.isWorkingDay) before += 1;
    return row;
  });
}

export const workOrdersMigration: Migration = {
  version: 4,
  name: 'work-orders',
  up,
  tables: Object.fromEntries(Object.entries(TABLES).map(([table, columns]) => [table, columns.map(([name]) => name)])),
};
