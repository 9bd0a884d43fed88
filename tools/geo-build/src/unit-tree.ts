/** The five-level unit tree (city → district → street → community → grid) with populations. */
import type { UnitLevel } from '@cityops/domain/units';
import { apportionLargestRemainder } from './apportion.ts';
import type { CityDivisions, DivisionRow } from './division-csv.ts';
import {
  CITY_POPULATION_2020,
  communityWeight,
  gridCountFor,
  gridWeight,
  householdsOf,
  scaledDistrictPopulations,
  streetWeight,
} from './population.ts';
import { randomFor } from './prng.ts';
import { gridCode, gridName, shortCommunityName } from './unit-names.ts';

export interface UnitNode {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  population: number;
  households: number;
  children: UnitNode[];
}

interface ChildSpec {
  code: string;
  name: string;
  weight: number;
}

/** Gives children integer populations and households that sum exactly to the parent's. */
function attachChildren(parent: UnitNode, level: UnitLevel, specs: ChildSpec[], populations?: number[]): void {
  if (specs.length === 0) throw new Error(`${parent.code} ${parent.name} has no ${level} units`);
  const population = populations ?? apportionLargestRemainder(parent.population, specs.map((spec) => spec.weight));
  const households = apportionLargestRemainder(parent.households, population);
  parent.children = specs.map((spec, i) => ({
    code: spec.code,
    name: spec.name,
    level,
    parentCode: parent.code,
    population: population[i]!,
    households: households[i]!,
    children: [],
  }));
}

function groupByParent(rows: DivisionRow[]): Map<string, DivisionRow[]> {
  const groups = new Map<string, DivisionRow[]>();
  for (const row of rows) {
    const group = groups.get(row.parentCode);
    if (group) group.push(row);
    else groups.set(row.parentCode, [row]);
  }
  return groups;
}

export function buildUnitTree(city: { code: string; name: string }, divisions: CityDivisions): UnitNode {
  const root: UnitNode = {
    code: city.code,
    name: city.name,
    level: 'city',
    parentCode: null,
    population: CITY_POPULATION_2020,
    households: householdsOf(CITY_POPULATION_2020),
    children: [],
  };
  const districtSpecs = divisions.districts.map(({ code, name }) => ({ code, name, weight: 1 }));
  attachChildren(root, 'district', districtSpecs, scaledDistrictPopulations(districtSpecs.map((d) => d.code)));

  const streetsByDistrict = groupByParent(divisions.streets);
  const communitiesByStreet = groupByParent(divisions.communities);
  for (const district of root.children) {
    const streets = streetsByDistrict.get(district.code) ?? [];
    attachChildren(
      district,
      'street',
      streets.map(({ code, name }) => ({ code, name, weight: streetWeight(name, randomFor(code, 'population')) })),
    );
    for (const street of district.children) {
      const communities = (communitiesByStreet.get(street.code) ?? []).map(({ code, name }) => ({
        code,
        ...shortCommunityName(name),
      }));
      attachChildren(
        street,
        'community',
        communities.map(({ code, name, kind }) => ({ code, name, weight: communityWeight(kind, randomFor(code, 'population')) })),
      );
      for (const community of street.children) {
        const random = randomFor(community.code, 'grids');
        const specs = Array.from({ length: gridCountFor(community.households) }, (_, i) => ({
          code: gridCode(community.code, i + 1),
          name: gridName(community.name, i + 1),
          weight: gridWeight(random),
        }));
        attachChildren(community, 'grid', specs);
      }
    }
  }
  return root;
}

export function* walkUnits(node: UnitNode): Generator<UnitNode> {
  yield node;
  for (const child of node.children) yield* walkUnits(child);
}
