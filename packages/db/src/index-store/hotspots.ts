import {
  DomainError,
  EMERGING_CATEGORY_LABELS,
  HOTSPOT_BIN_LABELS,
  assertItemInScope,
  assertUnitInScope,
  buildHexNeighbourhood,
  emergingHotSpotAnalysis,
  getisOrdGiStar,
  hotspotResolutionOf,
  levelOfCode,
  type EmergingCategory,
  type HexNeighbourhood,
  type HotspotBin,
  type Item,
  type Scope,
  type Source,
} from '@cityops/domain';
import { gridDisk } from 'h3-js';
import type { Database } from '../database.ts';
import { assertMonth, monthStart, shiftMonth } from './months.ts';

/**
 * Hotspots (Getis-Ord Gi*) and emerging hotspots on H3, read from `rollup_h3_monthly`.
 * Resolution: res 8 (~0.74 km²) for the city and a district, res 9 (~0.11 km²) for a street.
 *
 * Study area (fixed for every month, so emerging analysis compares like with like): the cells
 * of that resolution where the unit has had at least one event of any source or item over the
 * whole period held in the rollup, plus "holes" — unobserved cells with ≥ 3 observed
 * neighbours, i.e. empty cells surrounded by inhabited ones. Zeros are data (methodology: a
 * cell with no events enters the mean and variance). We derive the area from the data rather
 * than from polygonToCells on data/geo/boundaries because the street/grid boundaries are
 * illustrative and the district ones approximate (datum offsets of a few hundred metres): the
 * data-derived area is exactly where events can fall, and mountains or lakes where nobody
 * lives do not dilute the statistic with structural zeros.
 */

export type HotspotResolution = 8 | 9;

interface AreaSpec {
  resolution: HotspotResolution;
  column: '"h3r8"' | '"h3r9"';
  unitFilter: string;
}

/** The unit's resolution (the domain's HOTSPOT_RESOLUTION), its cell column and its rows of the rollup. */
function areaOf(unitCode: string): AreaSpec {
  const resolution = hotspotResolutionOf(unitCode);
  if (!resolution) {
    throw new DomainError('BAD_INPUT', `热点分析支持市、区（H3 8级）和街道（H3 9级）/ hotspots are computed for the city, a district (res 8) or a street (res 9): ${unitCode}`, { unitCode });
  }
  const level = levelOfCode(unitCode);
  const unitFilter = level === 'city' ? `starts_with("district_code", $unit)` : level === 'district' ? `"district_code" = $unit` : `"street_code" = $unit`;
  return { resolution, column: resolution === 8 ? '"h3r8"' : '"h3r9"', unitFilter };
}

interface Filters {
  sql: string;
  params: Record<string, string | null>;
}

