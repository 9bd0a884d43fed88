import {
  DEFAULT_ALERT_RULES,
  ITEM_LABELS,
  SOURCE_LABELS,
  detectAlerts,
  detectEscalations,
  type AlertRule,
  type AlertSeverity,
  type DailySeries,
  type EscalationEvent,
  type Item,
  type Source,
  type UnitLevel,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { insertAlerts, type NewAlert } from './alerts-store.ts';
import { addDays, assertDay } from './months.ts';

/**
 * The daily early-warning job (methodology §early warnings, §escalation).
 *
 * Statistical: daily counts per unit × item (all three sources summed) from `rollup_daily`,
 * judged by EARS C2 (7-day baseline, 2-day guard band, alarm above 3 sd, ≥ 3 events). Levels:
 * **street and district** by default — streets are where 街镇 "blow the whistle" and where a
 * community-level outage stands out; district series catch bursts spread over many streets (a
 * flood day). Communities and grids are too sparse for a daily rule (the doc: grids only for
 * sensors). History read: 35 days before the first judged day (enough for EWMA's 28 + 2).
 *
 * Escalation (矛盾纠纷升级): events with a reporter hash in [first day − 30 days, last day],
 * restricted in SQL to reporters who used ≥ 2 sources in that window and have a petition or 110
 * event on a judged day, then detectEscalations (30-day window, non-decreasing severity, ≥ 2
 * sources, ending in a petition or 110 call), keyed by reporter × item, kept when the chain
 * worsens (last severity > first) and ends at severity ≥ 3 (see contentSeverity). This is the
 * one place that reads raw events; it is bounded by the 30-day window and by the reporter
 * pre-filter. No address key: the warehouse has no address field, and generated coordinates
 * are shared "address points" that would link strangers.
 */

export const WARNING_LEVELS_DEFAULT: readonly UnitLevel[] = ['district', 'street'];
const HISTORY_DAYS = 35;
const ESCALATION_WINDOW_DAYS = 30;
const MIN_ESCALATION_SEVERITY = 3;

export interface EarlyWarningOptions {
  /** The (last) day judged, 'YYYY-MM-DD'. */
  day: string;
  /** Judge every day from this one to `day` (backfill); default: `day` only. */
  fromDay?: string;
  levels?: readonly UnitLevel[];
  rules?: readonly AlertRule[];
  statistical?: boolean;
  escalations?: boolean;
}

export interface EarlyWarningResult {
  statistical: number;
  escalations: number;
  /** Alerts created by this run (already stored ones are not repeated). */
  created: NewAlert[];
}

export async function runEarlyWarnings(db: Database, opts: EarlyWarningOptions): Promise<EarlyWarningResult> {
  assertDay(opts.day);
  const fromDay = opts.fromDay ?? opts.day;
  assertDay(fromDay);
  const alerts: NewAlert[] = [];
  let statistical = 0;
  let escalations = 0;
  if (opts.statistical !== false) {
    const found = await statisticalAlerts(db, fromDay, opts.day, opts.levels ?? WARNING_LEVELS_DEFAULT, opts.rules ?? [DEFAULT_ALERT_RULES.C2]);
    statistical = found.length;
    alerts.push(...found);
  }
  if (opts.escalations !== false) {
    const found = await escalationAlerts(db, fromDay, opts.day);
    escalations = found.length;
    alerts.push(...found);
  }
  const created = await insertAlerts(db, alerts);
  return { statistical, escalations, created };
}

function dayIndex(day: string, start: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
}

async function statisticalAlerts(db: Database, fromDay: string, day: string, levels: readonly UnitLevel[], rules: readonly AlertRule[]): Promise<NewAlert[]> {
  const start = addDays(fromDay, -HISTORY_DAYS);
  const rows = await db.all<{ unit: string; level: UnitLevel; item: Item; day: string; events: number; name: string | null }>(
    `SELECT r."unit_code" AS "unit", r."level", r."item", strftime(r."day", '%Y-%m-%d') AS "day", sum(r."events")::INTEGER AS "events", any_value(u."name") AS "name"
     FROM "rollup_daily" r LEFT JOIN "units" u ON u."code" = r."unit_code"
     WHERE list_contains(string_split($levels, ','), r."level") AND r."day" BETWEEN $start::DATE AND $day::DATE
     GROUP BY ALL`,
    { levels: levels.join(','), start, day },
  );
  const length = dayIndex(day, start) + 1;
  const series = new Map<string, { series: DailySeries; counts: number[]; level: UnitLevel; name: string }>();
  for (const row of rows) {
    const key = `${row.unit}|${row.item}`;
    let entry = series.get(key);
    if (!entry) {
      const counts = new Array<number>(length).fill(0);
      entry = { series: { unitCode: row.unit, item: row.item, startDate: start, counts }, counts, level: row.level, name: row.name ?? row.unit };
      series.set(key, entry);
    }
    entry.counts[dayIndex(row.day, start)] = row.events;
  }
  const entries = [...series.values()];
  const found = detectAlerts(entries.map((entry) => entry.series), { rules, lastDays: dayIndex(day, fromDay) + 1 });
  const byKey = new Map(entries.map((entry) => [`${entry.series.unitCode}|${entry.series.item}`, entry]));
  return found.map((alert): NewAlert => {
    const entry = byKey.get(`${alert.unitCode}|${alert.item}`)!;
    return {
      id: `stat:${alert.method}:${alert.unitCode}:${alert.item}:${alert.date}`,
      kind: 'statistical',
      unitCode: alert.unitCode,
      gridCode: null,
      item: alert.item,
      severity: alert.severity,
      title: `${entry.name}·${ITEM_LABELS[alert.item].zh}诉求异常增多：${alert.observed} 件（预期 ${alert.expected.toFixed(1)} 件）`,
      detail: { method: alert.method, level: entry.level, observed: alert.observed, expected: alert.expected, statistic: alert.statistic, threshold: alert.threshold },
      day: alert.date,
    };
  });
}

interface EscalationRow {
  id: number;
  source: Source;
  at: string;
  item: Item;
  reporter_hash: string;
  urgency: string;
  police_matter: boolean | null;
  petition_form: string | null;
  hotline_nature: string | null;
  group_size: number | null;
  grid_code: string;
}

/**
 * Content severity of an event on a 0–5 scale, from structured fields (no text mining):
 * a 12345 consultation 0, other 12345 demands 1; a 110 call that is not a police matter 2,
 * a 警情 3; a petition letter or online petition 2, a visit 3; +1 for an emergency, +1 for a
 * group petition (≥ 5 people). Escalation = a chain whose severity does not fall.
 */
export function contentSeverity(event: Pick<EscalationRow, 'source' | 'urgency' | 'police_matter' | 'petition_form' | 'hotline_nature' | 'group_size'>): number {
  let severity: number;
  if (event.source === 'hotline') severity = event.hotline_nature === 'consult' ? 0 : 1;
  else if (event.source === 'police') severity = event.police_matter ? 3 : 2;
  else severity = event.petition_form === 'visit' ? 3 : 2;
  if (event.urgency === 'emergency') severity += 1;
  if ((event.group_size ?? 0) >= 5) severity += 1;
  return severity;
}

async function escalationAlerts(db: Database, fromDay: string, day: string): Promise<NewAlert[]> {
  const lo = addDays(fromDay, -ESCALATION_WINDOW_DAYS);
  const rows = await db.all<EscalationRow>(
    `WITH w AS (
       SELECT "id", "source", "received_at", "category", "reporter_hash", "urgency", "police_is_police_matter", "petition_form", "hotline_nature", "petition_group_size", "grid_code"
       FROM "events"
       WHERE "received_at" >= $lo::DATE AND "received_at" < $day::DATE + 1 AND "reporter_hash" IS NOT NULL),
     k AS (
       SELECT "reporter_hash" FROM w GROUP BY 1
       HAVING count(DISTINCT "source") >= 2 AND bool_or("source" IN ('petition', 'police') AND "received_at" >= $from::DATE))
     SELECT w."id"::DOUBLE AS "id", w."source", strftime(w."received_at", '%Y-%m-%d %H:%M:%S') AS "at", w."category" AS "item", w."reporter_hash", w."urgency",
       w."police_is_police_matter" AS "police_matter", w."petition_form", w."hotline_nature", w."petition_group_size" AS "group_size", w."grid_code"
     FROM w JOIN k USING ("reporter_hash")`,
    { lo, day, from: fromDay },
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  const events: EscalationEvent[] = rows.map((row) => ({
    id: row.id,
    source: row.source,
    at: Date.parse(`${row.at.replace(' ', 'T')}Z`),
    item: row.item,
    severity: contentSeverity(row),
    // One dispute = one person about one matter: chains are keyed by reporter × item, so a
    // frequent caller's unrelated calls are not linked (cut false chains 15× in demo data).
    reporterHash: `${row.reporter_hash}|${row.item}`,
    addressKey: null,
  }));
  const from = Date.parse(`${fromDay}T00:00:00Z`);
  // Worsening, and reaching a serious level: the chain ends more severe than it began and at
  // ≥ 3 (a 警情, a visit, an emergency) — a neighbour calling 12345 then 110 about noise once
  // is not yet an escalation.
  const warnings = detectEscalations(events, { windowDays: ESCALATION_WINDOW_DAYS }).filter(
    (warning) => warning.lastAt >= from && warning.severityTo > warning.severityFrom && warning.severityTo >= MIN_ESCALATION_SEVERITY,
  );
  return warnings.map((warning): NewAlert => {
    const last = byId.get(warning.eventIds[warning.eventIds.length - 1] as number)!;
    const severity: AlertSeverity = warning.level === 'severe' ? 'severe' : 'warning';
    const sources = warning.sources.map((source) => SOURCE_LABELS[source].zh).join('、');
    return {
      id: `esc:${last.id}`,
      kind: 'escalation',
      unitCode: last.grid_code,
      gridCode: last.grid_code,
      item: last.item,
      severity,
      title: `矛盾纠纷升级预警：同一诉求人 ${warning.eventIds.length} 次诉求跨${sources}，${ITEM_LABELS[last.item].zh}`,
      detail: {
        eventIds: warning.eventIds,
        sources: warning.sources,
        items: warning.items,
        firstAt: new Date(warning.firstAt).toISOString().slice(0, 19).replace('T', ' '),
        lastAt: last.at,
        severityFrom: warning.severityFrom,
        severityTo: warning.severityTo,
        reporterHash: warning.key.split('|')[0],
      },
      day: last.at.slice(0, 10),
    };
  });
}
