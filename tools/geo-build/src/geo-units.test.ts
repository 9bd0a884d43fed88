/** Checks the committed data/geo/units.csv (run `pnpm geo:build` to regenerate it). */
import { describe, expect, it } from 'vitest';
import { readUnitsCsv, type CommittedUnit } from './committed-geo-data.ts';
import { CITY_POPULATION_2020, DISTRICT_POPULATION_2020, gridCountFor, PERSONS_PER_HOUSEHOLD } from './population.ts';

const LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
const CODE_LENGTH = { city: 4, district: 6, street: 9, community: 12, grid: 15 } as const;

const { header, units } = readUnitsCsv();
const byCode = new Map(units.map((unit) => [unit.code, unit]));
const childrenOf = new Map<string, CommittedUnit[]>();
for (const unit of units) {
  const siblings = childrenOf.get(unit.parentCode);
  if (siblings) siblings.push(unit);
  else childrenOf.set(unit.parentCode, [unit]);
}
const atLevel = (level: string): CommittedUnit[] => units.filter((unit) => unit.level === level);

describe('units.csv', () => {
  it('has the agreed header', () => {
    expect(header).toBe('code,name,level,parent_code,population,households,lng,lat');
  });

  it('has 1 city, 20 districts, 261 streets, 3047 communities and grids below them', () => {
    expect(atLevel('city').map((u) => [u.code, u.name, u.parentCode])).toEqual([['5101', '成都市', '']]);
    expect(atLevel('district')).toHaveLength(20);
    expect(atLevel('street')).toHaveLength(261);
    expect(atLevel('community')).toHaveLength(3047);
    expect(atLevel('grid').length).toBeGreaterThanOrEqual(3047);
    expect(units.every((unit) => (LEVELS as readonly string[]).includes(unit.level))).toBe(true);
  });

  it('has unique codes of the right length for each level', () => {
    expect(byCode.size).toBe(units.length);
    for (const unit of units) expect(unit.code, unit.code).toMatch(new RegExp(`^\\d{${CODE_LENGTH[unit.level as keyof typeof CODE_LENGTH]}}$`));
  });

  it('gives every non-city unit an existing parent one level up, whose code it extends', () => {
    for (const unit of units.filter((u) => u.level !== 'city')) {
      const parent = byCode.get(unit.parentCode);
      expect(parent?.level, unit.code).toBe(LEVELS[LEVELS.indexOf(unit.level as (typeof LEVELS)[number]) - 1]);
      expect(unit.code.startsWith(unit.parentCode), unit.code).toBe(true);
    }
  });

  it('gives every community max(1, round(households / 400)) grids numbered 001, 002, …', () => {
    for (const community of atLevel('community')) {
      const grids = childrenOf.get(community.code) ?? [];
      expect(grids.length, community.code).toBe(gridCountFor(community.households));
      expect(grids.map((g) => g.code)).toEqual(grids.map((_, i) => `${community.code}${String(i + 1).padStart(3, '0')}`));
      expect(grids.every((g, i) => g.name === `${community.name}第${i + 1}网格`)).toBe(true);
    }
  });

  it('sums population and households exactly to the parent at every level', () => {
    expect(byCode.get('5101')?.population).toBe(CITY_POPULATION_2020);
    for (const parent of units.filter((u) => u.level !== 'grid')) {
      const children = childrenOf.get(parent.code) ?? [];
      expect(children.length, parent.code).toBeGreaterThan(0);
      expect(children.reduce((sum, c) => sum + c.population, 0), parent.code).toBe(parent.population);
      expect(children.reduce((sum, c) => sum + c.households, 0), parent.code).toBe(parent.households);
    }
  });

  it('uses positive integers and 2.49 persons per household', () => {
    for (const unit of units) {
      expect(Number.isInteger(unit.population) && unit.population > 0, unit.code).toBe(true);
      expect(Number.isInteger(unit.households) && unit.households > 0, unit.code).toBe(true);
      expect(Math.abs(unit.households - unit.population / PERSONS_PER_HOUSEHOLD), unit.code).toBeLessThanOrEqual(2);
    }
  });

  it('scales the census district figures proportionally to the city total', () => {
    const rawTotal = Object.values(DISTRICT_POPULATION_2020).reduce((sum, d) => sum + d.population, 0);
    for (const district of atLevel('district')) {
      const census = DISTRICT_POPULATION_2020[district.code];
      expect(census?.name).toBe(district.name);
      expect(Math.abs(district.population - (census!.population * CITY_POPULATION_2020) / rawTotal)).toBeLessThan(1);
    }
  });

  it('cuts grids of roughly 300–500 households', () => {
    const grids = atLevel('grid');
    const mean = grids.reduce((sum, g) => sum + g.households, 0) / grids.length;
    expect(mean).toBeGreaterThan(300);
    expect(mean).toBeLessThan(500);
    for (const grid of grids) expect(grid.households, grid.code).toBeLessThan(700);
  });
});
