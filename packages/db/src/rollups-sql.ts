import { ROLLUP_MEASURES } from './migrations/0001-warehouse.ts';

/** SQL pieces shared by the rollup refresh paths (rollups.ts, rollups-new-events.ts). */

export type PeriodKind = 'day' | 'month';

export const measureNames = ROLLUP_MEASURES.map(([name]) => name);
export const measureType = (name: string) => ROLLUP_MEASURES.find(([n]) => n === name)![1].split(' ')[0]!;
export const sumMeasures = measureNames.map((name) => `sum("${name}")::${measureType(name)} AS "${name}"`).join(', ');

/** Per-event measure expressions over events `s` left-joined to the period's repeat reporters `r`. */
const EVENT_MEASURES: Record<string, string> = {
  events: 'count(*)',
  dispatched: 'count("dispatched_at")',
  responded: 'count("first_response_at")',
  closed: 'count("closed_at")',
  closed_on_time: 'count(*) FILTER ("closed_at" IS NOT NULL AND ("due_at" IS NULL OR "closed_at" <= "due_at"))',
  closed_work_orders: 'count(*) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL)',
  overdue: `count(*) FILTER ("due_at" IS NOT NULL AND (("closed_at" IS NOT NULL AND "closed_at" > "due_at") OR ("closed_at" IS NULL AND "due_at" < $as_of::TIMESTAMP)))`,
  overdue_open: `count(*) FILTER ("closed_at" IS NULL AND "due_at" < $as_of::TIMESTAMP)`,
  visited: 'count("return_visit")',
  satisfied: `count(*) FILTER ("return_visit" = 'satisfied')`,
  basically_satisfied: `count(*) FILTER ("return_visit" = 'basically_satisfied')`,
  dissatisfied: `count(*) FILTER ("return_visit" = 'dissatisfied')`,
  reply_work_seconds: `coalesce(sum(round(working_days_between("received_at", "closed_at") * 86400)::BIGINT) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL), 0)`,
  reply_seconds: `coalesce(sum(date_diff('second', "received_at", "closed_at")) FILTER ("closed_at" IS NOT NULL AND "dispatched_at" IS NOT NULL), 0)`,
  repeat_reporter_events: 'count(r."reporter_key")',
  police_matters: 'count(*) FILTER ("police_is_police_matter")',
  transferred_to_hotline: 'count(*) FILTER ("police_transferred_to_hotline")',
  group_petitions: 'count(*) FILTER ("petition_group_size" >= 5)',
  emergencies: `count(*) FILTER ("urgency" = 'emergency')`,
};
export const eventMeasures = measureNames.map((name) => `${EVENT_MEASURES[name]} AS "${name}"`).join(',\n    ');

/**
 * The same measures as one event's contribution (0/1 counts, its seconds), over event columns
 * prefixed by `alias`: summing them over a group gives EVENT_MEASURES of the group.
 * `repeat_reporter_events` depends on the event's period and is supplied by the caller.
 * Kept in step with EVENT_MEASURES: rollups.test.ts checks the incremental refresh (which adds
 * these) against a full rebuild (which aggregates those), bit for bit.
 */
export function eventValues(alias: string, repeat: string): string {
  const c = (name: string) => `${alias}"${name}"`;
  const when = (condition: string, value = '1') => `CASE WHEN ${condition} THEN ${value} ELSE 0 END`;
  const answered = `${c('closed_at')} IS NOT NULL AND ${c('dispatched_at')} IS NOT NULL`;
  const values: Record<string, string> = {
    events: '1',
    dispatched: when(`${c('dispatched_at')} IS NOT NULL`),
    responded: when(`${c('first_response_at')} IS NOT NULL`),
    closed: when(`${c('closed_at')} IS NOT NULL`),
    closed_on_time: when(`${c('closed_at')} IS NOT NULL AND (${c('due_at')} IS NULL OR ${c('closed_at')} <= ${c('due_at')})`),
    closed_work_orders: when(answered),
    overdue: when(`${c('due_at')} IS NOT NULL AND ((${c('closed_at')} IS NOT NULL AND ${c('closed_at')} > ${c('due_at')}) OR (${c('closed_at')} IS NULL AND ${c('due_at')} < $as_of::TIMESTAMP))`),
    overdue_open: when(`${c('closed_at')} IS NULL AND ${c('due_at')} < $as_of::TIMESTAMP`),
    visited: when(`${c('return_visit')} IS NOT NULL`),
    satisfied: when(`${c('return_visit')} = 'satisfied'`),
    basically_satisfied: when(`${c('return_visit')} = 'basically_satisfied'`),
    dissatisfied: when(`${c('return_visit')} = 'dissatisfied'`),
    reply_work_seconds: when(answered, `coalesce(round(working_days_between(${c('received_at')}, ${c('closed_at')}) * 86400)::BIGINT, 0)`),
    reply_seconds: when(answered, `coalesce(date_diff('second', ${c('received_at')}, ${c('closed_at')}), 0)`),
    repeat_reporter_events: repeat,
    police_matters: when(c('police_is_police_matter')),
    transferred_to_hotline: when(c('police_transferred_to_hotline')),
    group_petitions: when(`${c('petition_group_size')} >= 5`),
    emergencies: when(`${c('urgency')} = 'emergency'`),
  };
  return measureNames.map((name) => `(${values[name]})::${measureType(name)} AS "${name}"`).join(', ');
}

