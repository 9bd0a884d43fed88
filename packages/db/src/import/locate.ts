import { DomainError } from '@cityops/domain';
import gcoord from 'gcoord';
import { cellToParent, latLngToCell } from 'h3-js';
import type { Database } from '../database.ts';

/** Coordinate reference systems of department exports: Chinese web maps use GCJ-02 (Amap, Tencent) or BD-09 (Baidu). */
export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const;
export type CrsName = (typeof CRS_NAMES)[number];

const GCOORD_CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export function toWgs84(lng: number, lat: number, crs: CrsName): [number, number] {
  if (crs === 'wgs84') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], GCOORD_CRS[crs], gcoord.WGS84) as [number, number];
  return [x, y];
}

export interface UnitRow {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  lng: number | null;
  lat: number | null;
}

interface GridPoint {
  code: string;
  lng: number;
  lat: number;
}

export interface Placement {
  lng: number;
  lat: number;
  approximate: boolean;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  h3r7: string;
  h3r8: string;
  h3r9: string;
}

/** A row's unit (undefined: it names none, the whole city), or why its code or names do not resolve. */
export type ResolvedScope = { ok: true; unit: UnitRow | undefined } | Extract<PlaceResult, { ok: false }>;

export type PlaceResult = { ok: true; placement: Placement } | { ok: false; field: 'district' | 'street' | 'community' | 'unitCode' | 'lng'; reason: string };

export interface PlaceInput {
  district?: string | undefined;
  street?: string | undefined;
  community?: string | undefined;
  unitCode?: string | undefined;
  /** WGS-84 (converted by the caller). */
  lng?: number | undefined;
  lat?: number | undefined;
}

/** Street and community names in exports often carry the office suffix or the city prefix. */
function normalizeUnitName(name: string): string {
  return name.trim().replace(/^(四川省)?成都市/, '').replace(/(办事处|居民委员会|居委会|村民委员会|村委会)$/, '');
}

/**
 * Places a row on the map and in the unit hierarchy from the `units` table (loaded once).
 *
 * Approximation (documented for analysts): the warehouse has unit centroids, not boundaries
 * of streets and communities, so a point is assigned to the grid whose centroid is nearest
 * among the grids of the most specific unit the row names (community, else street, else
 * district, else the whole city). A row without coordinates is put at the centroid of that
 * unit and flagged `location_approximate`; its grid is the one nearest to that centroid.
 */
export class UnitLocator {
  private readonly byCode = new Map<string, UnitRow>();
  private readonly byName = new Map<string, UnitRow[]>();
  private readonly gridsUnder = new Map<string, GridPoint[]>();
  private readonly approximateCache = new Map<string, Placement>();
  /**
   * Resolved scopes by the row's (unit code, district, street, community) text: exports repeat
   * a few thousand combinations over millions of rows, and resolving one costs several name
   * normalisations (regex replaces) and candidate filters.
   */
  private readonly scopeCache = new Map<string, ResolvedScope>();

  private constructor(units: UnitRow[]) {
    for (const unit of units) {
      this.byCode.set(unit.code, unit);
      const key = `${unit.level}:${normalizeUnitName(unit.name)}`;
      const list = this.byName.get(key) ?? [];
      list.push(unit);
      this.byName.set(key, list);
    }
    for (const unit of units) {
      if (unit.level !== 'grid' || unit.lng === null || unit.lat === null) continue;
      const point = { code: unit.code, lng: unit.lng, lat: unit.lat };
      // Index each grid under every ancestor (prefixes of 4, 6, 9, 12 digits) for scoped nearest search.
      for (const length of [4, 6, 9, 12]) {
        const ancestor = unit.code.slice(0, length);
        const list = this.gridsUnder.get(ancestor) ?? [];
        list.push(point);
        this.gridsUnder.set(ancestor, list);
      }
    }
  }

  static async load(db: Database): Promise<UnitLocator> {
    return UnitLocator.fromRows(await UnitLocator.loadRows(db));
  }

