import { DomainError, assertUnitInScope, scopeCoversUnit, type AlertSeverity, type Item, type Scope } from '@cityops/domain';
import type { Database } from '../database.ts';
import { assertDay } from './months.ts';

/**
 * The `alerts` table: one row per early warning of any kind. Ids are deterministic (kind +
 * what triggered it), so re-running a day's job adds nothing twice and callers learn which
 * alerts are new (to push them to the live bus).
 */
export const ALERT_KINDS = ['statistical', 'sensor', 'escalation'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface NewAlert {
  /** Deterministic; never contains a comma. */
  id: string;
  kind: AlertKind;
  /** The most specific unit concerned (a street or district for statistical alerts, a grid otherwise). */
  unitCode: string;
  gridCode: string | null;
  item: Item;
  severity: AlertSeverity;
  title: string;
  detail: Record<string, unknown>;
  day: string;
}

export interface StoredAlert extends NewAlert {
  createdAt: string;
  status: string;
}

/** Inserts the alerts not stored yet; returns those (the new ones). */
export async function insertAlerts(db: Database, alerts: readonly NewAlert[]): Promise<NewAlert[]> {
  if (alerts.length === 0) return [];
  return db.transaction(async (tx) => {
    const existing = await tx.all<{ id: string }>(`SELECT "id" FROM "alerts" WHERE list_contains(string_split($ids, ','), "id")`, { ids: alerts.map((alert) => alert.id).join(',') });
    const known = new Set(existing.map((row) => row.id));
    const seen = new Set<string>();
    const fresh = alerts.filter((alert) => !known.has(alert.id) && !seen.has(alert.id) && seen.add(alert.id));
    if (fresh.length === 0) return [];
    const createdAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
    await tx.appendRows(
      'alerts',
      ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar'],
      fresh.map((a) => [a.id, a.kind, a.unitCode, a.gridCode, a.item, a.severity, a.title, JSON.stringify(a.detail), a.day, createdAt, 'open']),
    );
    return fresh;
  });
}

export interface AlertQuery {
  unitCode: string;
  from: string;
  to: string;
  kind?: AlertKind | undefined;
  limit?: number | undefined;
}

/**
 * Alerts inside `unitCode` between two days, newest and most severe first. Scope: territory
 * (grid workers: their grids), and a department sees only its items. Reporter hashes in
 * escalation details are removed unless the caller may see personal data.
 */
export async function queryAlerts(db: Database, scope: Scope, opts: AlertQuery): Promise<StoredAlert[]> {
  assertUnitInScope(scope, opts.unitCode);
  assertDay(opts.from);
  assertDay(opts.to);
  if (opts.from > opts.to) throw new DomainError('BAD_INPUT', `起止日期颠倒 / from > to: ${opts.from} > ${opts.to}`);
  const limit = Math.min(Math.max(1, opts.limit ?? 200), 2000);
  const rows = await db.all<{ id: string; kind: AlertKind; unit_code: string; grid_code: string | null; item: Item; severity: AlertSeverity; title: string; detail: string; day: string; created_at: string; status: string }>(
    `SELECT "id", "kind", "unit_code", "grid_code", "item", "severity", "title", "detail"::VARCHAR AS "detail", strftime("day", '%Y-%m-%d') AS "day",
       strftime("created_at", '%Y-%m-%d %H:%M:%S') AS "created_at", "status"
     FROM "alerts"
     WHERE starts_with("unit_code", $unit) AND "day" BETWEEN $from::DATE AND $to::DATE
       AND ($kind::VARCHAR IS NULL OR "kind" = $kind)
       AND ($items::VARCHAR IS NULL OR list_contains(string_split($items, ','), "item"))
     ORDER BY "day" DESC, CASE "severity" WHEN 'severe' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, "id"
     LIMIT $limit`,
    { unit: opts.unitCode, from: opts.from, to: opts.to, kind: opts.kind ?? null, items: scope.items ? scope.items.join(',') : null, limit },
  );
  return rows
    .filter((row) => !scope.gridCodes || scopeCoversUnit(scope, row.grid_code ?? row.unit_code))
    .map((row) => {
      const detail = JSON.parse(row.detail) as Record<string, unknown>;
      if (!scope.canSeePersonalData) delete detail['reporterHash'];
      return {
        id: row.id, kind: row.kind, unitCode: row.unit_code, gridCode: row.grid_code, item: row.item, severity: row.severity,
        title: row.title, detail, day: row.day, createdAt: row.created_at, status: row.status,
      };
    });
}
