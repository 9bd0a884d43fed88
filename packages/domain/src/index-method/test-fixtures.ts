import { ITEMS, type Item } from '../categories.ts';
import { SOURCES, type Source } from '../sources.ts';
import type { UnitLevel } from '../units.ts';
import type { UnitMonthInput } from './compute-index.ts';
import { EMPTY_PROCESS } from './indicators.ts';
import { createRandom, poissonSample, type Random } from './random.ts';

/**
 * Synthetic units for tests and benchmarks only (not exported from the package): a city of
 * ~21 M residents split like Chengdu (20 districts, 261 streets, 3,047 communities, grids).
 */

/** Monthly demand per 10,000 residents by source (order of magnitude of Chengdu's 12345/110). */
const MONTHLY_RATE: Record<Source, number> = { petition: 3, hotline: 180, police: 220 };

function syntheticUnit(random: Random, code: string, level: UnitLevel, population: number, stress: number): UnitMonthInput {
  const counts: Partial<Record<Source, Partial<Record<Item, number>>>> = {};
  let demands = 0;
  let policeCalls = 0;
  for (const source of SOURCES) {
    const perItem: Partial<Record<Item, number>> = {};
    for (const item of ITEMS) {
      const lambda = ((MONTHLY_RATE[source] * population) / 10_000 / ITEMS.length) * stress;
      const count = poissonSample(random, lambda);
      perItem[item] = count;
      demands += count;
      if (source === 'police') policeCalls += count;
    }
    counts[source] = perItem;
  }
  const workOrders = demands - policeCalls;
  const share = (p: number, total: number) => Math.round(total * Math.min(1, Math.max(0, p + (random() - 0.5) * 0.1)));
  const due = Math.round(workOrders * 0.9);
  const returnVisits = Math.round(workOrders * 0.6);
  return {
    code,
    level,
    population,
    counts,
    process: {
      ...EMPTY_PROCESS,
      received: workOrders,
      responseJudged: workOrders,
      respondedInTime: share(0.95 - 0.05 * (stress - 1), workOrders),
      closed: share(0.87, workOrders),
      due,
      dueClosedOnTime: share(0.85, due),
      returnVisits,
      satisfied: share(0.85, returnVisits),
      demands,
      repeatDemands: share(0.08 * stress, demands),
      policeCalls,
      policeMatters: share(0.45, policeCalls),
    },
  };
}

/** `gridsPerCommunity` ≈ 6 gives ~21,000 units in all. `stress` multiplies demand of a few units. */
export function syntheticCity(seed: number, options: { gridsPerCommunity?: number; communities?: number } = {}): UnitMonthInput[] {
  const random = createRandom(seed);
  const gridsPerCommunity = options.gridsPerCommunity ?? 6;
  const communityTotal = options.communities ?? 3047;
  const units: UnitMonthInput[] = [];
  const stress = () => 0.7 + random() * 0.6 + (random() < 0.02 ? 1 : 0);
  units.push(syntheticUnit(random, '5101', 'city', 20_937_757, 1));
  const districtCount = 20;
  const streetsPerDistrict = Math.max(1, Math.round(261 / districtCount));
  const communitiesPerStreet = Math.max(1, Math.round(communityTotal / (districtCount * streetsPerDistrict)));
  const districtPopulation = 20_937_757 / districtCount;
  for (let d = 1; d <= districtCount; d++) {
    const district = `5101${String(d).padStart(2, '0')}`;
    units.push(syntheticUnit(random, district, 'district', Math.round(districtPopulation), stress()));
    for (let s = 1; s <= streetsPerDistrict; s++) {
      const street = `${district}${String(s).padStart(3, '0')}`;
      const streetPopulation = districtPopulation / streetsPerDistrict;
      units.push(syntheticUnit(random, street, 'street', Math.round(streetPopulation), stress()));
      for (let c = 1; c <= communitiesPerStreet; c++) {
        const community = `${street}${String(c).padStart(3, '0')}`;
        const communityPopulation = streetPopulation / communitiesPerStreet;
        units.push(syntheticUnit(random, community, 'community', Math.round(communityPopulation * (0.5 + random())), stress()));
        for (let g = 1; g <= gridsPerCommunity; g++) {
          const population = Math.round((communityPopulation / gridsPerCommunity) * (0.3 + random() * 1.4));
          units.push(syntheticUnit(random, `${community}${String(g).padStart(3, '0')}`, 'grid', population, stress()));
        }
      }
    }
  }
  return units;
}
