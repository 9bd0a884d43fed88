import { PILLARS, type Pillar, type SocialConditionIndexResult, type UnitLevel } from '@cityops/domain';
import type { AppendKind, AppendValue } from '../database.ts';

/**
 * One unit's stored index values — the row shape shared by `index_monthly` (provisional)
 * and `index_snapshot_values` (published), see migrations/0005-index.ts.
 */
export interface StoredUnitValue {
  code: string;
  level: UnitLevel;
  parentCode: string | null;
  population: number;
  score: number;
  band: string;
  rank: number;
  rankOf: number;
  pillars: Record<Pillar, number>;
  /** Float64Array views straight from the computation; plain arrays when read back. */
  values: ArrayLike<number>;
  normalised: ArrayLike<number>;
}

export function unitValuesOf(result: SocialConditionIndexResult, parents: readonly (string | null)[]): StoredUnitValue[] {
  return result.units.map((unit, i) => ({
    code: unit.code,
    level: unit.level,
    parentCode: parents[i] ?? null,
    population: unit.population,
    score: unit.score,
    band: unit.band,
    rank: unit.rank,
    rankOf: unit.rankOf,
    pillars: { ...unit.pillarScores },
    values: unit.values,
    normalised: unit.normalised,
  }));
}

/** The SELECT list that reads the shared columns back as StoredUnitValue fields. */
export const UNIT_VALUE_SELECT = `"code", "level", "parent_code" AS "parentCode", "population", "score", "band", "rank", "rank_of" AS "rankOf",
  "petition_pressure", "hotline_demand", "police_incidents", "service_performance",
  "indicator_values" AS "values", "normalised"`;

type RawRow = Omit<StoredUnitValue, 'pillars'> & Record<Pillar, number>;

export function toStoredUnitValue(row: RawRow): StoredUnitValue {
  const pillars = Object.fromEntries(PILLARS.map((pillar) => [pillar, row[pillar]])) as Record<Pillar, number>;
  return {
    code: row.code,
    level: row.level,
    parentCode: row.parentCode,
    population: row.population,
    score: row.score,
    band: row.band,
    rank: row.rank,
    rankOf: row.rankOf,
    pillars,
    values: decodeVector(row.values as unknown as string),
    normalised: decodeVector(row.normalised as unknown as string),
  };
}

/** Indicator vectors are stored as base64 of little-endian float64: exact and compact. */
export function encodeVector(values: ArrayLike<number>): string {
  // Typed-array views are encoded in place (no copy): 24,000 units × 2 vectors per month.
  const array = values instanceof Float64Array ? values : Float64Array.from(values);
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

export function decodeVector(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  const out: number[] = [];
  for (let offset = 0; offset + 8 <= bytes.length; offset += 8) out.push(bytes.readDoubleLE(offset));
  return out;
}

export function unitValueCells(value: StoredUnitValue): AppendValue[] {
  return [
    value.code, value.level, value.parentCode, value.population, value.score, value.band, value.rank, value.rankOf,
    ...PILLARS.map((pillar) => value.pillars[pillar]),
    encodeVector(value.values), encodeVector(value.normalised),
  ];
}

export const UNIT_VALUE_KINDS: readonly AppendKind[] = [
  'varchar', 'varchar', 'varchar', 'integer', 'double', 'varchar', 'integer', 'integer',
  'double', 'double', 'double', 'double', 'varchar', 'varchar',
];

