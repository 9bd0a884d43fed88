import { ITEMS, SOURCES, type Item, type Source } from '@cityops/domain';
import {
  ANNUAL_TREND,
  ANNUAL_VOLUME_AT_SCALE_1,
  CHENGDU_POPULATION,
  DISTRICT_TYPE_RATE,
  DISTRICT_TYPES,
  GOLDEN_WEEK_FACTOR,
  ITEM_INDEX,
  MONTH_CURVE,
  SEASONS,
  SPRING_FESTIVAL,
  SPRING_FESTIVAL_FACTOR,
  WEEKDAY_CURVE,
  districtTypeOf,
  itemMix,
  type DistrictType,
} from './calibration.ts';
import { gridPool, gridWeight, type GridInfo, type PoolSlot } from './geography.ts';
import { deriveRng, normal, poisson } from './random.ts';

const DAY_MS = 86_400_000;

export interface Calendar {
  /** First day (UTC midnight of the wall-clock date, as epoch ms). */
  startMs: number;
  days: number;
  months: string[];
  /** Month index (into `months`) of each day. */
  monthOfDay: Int16Array;
  /** End of the data (exclusive): the "now" of the generated world. */
  asOfMs: number;
}

export interface Street {
  index: number;
  code: string;
  districtCode: string;
  type: DistrictType;
  gridIndexes: number[];
  population: number;
}

/** Events to create: `n` events on one day, of one source, at one pool, drawing items from one mix. */
export class BlockList {
  readonly dayIdx: number[] = [];
  readonly source: number[] = [];
  readonly pool: number[] = [];
  readonly dist: number[] = [];
  readonly n: number[] = [];
  total = 0;
  push(dayIdx: number, source: number, pool: number, dist: number, n: number): void {
    if (n <= 0) return;
    this.dayIdx.push(dayIdx);
    this.source.push(source);
    this.pool.push(pool);
    this.dist.push(dist);
    this.n.push(n);
    this.total += n;
  }
}

/** Item mixes by id: 0–17 base (source × district type × season), 18–33 one item each, then custom. */
export class ItemDists {
  readonly weights: number[][] = [];
  constructor() {
    for (const source of SOURCES) for (const type of DISTRICT_TYPES) for (const season of SEASONS) this.weights.push(itemMix(source, type, season));
    for (const item of ITEMS) this.weights.push(ITEMS.map((other) => (other === item ? 1 : 0)));
  }
  base(source: Source, type: DistrictType, summer: boolean): number {
    return (SOURCES.indexOf(source) * DISTRICT_TYPES.length + DISTRICT_TYPES.indexOf(type)) * SEASONS.length + (summer ? 1 : 0);
  }
  single(item: Item): number {
    return SOURCES.length * DISTRICT_TYPES.length * SEASONS.length + ITEM_INDEX[item];
  }
  custom(mix: Partial<Record<Item, number>>): number {
    this.weights.push(ITEMS.map((item) => mix[item] ?? 0));
    return this.weights.length - 1;
  }
}

/** 'YYYY-MM' of the month before today (the default end of generated data). */
export function lastCompleteMonth(today = new Date()): string {
  const date = new Date(Date.UTC(today.getFullYear(), today.getMonth() - 1, 1));
  return date.toISOString().slice(0, 7);
}

export function buildCalendar(endMonth: string, months: number): Calendar {
  const [year, month] = endMonth.split('-').map(Number) as [number, number];
  const startMs = Date.UTC(year, month - months, 1);
  const asOfMs = Date.UTC(year, month, 1);
  const days = Math.round((asOfMs - startMs) / DAY_MS);
  const monthList: string[] = [];
  const monthOfDay = new Int16Array(days);
  for (let d = 0; d < days; d += 1) {
    const key = new Date(startMs + d * DAY_MS).toISOString().slice(0, 7);
    if (monthList[monthList.length - 1] !== key) monthList.push(key);
    monthOfDay[d] = monthList.length - 1;
  }
  return { startMs, days, months: monthList, monthOfDay, asOfMs };
}

export function dayString(calendar: Calendar, dayIdx: number): string {
  return new Date(calendar.startMs + dayIdx * DAY_MS).toISOString().slice(0, 10);
}

export function dayIndexOf(calendar: Calendar, day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - calendar.startMs) / DAY_MS);
}

export function groupStreets(grids: GridInfo[]): Street[] {
  const streets: Street[] = [];
  grids.forEach((grid, gridIndex) => {
    let street = streets[streets.length - 1];
    if (!street || street.code !== grid.streetCode) {
      street = { index: streets.length, code: grid.streetCode, districtCode: grid.districtCode, type: districtTypeOf(grid.districtCode), gridIndexes: [], population: 0 };
      streets.push(street);
    }
    street.gridIndexes.push(gridIndex);
    street.population += grid.population;
  });
  return streets;
}