/** Source and item filters; a department sees only its own items. */
function filtersOf(scope: Scope, unitCode: string, opts: { source?: Source | undefined; item?: Item | undefined }): Filters {
  assertUnitInScope(scope, unitCode);
  if (scope.gridCodes) throw new DomainError('FORBIDDEN', '网格员无权查看热点分析 / grid workers cannot view hotspot analysis');
  if (opts.item) assertItemInScope(scope, opts.item);
  const items = opts.item ? [opts.item] : scope.items;
  // Only the filters in force enter the SQL: an `OR $x IS NULL` guard would still be evaluated per row.
  const clauses = ['true'];
  const params: Record<string, string | null> = { unit: unitCode };
  if (opts.source) {
    clauses.push(`"source" = $source`);
    params['source'] = opts.source;
  }
  if (items) {
    clauses.push(`list_contains(string_split($items, ','), "item")`);
    params['items'] = items.join(',');
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * Study areas are cached per database, unit and resolution, keyed by a stamp of the rollup
 * (row count and event total), so a refresh by any process invalidates them; building one
 * for the whole city (~20,000 cells) costs more than the Gi* itself.
 */
const areaCache = new Map<string, { stamp: string; neighbourhood: HexNeighbourhood }>();

async function studyArea(db: Database, area: AreaSpec, unitCode: string): Promise<HexNeighbourhood> {
  const [stampRow] = await db.all<{ stamp: string }>(`SELECT count(*)::VARCHAR || ':' || coalesce(sum("events"), 0)::VARCHAR AS "stamp" FROM "rollup_h3_monthly"`);
  const key = `${db.path}|${unitCode}|${area.resolution}`;
  const cached = areaCache.get(key);
  if (cached && cached.stamp === stampRow!.stamp) return cached.neighbourhood;
  const neighbourhood = await buildStudyArea(db, area, unitCode);
  if (areaCache.size > 500) areaCache.clear();
  areaCache.set(key, { stamp: stampRow!.stamp, neighbourhood });
  return neighbourhood;
}

/**
 * k = 1 disks per cell, memoised per process: a cell's neighbours never change, so h3-js runs
 * once per cell however often study areas are rebuilt (after every rollup refresh). Bounded:
 * the whole of Chengdu is ~20,000 res-8 and ~140,000 res-9 cells.
 */
const diskCache = new Map<string, readonly string[]>();

function diskOf(cell: string): readonly string[] {
  let disk = diskCache.get(cell);
  if (!disk) {
    if (diskCache.size >= 400_000) diskCache.clear();
    disk = gridDisk(cell, 1);
    diskCache.set(cell, disk);
  }
  return disk;
}

async function buildStudyArea(db: Database, area: AreaSpec, unitCode: string): Promise<HexNeighbourhood> {
  const rows = await db.all<{ cell: string }>(`SELECT DISTINCT ${area.column} AS "cell" FROM "rollup_h3_monthly" WHERE ${area.unitFilter}`, { unit: unitCode });
  const observed = new Set(rows.map((row) => row.cell));
  const holes = new Map<string, number>();
  for (const cell of observed) {
    for (const neighbour of diskOf(cell)) if (!observed.has(neighbour)) holes.set(neighbour, (holes.get(neighbour) ?? 0) + 1);
  }
  const cells = [...observed];
  for (const [cell, count] of holes) if (count >= 3) cells.push(cell);
  return buildHexNeighbourhood(cells, 1, diskOf);
}

/**
 * Events per study-area cell for each of `months` consecutive months from `from`, as one dense
 * array per month aligned with `neighbourhood.cells` (cells without events are 0). DuckDB sums
 * the rollup per cell and month and hands the sums over as one string of `cell,t,events`
 * triples: the Node client converts results value by value into objects (~80,000 rows of a
 * 12-month city query took over a second), whereas one string is one conversion and a split.
 */
async function monthlyCounts(db: Database, area: AreaSpec, filters: Filters, neighbourhood: HexNeighbourhood, from: string, months: number): Promise<Float64Array[]> {
  const [row] = await db.all<{ triples: string | null }>(
    `SELECT string_agg("cell" || ',' || "t" || ',' || "events", ',') AS "triples" FROM (
       SELECT ${area.column} AS "cell", date_diff('month', $from::DATE, "month")::INTEGER AS "t", sum("events")::INTEGER AS "events"
       FROM "rollup_h3_monthly"
       WHERE "month" >= $from::DATE AND "month" < $from::DATE + to_months($months) AND ${area.unitFilter} AND ${filters.sql}
       GROUP BY ALL
     )`,
    { ...filters.params, from: monthStart(from), months },
  );
  const out = Array.from({ length: months }, () => new Float64Array(neighbourhood.cells.length));
  const tokens = row?.triples ? row.triples.split(',') : [];
  for (let k = 0; k + 2 < tokens.length; k += 3) {
    const i = neighbourhood.indexOf.get(tokens[k]!);
    if (i === undefined) continue; // outside the study area (cannot happen: the area holds every observed cell)
    out[Number(tokens[k + 1])]![i] = Number(tokens[k + 2]);
  }
  return out;
}

export interface HotspotCell {
  cell: string;
  events: number;
  z: number;
  p: number;
  bin: HotspotBin;
}

export interface HotspotOptions {
  unitCode: string;
  month: string;
  source?: Source | undefined;
  item?: Item | undefined;
  /** Benjamini–Hochberg FDR correction (recommended for maps; default true). */
  fdr?: boolean | undefined;
}

export async function queryHotspots(db: Database, scope: Scope, opts: HotspotOptions) {
  assertMonth(opts.month);
  const filters = filtersOf(scope, opts.unitCode, opts);
  const area = areaOf(opts.unitCode);
  const fdr = opts.fdr ?? true;
  const neighbourhood = await studyArea(db, area, opts.unitCode);
  const [values] = (await monthlyCounts(db, area, filters, neighbourhood, opts.month, 1)) as [Float64Array];
  const gi = neighbourhood.cells.length > 1 ? getisOrdGiStar(values, neighbourhood, { fdr }) : null;
  const cells: HotspotCell[] = neighbourhood.cells.map((cell, i) => ({
    cell,
    events: values[i]!,
    z: gi ? gi.z[i]! : 0,
    p: gi ? gi.p[i]! : 1,
    bin: (gi ? gi.bins[i]! : 0) as HotspotBin,
  }));
  const bins = Object.fromEntries(Object.keys(HOTSPOT_BIN_LABELS).map((bin) => [bin, 0])) as Record<string, number>;
  for (const cell of cells) bins[String(cell.bin)] = (bins[String(cell.bin)] ?? 0) + 1;
  return { unitCode: opts.unitCode, month: opts.month, resolution: area.resolution, fdr, source: opts.source ?? null, item: opts.item ?? null, studyAreaCells: cells.length, bins, cells };
}

export interface EmergingOptions extends Omit<HotspotOptions, 'month'> {
  /** The final month of the analysis. */
  month: string;
  /** Number of months ending with `month` (≥ 3; 12 recommended). */
  months: number;
}

export async function queryEmergingHotspots(db: Database, scope: Scope, opts: EmergingOptions) {
  assertMonth(opts.month);
  if (!Number.isInteger(opts.months) || opts.months < 3 || opts.months > 60) {
    throw new DomainError('BAD_INPUT', `月数应为 3–60 / months must be 3–60: ${opts.months}`);
  }
  const filters = filtersOf(scope, opts.unitCode, opts);
  const area = areaOf(opts.unitCode);
  const fdr = opts.fdr ?? true;
  const from = shiftMonth(opts.month, -(opts.months - 1));
  const neighbourhood = await studyArea(db, area, opts.unitCode);
  const monthly = await monthlyCounts(db, area, filters, neighbourhood, from, opts.months);
  const monthList = Array.from({ length: opts.months }, (_, k) => shiftMonth(from, k));
  const analysis = neighbourhood.cells.length > 1 ? emergingHotSpotAnalysis(monthly, neighbourhood, { fdr }) : null;
  const categories = Object.fromEntries(Object.keys(EMERGING_CATEGORY_LABELS).map((category) => [category, 0])) as Record<EmergingCategory, number>;
  const cells = neighbourhood.cells.map((cell, i) => {
    const result = analysis?.results[i];
    const category: EmergingCategory = result?.category ?? 'no_pattern';
    categories[category] += 1;
    return {
      cell,
      category,
      label: EMERGING_CATEGORY_LABELS[category],
      trend: result ? { direction: result.trend.trend, z: result.trend.z, p: result.trend.p } : null,
      hotMonths: result?.hotSteps ?? 0,
      coldMonths: result?.coldSteps ?? 0,
      zLast: analysis ? analysis.zSeries[analysis.zSeries.length - 1]![i]! : 0,
    };
  });
  return { unitCode: opts.unitCode, month: opts.month, months: monthList, resolution: area.resolution, fdr, studyAreaCells: cells.length, categories, cells };
}