export const MEASURE_INPUT_COLUMNS = ['reporter_key', 'received_at', 'dispatched_at', 'first_response_at', 'due_at', 'closed_at', 'return_visit',
  'police_is_police_matter', 'police_transferred_to_hotline', 'petition_group_size', 'urgency'];
export const measureInputs = (alias = '') => MEASURE_INPUT_COLUMNS.map((name) => `${alias}"${name}"`).join(', ');

export interface PeriodSpec {
  table: string;
  column: string;
  /** Events (optionally aliased) → period key. */
  of: (alias?: string) => string;
  /** Period key ('YYYY-MM-DD') → the next period's key. */
  next: (period: string) => string;
  /** The finest level stored and the events column of that level. */
  baseColumn: string;
  baseLevel: string;
  /** Ancestor levels: level, code length, parent code length. */
  ancestors: readonly [level: string, length: number, parentLength: number | null][];
}

const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);
const dateParts = (period: string) => period.split('-').map(Number) as [number, number, number];

export const PERIODS: Record<PeriodKind, PeriodSpec> = {
  day: {
    table: 'rollup_daily', column: 'day', of: (alias = '') => `${alias}"received_at"::DATE`, baseColumn: 'street_code', baseLevel: 'street',
    next: (day) => { const [y, m, d] = dateParts(day); return isoDay(Date.UTC(y, m - 1, d + 1)); },
    ancestors: [['district', 6, 4], ['city', 4, null]],
  },
  month: {
    table: 'rollup_monthly', column: 'month', of: (alias = '') => `date_trunc('month', ${alias}"received_at")::DATE`, baseColumn: 'grid_code', baseLevel: 'grid',
    next: (month) => { const [y, m] = dateParts(month); return isoDay(Date.UTC(y, m, 1)); },
    ancestors: [['community', 12, 9], ['street', 9, 6], ['district', 6, 4], ['city', 4, null]],
  },
};

export interface Clock {
  watermark: string | null;
  asOf: string | null;
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff]' (DuckDB's text of a TIMESTAMP) → its whole second. */
export function wholeSecond(timestamp: string): string {
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(timestamp)) throw new Error(`unexpected timestamp ${timestamp}`);
  return timestamp.slice(0, 19);
}

/** 'YYYY-MM-DD' strings produced by DuckDB itself; checked before being inlined as literals. */
export function checkedPeriods(periods: readonly string[]): string[] {
  for (const period of periods) if (!/^\d{4}-\d{2}-\d{2}$/.test(period)) throw new Error(`unexpected period ${period}`);
  return [...periods];
}

/**
 * A filter on events' received_at covering the periods, as literal ranges so DuckDB prunes
 * row groups by their zone maps (the events table is stored roughly in time order). The bounds
 * are TIMESTAMP_S, the column's own type (migration 9): against a DATE or a TIMESTAMP bound
 * DuckDB casts every received_at instead, and that side of the range prunes nothing.
 */
export function receivedIn(spec: PeriodSpec, periods: readonly string[], alias = ''): string {
  const column = `${alias}"received_at"`;
  return `(${checkedPeriods(periods).map((p) => `(${column} >= TIMESTAMP_S '${p} 00:00:00' AND ${column} < TIMESTAMP_S '${spec.next(p)} 00:00:00')`).join(' OR ')})`;
}

export function periodIn(spec: PeriodSpec, periods: readonly string[], alias = ''): string {
  return `${alias}"${spec.column}" IN (${checkedPeriods(periods).map((p) => `DATE '${p}'`).join(', ')})`;
}