  /** The units a locator is built from (plain rows: a worker thread builds its own locator from them). */
  static async loadRows(db: Database): Promise<UnitRow[]> {
    const units = await readUnitRows(db);
    if (!units.some((unit) => unit.level === 'grid')) {
      throw new DomainError('BAD_INPUT', `数据库中没有网格区划，无法定位事件；请先加载 data/geo/units.csv / the units table has no grids: load the units first`);
    }
    return units;
  }

  static fromRows(units: UnitRow[]): UnitLocator {
    return new UnitLocator(units);
  }

  /** The code of some grid (the first loaded): a unit every template row can be placed in. */
  anyGridCode(): string {
    for (const grids of this.gridsUnder.values()) if (grids[0]) return grids[0].code;
    throw new DomainError('BAD_INPUT', '数据库中没有网格区划 / the units table has no grids');
  }

  place(input: PlaceInput, parentCell = true): PlaceResult {
    return this.placeIn(this.scopeOf(input), input.lng, input.lat, parentCell);
  }

  /** The most specific unit a row's unit code and names resolve to (cached), or why they do not. */
  scopeOf(input: Pick<PlaceInput, 'unitCode' | 'district' | 'street' | 'community'>): ResolvedScope {
    const scopeKey = `${input.unitCode ?? ''}\u0001${input.district ?? ''}\u0001${input.street ?? ''}\u0001${input.community ?? ''}`;
    let scope = this.scopeCache.get(scopeKey);
    if (scope === undefined) {
      scope = this.resolveScope(input);
      // Bounded: a file of free-typed names cannot grow it without limit.
      if (this.scopeCache.size >= 100_000) this.scopeCache.clear();
      this.scopeCache.set(scopeKey, scope);
    }
    return scope;
  }

  /**
   * Places a point (WGS-84), or without one the scope's centroid, in a resolved scope.
   * `parentCell: false` leaves h3r7 empty (''): the events table derives it; only the staged
   * rows of the push API carry it.
   */
  placeIn(scope: ResolvedScope, lng: number | undefined, lat: number | undefined, parentCell = true): PlaceResult {
    if (!scope.ok) return scope;
    const unit = scope.unit;
    const hasPoint = lng !== undefined && lat !== undefined;
    if (!hasPoint && !unit) return { ok: false, field: 'lng', reason: '缺少位置：需要经纬度或所属区县/街道/社区' };
    if (hasPoint) {
      const grid = this.nearestGrid(unit?.code ?? '5101', lng, lat);
      if (!grid) return { ok: false, field: 'lng', reason: '坐标附近没有网格' };
      return { ok: true, placement: this.placement(lng, lat, grid.code, false, parentCell) };
    }
    const cached = this.approximateCache.get(unit!.code);
    if (cached) return { ok: true, placement: cached };
    if (unit!.lng === null || unit!.lat === null) return { ok: false, field: 'lng', reason: `区划 ${unit!.name} 没有中心点坐标，请提供经纬度` };
    const grid = unit!.level === 'grid' ? { code: unit!.code } : this.nearestGrid(unit!.code, unit!.lng, unit!.lat);
    if (!grid) return { ok: false, field: 'lng', reason: `区划 ${unit!.name} 下没有网格` };
    const placement = this.placement(unit!.lng, unit!.lat, grid.code, true);
    this.approximateCache.set(unit!.code, placement);
    return { ok: true, placement };
  }

  /** The most specific unit the row names, each level checked against its parent. */
  private resolveScope(input: Pick<PlaceInput, 'unitCode' | 'district' | 'street' | 'community'>): ResolvedScope {
    let unit: UnitRow | undefined;
    if (input.unitCode) {
      unit = this.byCode.get(input.unitCode.trim());
      if (!unit || unit.level === 'city') return { ok: false, field: 'unitCode', reason: `区划代码不存在: ${input.unitCode}` };
    }
    const levels = [
      ['district', input.district],
      ['street', input.street],
      ['community', input.community],
    ] as const;
    for (const [level, name] of levels) {
      if (!name) continue;
      const found = this.findByName(level, name, unit);
      if (!found) {
        const within = unit ? `（在 ${unit.name} 下）` : '';
        const label = level === 'district' ? '所属区县' : level === 'street' ? '所属街道' : '所属社区';
        return { ok: false, field: level, reason: `${label}不存在${within}: ${name}` };
      }
      // A name deeper than the unit code refines it; a shallower one must contain it.
      if (!unit || found.code.length > unit.code.length) unit = found;
    }
    return { ok: true, unit };
  }