/** Street pools are pools 0 … streets−1. */
export function streetPools(streets: Street[], grids: GridInfo[]): PoolSlot[] {
  return streets.flatMap((street) => gridPool(street.index, street.gridIndexes, street.gridIndexes.map((g) => gridWeight(grids[g]!))));
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Expected events per day of a source in a street, before noise: per-capita rate × district
 * type factor × month × weekday × holidays × trend. Calibrated so that Chengdu's population
 * at scale 1 gives ANNUAL_VOLUME_AT_SCALE_1 per year.
 */
export class Intensity {
  private readonly perCapitaDaily: Record<Source, number>;
  constructor(
    private readonly calendar: Calendar,
    private readonly streets: Street[],
    scale: number,
  ) {
    const population = streets.reduce((sum, s) => sum + s.population, 0) || 1;
    this.perCapitaDaily = Object.fromEntries(
      SOURCES.map((source) => {
        const typeMean = streets.reduce((sum, s) => sum + s.population * DISTRICT_TYPE_RATE[source][s.type], 0) / population;
        return [source, (ANNUAL_VOLUME_AT_SCALE_1[source] * scale) / CHENGDU_POPULATION / 365 / typeMean];
      }),
    ) as Record<Source, number>;
  }

  streetBase(source: Source, street: Street): number {
    return this.perCapitaDaily[source] * street.population * DISTRICT_TYPE_RATE[source][street.type];
  }

  dayFactor(source: Source, dayIdx: number): number {
    const date = new Date(this.calendar.startMs + dayIdx * DAY_MS);
    const monthFactor = MONTH_CURVE[source][date.getUTCMonth()]! / mean(MONTH_CURVE[source]);
    const weekdayFactor = WEEKDAY_CURVE[source][(date.getUTCDay() + 6) % 7]! / mean(WEEKDAY_CURVE[source]);
    const years = (dayIdx - this.calendar.days / 2) / 365;
    return monthFactor * weekdayFactor * (1 + ANNUAL_TREND[source] * years) * holidayFactor(source, date);
  }
}

function holidayFactor(source: Source, date: Date): number {
  const festival = SPRING_FESTIVAL[date.getUTCFullYear()] ?? SPRING_FESTIVAL[date.getUTCFullYear() + 1];
  if (festival) {
    const offset = Math.round((date.getTime() - Date.parse(`${festival}T00:00:00Z`)) / DAY_MS);
    if (offset >= -1 && offset <= 6) return SPRING_FESTIVAL_FACTOR[source];
    if (offset >= -3 && offset <= 9) return (1 + SPRING_FESTIVAL_FACTOR[source]) / 2;
  }
  if (date.getUTCMonth() === 9 && date.getUTCDate() <= 7) return GOLDEN_WEEK_FACTOR[source];
  return 1;
}

/**
 * The ordinary demand: Poisson counts per day × source × street, with a slowly drifting
 * street-level effect (AR(1) on the log scale, month to month) and a city-wide daily shock
 * (weather, news) so counts are over-dispersed like real ones. Blocks come out ordered by
 * day, then source, then street, so the events table is stored in time order.
 */
export function planBaseDemand(seed: number, calendar: Calendar, streets: Street[], intensity: Intensity, dists: ItemDists): BlockList {
  const rng = deriveRng(seed, 'base-demand');
  const blocks = new BlockList();
  const effects = SOURCES.map(() => streets.map(() => new Float64Array(calendar.months.length)));
  SOURCES.forEach((_, s) =>
    streets.forEach((_, k) => {
      let x = 0.15 * normal(rng);
      for (let m = 0; m < calendar.months.length; m += 1) {
        x = 0.75 * x + 0.07 * normal(rng);
        effects[s]![k]![m] = Math.exp(x);
      }
    }),
  );
  for (let d = 0; d < calendar.days; d += 1) {
    const month = calendar.monthOfDay[d]!;
    const summer = [5, 6, 7].includes(new Date(calendar.startMs + d * DAY_MS).getUTCMonth());
    SOURCES.forEach((source, s) => {
      const factor = intensity.dayFactor(source, d) * Math.exp(0.06 * normal(rng));
      for (const street of streets) {
        const lambda = intensity.streetBase(source, street) * factor * effects[s]![street.index]![month]!;
        blocks.push(d, s, street.index, dists.base(source, street.type, summer), poisson(rng, lambda));
      }
    });
  }
  return blocks;
}
