/**
 * Resident population (2020, 7th national census) and households, distributed down the
 * unit tree. District figures are the census bulletin's as recalled; the bulletin reports the
 * functional zones (高新区, 天府新区, 东部新区) separately, so the 20 districts are scaled to
 * sum to the city total. Below district level the split is illustrative.
 */
import { apportionLargestRemainder } from './apportion.ts';
import { uniform, type Random } from './prng.ts';

export const CITY_POPULATION_2020 = 20_937_757;
export const PERSONS_PER_HOUSEHOLD = 2.49;
export const HOUSEHOLDS_PER_GRID = 400;

/** 7th census resident population by district (before scaling), keyed by NBS code. */
export const DISTRICT_POPULATION_2020: Readonly<Record<string, { name: string; population: number }>> = {
  '510104': { name: '锦江区', population: 902_933 },
  '510105': { name: '青羊区', population: 955_954 },
  '510106': { name: '金牛区', population: 1_265_398 },
  '510107': { name: '武侯区', population: 1_205_546 },
  '510108': { name: '成华区', population: 1_381_894 },
  '510112': { name: '龙泉驿区', population: 1_346_210 },
  '510113': { name: '青白江区', population: 490_091 },
  '510114': { name: '新都区', population: 1_558_466 },
  '510115': { name: '温江区', population: 967_868 },
  '510116': { name: '双流区', population: 2_661_120 },
  '510117': { name: '郫都区', population: 1_391_734 },
  '510118': { name: '新津区', population: 363_591 },
  '510121': { name: '金堂县', population: 800_371 },
  '510129': { name: '大邑县', population: 515_962 },
  '510131': { name: '蒲江县', population: 255_563 },
  '510181': { name: '都江堰市', population: 710_056 },
  '510182': { name: '彭州市', population: 780_399 },
  '510183': { name: '邛崃市', population: 602_973 },
  '510184': { name: '崇州市', population: 735_723 },
  '510185': { name: '简阳市', population: 1_112_117 },
};

/** District populations scaled proportionally to sum exactly to the city total. */
export function scaledDistrictPopulations(codes: readonly string[]): number[] {
  const raw = codes.map((code) => {
    const entry = DISTRICT_POPULATION_2020[code];
    if (!entry) throw new Error(`no census population for district ${code}`);
    return entry.population;
  });
  return apportionLargestRemainder(CITY_POPULATION_2020, raw);
}

/** Urban sub-districts (街道) are denser than towns (镇) and townships (乡). */
export function streetWeight(name: string, random: Random): number {
  const base = name.endsWith('街道') ? 3 : name.endsWith('乡') ? 0.6 : 1;
  return base * uniform(random, 0.6, 1.4);
}

/** Residents' committees (社区) are larger than village committees (村). */
export function communityWeight(kind: 'community' | 'village', random: Random): number {
  return (kind === 'community' ? 3 : 1) * uniform(random, 0.6, 1.4);
}

/** Grids are cut to a similar number of households; a little variation looks natural. */
export function gridWeight(random: Random): number {
  return uniform(random, 0.85, 1.15);
}

export function householdsOf(population: number): number {
  return Math.round(population / PERSONS_PER_HOUSEHOLD);
}

export function gridCountFor(households: number): number {
  return Math.max(1, Math.round(households / HOUSEHOLDS_PER_GRID));
}