  private findByName(level: 'district' | 'street' | 'community', name: string, within: UnitRow | undefined): UnitRow | undefined {
    const trimmed = name.trim();
    const direct = this.byCode.get(trimmed);
    const candidates = direct && direct.level === level ? [direct] : (this.byName.get(`${level}:${normalizeUnitName(trimmed)}`) ?? []);
    const compatible = candidates.filter((candidate) => !within || candidate.code.startsWith(within.code) || within.code.startsWith(candidate.code));
    // A street or community name repeated in several districts needs its parent to pick one.
    return compatible.length === 1 ? compatible[0] : undefined;
  }

  private nearestGrid(scopeCode: string, lng: number, lat: number): GridPoint | undefined {
    const grids = this.gridsUnder.get(scopeCode);
    if (!grids) return undefined;
    // Equirectangular distance: exact enough to rank points a few km apart at Chengdu's latitude.
    const kx = Math.cos((lat * Math.PI) / 180);
    let best: GridPoint | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const grid of grids) {
      const dx = (grid.lng - lng) * kx;
      const dy = grid.lat - lat;
      const distance = dx * dx + dy * dy;
      if (distance < bestDistance) {
        bestDistance = distance;
        best = grid;
      }
    }
    return best;
  }

  private placement(lng: number, lat: number, gridCode: string, approximate: boolean, parentCell = true): Placement {
    // Res 9 and 8 are the cells containing the point, as the generator computes them (H3 cells
    // do not nest exactly: for ~7 % of points the res-9 cell's parent is not the res-8 cell
    // containing the point, and the hotspots read res 8). Res 7 is the res-9 cell's parent, as
    // the events table derives it (migration 15).
    const h3r9 = latLngToCell(lat, lng, 9);
    return {
      lng,
      lat,
      approximate,
      districtCode: gridCode.slice(0, 6),
      streetCode: gridCode.slice(0, 9),
      communityCode: gridCode.slice(0, 12),
      gridCode,
      h3r7: parentCell ? cellToParent(h3r9, 7) : '',
      h3r8: latLngToCell(lat, lng, 8),
      h3r9,
    };
  }
}

const UNIT_COLUMNS = `"code", "name", "level", "parent_code" AS "parentCode", "lng", "lat"`;

/**
 * The units table (24,000 rows) as plain rows, in table order. Read as one text (fields joined
 * by U+0001, rows by U+0002) and split here: row objects through the binding took ~0.8 s of
 * the importing thread (one conversion per value), the text ~0.1 s. Doubles travel as
 * DuckDB's shortest round-trip text, so Number() gives them back exactly. A unit whose text
 * holds a separator (never in units.csv) makes it fall back to the row objects.
 */
async function readUnitRows(db: Database): Promise<UnitRow[]> {
  const [packed] = await db.all<{ text: string | null; n: number; clean: boolean | null }>(
    `SELECT string_agg(concat_ws(chr(1), "code", "name", "level", coalesce("parent_code", ''), coalesce("lng"::VARCHAR, ''), coalesce("lat"::VARCHAR, '')), chr(2) ORDER BY rowid) AS "text",
       count(*)::INTEGER AS "n",
       bool_and(NOT regexp_matches(concat("code", "name", "level", coalesce("parent_code", '')), '[\x01\x02]') AND "parent_code" IS DISTINCT FROM '') AS "clean"
     FROM "units"`,
  );
  if (!packed || packed.n === 0) return [];
  if (packed.clean && packed.text !== null) {
    const rows: UnitRow[] = [];
    for (const line of packed.text.split('\u0002')) {
      const [code, name, level, parentCode, lng, lat] = line.split('\u0001') as [string, string, string, string, string, string];
      rows.push({ code, name, level, parentCode: parentCode === '' ? null : parentCode, lng: lng === '' ? null : Number(lng), lat: lat === '' ? null : Number(lat) });
    }
    if (rows.length === packed.n) return rows;
  }
  return db.all<UnitRow>(`SELECT ${UNIT_COLUMNS} FROM "units"`);
}
