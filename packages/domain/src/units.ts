/**
 * The five levels of use (五级应用): city → district → street/town → community/village → grid.
 * Codes follow the National Bureau of Statistics division codes (city 4 digits, district 6,
 * street 9, community 12); a grid code extends its community code by 3 digits (15).
 */
export const UNIT_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

declare const unitCodeBrand: unique symbol;
/** A division code; branded so it cannot be mixed up with other strings. */
export type UnitCode = string & { readonly [unitCodeBrand]: true };

export const CITY_CODE = '5101' as UnitCode;

const CODE_LENGTH: Record<UnitLevel, number> = { city: 4, district: 6, street: 9, community: 12, grid: 15 };

export const UNIT_LEVEL_LABELS: Record<UnitLevel, { zh: string; en: string }> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区（市、县）', en: 'District' },
  street: { zh: '街道（镇、乡）', en: 'Street / town' },
  community: { zh: '社区（村）', en: 'Community' },
  grid: { zh: '网格', en: 'Grid' },
};

export function codeLengthOf(level: UnitLevel): number {
  return CODE_LENGTH[level];
}

/** The level a code belongs to, or undefined when its length is not a known level's. */
export function levelOfCode(code: string): UnitLevel | undefined {
  if (!/^\d+$/.test(code)) return undefined;
  return UNIT_LEVELS.find((level) => CODE_LENGTH[level] === code.length);
}

export function isUnitCode(code: string): code is UnitCode {
  return levelOfCode(code) !== undefined;
}

export function parseUnitCode(code: string): UnitCode {
  if (!isUnitCode(code)) throw new RangeError(`不是有效的区划代码: ${code}`);
  return code;
}

/** The parent's code, or undefined for the city. */
export function parentCodeOf(code: UnitCode): UnitCode | undefined {
  const level = levelOfCode(code);
  const index = level ? UNIT_LEVELS.indexOf(level) : -1;
  if (index <= 0) return undefined;
  const parentLevel = UNIT_LEVELS[index - 1]!;
  return code.slice(0, CODE_LENGTH[parentLevel]) as UnitCode;
}

/** True when `code` is `ancestor` itself or lies below it in the hierarchy. */
export function isWithinUnit(code: string, ancestor: string): boolean {
  return code.startsWith(ancestor);
}

export function childLevelOf(level: UnitLevel): UnitLevel | undefined {
  return UNIT_LEVELS[UNIT_LEVELS.indexOf(level) + 1];
}

/**
 * The H3 resolution hot spots are computed on for a unit's level: res 8 (~0.74 km²) for the city
 * and a district, res 9 (~0.11 km²) for a street. A community or a grid is too small for the
 * statistic (no entry). The server computes by it and the district hub offers hot spots by it.
 */
export const HOTSPOT_RESOLUTION: Readonly<Partial<Record<UnitLevel, 8 | 9>>> = { city: 8, district: 8, street: 9 };

export function hotspotResolutionOf(code: string): 8 | 9 | undefined {
  const level = levelOfCode(code);
  return level ? HOTSPOT_RESOLUTION[level] : undefined;
}

export interface Unit {
  code: UnitCode;
  name: string;
  level: UnitLevel;
  parentCode: UnitCode | null;
  population: number;
  households: number;
  lng: number;
  lat: number;
}
