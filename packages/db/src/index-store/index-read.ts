import {
  BAND_DEFINITIONS,
  DomainError,
  INDICATORS,
  UNIT_LEVELS,
  aggregateMatrix,
  assertUnitInScope,
  childLevelOf,
  levelOfCode,
  normaliseMatrix,
  scopeCoversUnit,
  type Band,
  type IndexOptions,
  type IndexWeights,
  type Pillar,
  type Scope,
  type UnitLevel,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { getBaselineById } from './baseline-store.ts';
import { ensureProvisionalMonth } from './index-compute.ts';
import { assertMonth, shiftMonth } from './months.ts';
import { listSnapshots } from './publish.ts';
import { UNIT_VALUE_SELECT, toStoredUnitValue, type StoredUnitValue } from './unit-values.ts';

/**
 * Reading the index. A month resolves to its latest published revision when there is one;
 * otherwise to the provisional computation, labelled `status: 'provisional'` so no screen or
 * report can mistake it for the published figure. Every query takes the caller's Scope.
 */

export interface IndexMonthSource {
  month: string;
  status: 'published' | 'provisional';
  revision: number | null;
  snapshotId: string | null;
  methodVersion: string;
  baselineId: string;
  /** Data cut-off: the recorded one when published, the rollup watermark when provisional. */
  cutoff: string | null;
  weights: IndexWeights;
  options: IndexOptions;
}

export interface IndexedUnit extends StoredUnitValue {
  rankInterval: { median: number; p5: number; p95: number } | null;
}

export async function resolveIndexMonth(db: Database, month: string): Promise<IndexMonthSource> {
  assertMonth(month);
  const [latest] = await listSnapshots(db, month);
  if (latest) {
    const [meta] = await db.all<{ weights: string; options: string }>(
      `SELECT "weights"::VARCHAR AS "weights", "options"::VARCHAR AS "options" FROM "index_snapshots" WHERE "id" = $id`,
      { id: latest.id },
    );
    return {
      month, status: 'published', revision: latest.revision, snapshotId: latest.id, methodVersion: latest.methodVersion, baselineId: latest.baselineId,
      cutoff: latest.cutoff, weights: JSON.parse(meta!.weights) as IndexWeights, options: JSON.parse(meta!.options) as IndexOptions,
    };
  }
  if (!(await hasMonthData(db, month))) throw new DomainError('NOT_FOUND', `${month} 没有数据，也未发布 / no data and no publication for ${month}`, { month });
  const run = await ensureProvisionalMonth(db, month);
  return {
    month, status: 'provisional', revision: null, snapshotId: null, methodVersion: run.methodVersion, baselineId: run.baselineId,
    cutoff: run.dataAsOf, weights: run.weights, options: run.options,
  };
}

/** Rows of a resolved month matching a filter on level / code prefix. */
async function readRows(db: Database, source: IndexMonthSource, filter: { level?: UnitLevel; within?: string; code?: string }): Promise<IndexedUnit[]> {
  const published = source.status === 'published';
  const where = [published ? `"snapshot_id" = $key` : `"month" = $key`];
  const params: Record<string, string> = { key: published ? source.snapshotId! : source.month };
  if (filter.level) {
    where.push(`"level" = $level`);
    params['level'] = filter.level;
  }
  if (filter.within) {
    where.push(`starts_with("code", $within)`);
    params['within'] = filter.within;
  }
  if (filter.code) {
    where.push(`"code" = $code`);
    params['code'] = filter.code;
  }
  const extra = published ? `, "rank_median", "rank_p5", "rank_p95"` : '';
  const rows = await db.all<Parameters<typeof toStoredUnitValue>[0] & { rank_median?: number; rank_p5?: number; rank_p95?: number }>(
    `SELECT ${UNIT_VALUE_SELECT}${extra} FROM ${published ? '"index_snapshot_values"' : '"index_monthly"'} WHERE ${where.join(' AND ')} ORDER BY "rank", "code"`,
    params,
  );
  return rows.map((row) => ({
    ...toStoredUnitValue(row),
    rankInterval: row.rank_median === undefined ? null : { median: row.rank_median, p5: row.rank_p5!, p95: row.rank_p95! },
  }));
}

function bandInfo(band: string): { id: string; zh: string; en: string; color: string } {
  const def = BAND_DEFINITIONS[band as Band];
  return { id: band, zh: def?.zh ?? band, en: def?.en ?? band, color: def?.color ?? '#999999' };
}

async function unitNames(db: Database, codes: readonly string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.all<{ code: string; name: string }>(`SELECT "code", "name" FROM "units" WHERE "code" IN (SELECT unnest(string_split($codes, ',')))`, { codes: codes.join(',') });
  return new Map(rows.map((row) => [row.code, row.name]));
}

export interface RankingEntry {
  code: string;
  name: string;
  level: UnitLevel;
  score: number;
  band: ReturnType<typeof bandInfo>;
  rank: number;
  rankOf: number;
  rankInterval: IndexedUnit['rankInterval'];
  pillars: Record<Pillar, number>;
  /** Points against the previous month (环比), null when that month has no value. */
  momChange: number | null;
}

/**
 * The units of `level` (default: the level below `unitCode`) inside `unitCode`, best first.
 * Ranks are within the whole level (city-wide), as published.
 */
export async function queryIndexRanking(db: Database, scope: Scope, opts: { unitCode: string; month: string; level?: UnitLevel }): Promise<{ source: IndexMonthSource; level: UnitLevel; units: RankingEntry[] }> {
  assertUnitInScope(scope, opts.unitCode);
  const unitLevel = levelOfCode(opts.unitCode)!;
  const level = opts.level ?? childLevelOf(unitLevel) ?? unitLevel;
  if (UNIT_LEVELS.indexOf(level) < UNIT_LEVELS.indexOf(unitLevel)) {
    throw new DomainError('BAD_INPUT', `层级 ${level} 高于 ${opts.unitCode} / level ${level} is above the unit`, { level, unitCode: opts.unitCode });
  }
  const source = await resolveIndexMonth(db, opts.month);
  const rows = (await readRows(db, source, { level, within: opts.unitCode })).filter((row) => scopeCoversUnit(scope, row.code));
  const previous = await previousScores(db, shiftMonth(opts.month, -1), { level, within: opts.unitCode }, source);
  const names = await unitNames(db, rows.map((row) => row.code));
  return {
    source,
    level,
    units: rows.map((row) => ({
      code: row.code,
      name: names.get(row.code) ?? row.code,
      level: row.level,
      score: row.score,
      band: bandInfo(row.band),
      rank: row.rank,
      rankOf: row.rankOf,
      rankInterval: row.rankInterval,
      pillars: row.pillars,
      momChange: previous.has(row.code) ? row.score - previous.get(row.code)! : null,
    })),
  };
}

async function hasMonthData(db: Database, month: string): Promise<boolean> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS "n" FROM "rollup_monthly" WHERE "level" = 'city' AND "month" = $m::DATE`, { m: `${month}-01` });
  return (rows[0]?.n ?? 0) > 0;
}

/**
 * Scores of a comparison month, or an empty map when that month has no data and no
 * publication. When it was scored against another baseline than `current` (across the January
 * rebase, and always for year-on-year), its stored indicator values are normalised against
 * `current`'s goalposts and aggregated with `current`'s weights and options, so the change
 * compares like with like (methodology §5 and §7) instead of mixing two sets of goalposts.
 */
async function previousScores(db: Database, month: string, filter: { level?: UnitLevel; within?: string; code?: string }, current: IndexMonthSource): Promise<Map<string, number>> {
  if (!(await hasMonthData(db, month)) && (await listSnapshots(db, month)).length === 0) return new Map();
  const source = await resolveIndexMonth(db, month);
  const rows = await readRows(db, source, filter);
  const baseline = source.baselineId === current.baselineId ? undefined : await getBaselineById(db, current.baselineId);
  if (!baseline || rows.length === 0) return new Map(rows.map((row) => [row.code, row.score]));
  const K = INDICATORS.length;
  const values = new Float64Array(rows.length * K);
  rows.forEach((row, i) => values.set(Array.from(row.values), i * K));
  const matrix = { codes: rows.map((row) => row.code), levels: rows.map((row) => row.level), populations: Float64Array.from(rows, (row) => row.population), values };
  const normalised = normaliseMatrix(matrix, baseline.goalposts, current.options.normalisation);
  const { scores } = aggregateMatrix(normalised, current.weights, current.options.aggregation, current.options.geometricFloor);
  return new Map(rows.map((row, i) => [row.code, scores[i]!]));
}

export async function readIndexedUnit(db: Database, source: IndexMonthSource, code: string): Promise<IndexedUnit> {
  const [row] = await readRows(db, source, { code });
  if (!row) throw new DomainError('NOT_FOUND', `没有该区划的指数 / no index value for unit ${code}`, { code, month: source.month });
  return row;
}

function periodChange(now: number, before: number | undefined): { score: number; change: number; relative: number | null } | null {
  if (before === undefined) return null;
  return { score: before, change: now - before, relative: before !== 0 ? (now - before) / before : null };
}

/** Indicators a caller may see: a department sees only its items (and none of the cross-item service rates' details). */
export function visibleIndicator(scope: Scope, index: number): boolean {
  const item = INDICATORS[index]!.item;
  if (!scope.items) return true;
  return item !== null && scope.items.includes(item);
}

export async function queryIndexUnit(db: Database, scope: Scope, opts: { code: string; month: string }) {
  assertUnitInScope(scope, opts.code);
  const source = await resolveIndexMonth(db, opts.month);
  const row = await readIndexedUnit(db, source, opts.code);
  // Sequential on purpose: each may compute a month, and the connection runs one transaction at a time.
  const prev = await previousScores(db, shiftMonth(opts.month, -1), { code: opts.code }, source);
  const yearAgo = await previousScores(db, shiftMonth(opts.month, -12), { code: opts.code }, source);
  const names = await unitNames(db, [opts.code]);
  return {
    source,
    code: row.code,
    name: names.get(row.code) ?? row.code,
    level: row.level,
    population: row.population,
    score: row.score,
    band: bandInfo(row.band),
    rank: row.rank,
    rankOf: row.rankOf,
    rankInterval: row.rankInterval,
    pillars: row.pillars,
    mom: periodChange(row.score, prev.get(opts.code)),
    yoy: periodChange(row.score, yearAgo.get(opts.code)),
    indicators: INDICATORS.flatMap((indicator, j) =>
      visibleIndicator(scope, j)
        ? [{ id: indicator.id, pillar: indicator.pillar, item: indicator.item, source: indicator.source, label: indicator.label, unit: indicator.unit, direction: indicator.direction, value: row.values[j]!, normalised: row.normalised[j]! }]
        : [],
    ),
  };
}

export async function querySnapshots(db: Database, scope: Scope, opts: { month: string }) {
  assertUnitInScope(scope, scope.unitCode);
  const snapshots = await listSnapshots(db, opts.month);
  // Unit-level change lists are filtered to the caller's territory.
  return snapshots.map((snapshot) => ({
    ...snapshot,
    changes: { ...snapshot.changes, units: snapshot.changes.units.filter((unit) => scopeCoversUnit(scope, unit.code)) },
  }));
}
