import type { Item, Source } from '@cityops/domain';
import { gridDisk } from 'h3-js';
import { hashPersonalId } from '../pii-hash.ts';
import { SOURCE_INDEX } from './calibration.ts';
import { POINTS_PER_GRID, gridPool, gridWeight, pointPool, type GridInfo, type Points, type PoolSlot } from './geography.ts';
import { BlockList, dayString, type Calendar, type Intensity, type ItemDists, type Street } from './plan.ts';
import { deriveRng, normal, pick, pickWeighted, poisson, type Rng } from './random.ts';
import { findTemplate, type EventTemplate } from './templates.ts';
import type { ClusterTruth, BurstTruth, EscalationTruth, SpikeTruth } from './manifest.ts';

export const CLUSTER_KINDS = ['emerging', 'persistent', 'intensifying', 'diminishing', 'sporadic'] as const;
export type ClusterKind = (typeof CLUSTER_KINDS)[number];

/** Everything the planted patterns add on top of ordinary demand. */
export interface PatternContext {
  seed: number;
  scale: number;
  calendar: Calendar;
  grids: GridInfo[];
  streets: Street[];
  points: Points;
  intensity: Intensity;
  dists: ItemDists;
  blocks: BlockList;
  pools: PoolSlot[];
  nextPoolId: number;
  salt: string;
}

/** One hand-written event of an escalation chain (the SQL fills in the process fields). */
export interface FixedEvent {
  id: number;
  dayIdx: number;
  secondOfDay: number;
  source: Source;
  poolId: number;
  dist: number;
  templateKey: number;
  phone: string;
  nameMasked: string;
  summary: string;
}

function newPool(ctx: PatternContext, slots: (poolId: number) => PoolSlot[]): number {
  const poolId = ctx.nextPoolId;
  ctx.nextPoolId += 1;
  ctx.pools.push(...slots(poolId));
  return poolId;
}

/** Expected daily events of a source at a set of points (from their streets' base rates). */
function pointsBaseline(ctx: PatternContext, source: Source, pointIds: readonly number[]): number {
  const streetByCode = new Map(ctx.streets.map((street) => [street.code, street]));
  let total = 0;
  for (const pointId of pointIds) {
    const grid = ctx.grids[Math.floor(pointId / POINTS_PER_GRID)]!;
    const street = streetByCode.get(grid.streetCode)!;
    const streetWeight = street.gridIndexes.reduce((sum, g) => sum + gridWeight(ctx.grids[g]!), 0);
    total += (ctx.intensity.streetBase(source, street) * gridWeight(grid)) / streetWeight / POINTS_PER_GRID;
  }
  return total;
}

function monthMultipliers(kind: ClusterKind, months: number, rng: Rng): number[] {
  const series: number[] = Array.from({ length: months }, (_, m): number => {
    const t = months > 1 ? m / (months - 1) : 1;
    switch (kind) {
      case 'emerging':
        return m >= months - 4 ? 1.5 + 0.5 * (m - (months - 4)) : 0;
      case 'persistent':
        return 1.6;
      case 'intensifying':
        return 0.2 + 2.8 * t;
      case 'diminishing':
        return t < 0.65 ? 3 * (1 - t / 0.65) : 0;
      case 'sporadic':
        return rng() < 0.3 ? 2.2 : 0;
    }
  });
  if (kind === 'sporadic' && !series.some((x) => x > 0)) series[Math.floor(months / 2)] = 2.2;
  return series.map((x) => Math.round(x * 100) / 100);
}

const CLUSTER_THEMES: readonly { source: Source; item: Item }[] = [
  { source: 'hotline', item: 'environment' },
  { source: 'hotline', item: 'urban_management' },
  { source: 'police', item: 'public_security' },
  { source: 'hotline', item: 'housing' },
  { source: 'hotline', item: 'market' },
];

/**
 * Planted spatial clusters: a few adjacent H3 res-8 cells where one item rises above normal
 * for some months, following one of CLUSTER_KINDS. Extra events per month are a multiple of
 * the cells' ordinary monthly volume of that source (at least 6 so small scales still show).
 */
export function plantClusters(ctx: PatternContext, count: number): ClusterTruth[] {
  const rng = deriveRng(ctx.seed, 'clusters');
  const pointsByCell = new Map<string, number[]>();
  ctx.points.h3r8.forEach((cell, pointId) => {
    const list = pointsByCell.get(cell) ?? [];
    list.push(pointId);
    pointsByCell.set(cell, list);
  });
  const usedCells = new Set<string>();
  const usedStreets = new Set<string>();
  const weights = ctx.grids.map((grid) => grid.population);
  const truths: ClusterTruth[] = [];
  for (let c = 0; c < count; c += 1) {
    let grid = ctx.grids[pickWeighted(rng, weights)]!;
    for (let attempt = 0; attempt < 20 && (usedStreets.has(grid.streetCode) || usedCells.has(ctx.points.h3r8[ctx.grids.indexOf(grid) * POINTS_PER_GRID]!)); attempt += 1) {
      grid = ctx.grids[pickWeighted(rng, weights)]!;
    }
    const center = ctx.points.h3r8[ctx.grids.indexOf(grid) * POINTS_PER_GRID]!;
    const neighbours = gridDisk(center, 1).filter((cell) => cell !== center && pointsByCell.has(cell) && !usedCells.has(cell));
    const cells = [center, ...neighbours.slice(0, Math.floor(rng() * 3))];
    cells.forEach((cell) => usedCells.add(cell));
    usedStreets.add(grid.streetCode);
    const pointIds = cells.flatMap((cell) => pointsByCell.get(cell) ?? []);
    const kind = CLUSTER_KINDS[c % CLUSTER_KINDS.length]!;
    const theme = CLUSTER_THEMES[c % CLUSTER_THEMES.length]!;
    const poolId = newPool(ctx, (id) => pointPool(id, pointIds));
    const dist = ctx.dists.single(theme.item);
    const baselineDaily = pointsBaseline(ctx, theme.source, pointIds);
    const multipliers = monthMultipliers(kind, ctx.calendar.months.length, rng);
    let extraEvents = 0;
    for (let d = 0; d < ctx.calendar.days; d += 1) {
      const multiplier = multipliers[ctx.calendar.monthOfDay[d]!]!;
      if (multiplier === 0) continue;
      const mean = Math.max(multiplier * baselineDaily, multiplier * 0.2) * ctx.intensity.dayFactor(theme.source, d);
      const n = poisson(rng, mean);
      ctx.blocks.push(d, SOURCE_INDEX[theme.source], poolId, dist, n);
      extraEvents += n;
    }
    truths.push({
      id: `cluster-${c + 1}`,
      kind,
      source: theme.source,
      item: theme.item,
      cellsR8: cells,
      districtCode: grid.districtCode,
      streetCode: grid.streetCode,
      months: ctx.calendar.months.filter((_, m) => multipliers[m]! > 0),
      multipliers: Object.fromEntries(ctx.calendar.months.map((month, m) => [month, multipliers[m]!])),
      baselinePerMonth: Math.round(baselineDaily * 30.4 * 100) / 100,
      extraEvents,
    });
  }
  return truths;
}

/** 15 March (World Consumer Rights Day): market complaints to 12345 spike city-wide. */
export function plantConsumerRightsDay(ctx: PatternContext): SpikeTruth[] {
  const rng = deriveRng(ctx.seed, 'march-15');
  const truths: SpikeTruth[] = [];
  const marketShare = 0.14;
  const dist = ctx.dists.single('market');
  for (let d = 0; d < ctx.calendar.days; d += 1) {
    const day = dayString(ctx.calendar, d);
    const boost = day.endsWith('-03-15') ? 4 : day.endsWith('-03-14') || day.endsWith('-03-16') ? 1 : 0;
    if (boost === 0) continue;
    let extraEvents = 0;
    for (const street of ctx.streets) {
      const n = poisson(rng, boost * marketShare * ctx.intensity.streetBase('hotline', street) * ctx.intensity.dayFactor('hotline', d));
      ctx.blocks.push(d, SOURCE_INDEX.hotline, street.index, dist, n);
      extraEvents += n;
    }
    truths.push({ id: `spike-${day}`, kind: 'consumer_rights_day', day, item: 'market', source: 'hotline', extraEvents });
  }
  return truths;
}

/** A flood day, a mass wage dispute and water outages: short, local, obvious bursts. */
export function plantBursts(ctx: PatternContext): BurstTruth[] {
  const rng = deriveRng(ctx.seed, 'bursts');
  const truths: BurstTruth[] = [];
  const summerDays = Array.from({ length: ctx.calendar.days }, (_, d) => d).filter((d) => ['-07-', '-08-'].some((m) => dayString(ctx.calendar, d).includes(m)));
  const later = (from: number) => Math.min(ctx.calendar.days - 2, from + Math.floor(rng() * Math.max(1, ctx.calendar.days - from - 2)));
  const districts = [...new Set(ctx.streets.map((street) => street.districtCode))];

  const burst = (kind: BurstTruth['kind'], level: BurstTruth['level'], unitCode: string, day: number, mixes: { source: Source; mix: Partial<Record<Item, number>>; times: number }[], tail: number) => {
    const gridIndexes = ctx.grids.flatMap((grid, g) => (grid.code.startsWith(unitCode) ? [g] : []));
    const poolId = newPool(ctx, (id) => gridPool(id, gridIndexes, gridIndexes.map((g) => gridWeight(ctx.grids[g]!))));
    const pointIds = gridIndexes.flatMap((g) => Array.from({ length: POINTS_PER_GRID }, (_, j) => g * POINTS_PER_GRID + j));
    let extraEvents = 0;
    const items = new Set<Item>();
    for (const { source, mix, times } of mixes) {
      const dist = ctx.dists.custom(mix);
      Object.keys(mix).forEach((item) => items.add(item as Item));
      const daily = pointsBaseline(ctx, source, pointIds);
      [[day, 1], [day + 1, tail]].forEach(([d, share]) => {
        const n = poisson(rng, Math.max(times * daily, 15) * share!);
        ctx.blocks.push(d!, SOURCE_INDEX[source], poolId, dist, n);
        extraEvents += n;
      });
    }
    truths.push({ id: `burst-${truths.length + 1}`, kind, level, unitCode, items: [...items], day: dayString(ctx.calendar, day), days: [dayString(ctx.calendar, day), dayString(ctx.calendar, day + 1)], sources: mixes.map((m) => m.source), extraEvents });
  };

  const floodDay = summerDays.length ? summerDays[Math.floor(rng() * summerDays.length)]! : Math.floor(ctx.calendar.days / 2);
  burst('flood', 'district', pick(rng, districts), floodDay, [
    { source: 'hotline', mix: { utilities: 35, urban_management: 35, safety: 10, civil_affairs: 10, transport: 10 }, times: 6 },
    { source: 'police', mix: { civil_affairs: 50, transport: 40, safety: 10 }, times: 2.5 },
  ], 0.4);
  const disputeStreet = pick(rng, ctx.streets);
  burst('mass_dispute', 'street', disputeStreet.code, later(Math.floor(ctx.calendar.days / 3)), [
    { source: 'hotline', mix: { labor: 85, disputes: 15 }, times: 4 },
    { source: 'police', mix: { disputes: 60, labor: 30, public_security: 10 }, times: 3 },
    { source: 'petition', mix: { labor: 100 }, times: 40 },
  ], 0.6);
  const communities = [...new Set(ctx.grids.map((grid) => grid.communityCode))];
  for (let k = 0; k < 2; k += 1) {
    burst('utility_outage', 'community', pick(rng, communities), later(Math.floor(rng() * ctx.calendar.days * 0.8)), [
      { source: 'hotline', mix: { utilities: 100 }, times: 25 },
    ], 0.3);
  }
  return truths;
}

const CHAIN_SCRIPTS: readonly { item: Item; steps: readonly { source: Source; summary: string; policeMatter?: boolean; urgency?: string; form?: string }[] }[] = [
  {
    item: 'disputes',
    steps: [
      { source: 'hotline', summary: '来电反映：楼上邻居长期夜间噪音扰民，多次沟通无果' },
      { source: 'police', summary: '报警称：与邻居因噪音问题发生争吵，请求民警调解', policeMatter: false },
      { source: 'hotline', summary: '来电反映：邻居噪音问题多次反映仍未解决，情绪激动' },
      { source: 'police', summary: '报警称：与邻居发生肢体冲突，一人受伤', policeMatter: true, urgency: 'emergency' },
      { source: 'petition', summary: '信访人反映：邻里纠纷多次求助未解决，要求追究相关部门责任', form: 'visit' },
    ],
  },
  {
    item: 'labor',
    steps: [
      { source: 'hotline', summary: '来电反映：公司拖欠三个月工资' },
      { source: 'hotline', summary: '来电反映：再次反映欠薪问题未解决，家庭生活困难' },
      { source: 'police', summary: '报警称：到公司讨薪时与负责人发生争执', policeMatter: false },
      { source: 'petition', summary: '信访人反映：多人讨薪未果，要求政府介入', form: 'visit' },
      { source: 'police', summary: '报警称：讨薪人员与保安发生冲突，扬言采取过激行为', policeMatter: true, urgency: 'emergency' },
    ],
  },
  {
    item: 'housing',
    steps: [
      { source: 'hotline', summary: '来电反映：小区电梯长期故障，物业不作为' },
      { source: 'petition', summary: '信访人反映：物业问题多次反映无果', form: 'letter' },
      { source: 'police', summary: '报警称：与物业人员发生争吵', policeMatter: false },
      { source: 'hotline', summary: '来电反映：物业以停水停电报复投诉业主' },
      { source: 'police', summary: '报警称：与物业人员发生打斗，有人受伤', policeMatter: true, urgency: 'emergency' },
    ],
  },
];

/**
 * Repeat reporters whose complaints escalate across 12345, 110 and petitions (the "民转刑"
 * pattern the 110–12345 linkage is meant to catch). Their events are written explicitly.
 */
export function plantEscalations(ctx: PatternContext, templates: readonly EventTemplate[], count: number, firstId: number): { events: FixedEvent[]; truths: EscalationTruth[] } {
  const rng = deriveRng(ctx.seed, 'escalations');
  const weights = ctx.grids.map((grid) => grid.population);
  const events: FixedEvent[] = [];
  const truths: EscalationTruth[] = [];
  for (let c = 0; c < count; c += 1) {
    const script = CHAIN_SCRIPTS[c % CHAIN_SCRIPTS.length]!;
    const gridIndex = pickWeighted(rng, weights);
    const pointId = gridIndex * POINTS_PER_GRID + Math.floor(rng() * POINTS_PER_GRID);
    const poolId = newPool(ctx, (id) => pointPool(id, [pointId]));
    const phone = `1${pick(rng, ['33', '35', '38', '39', '58', '77', '80', '86', '89'])}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`;
    const nameMasked = `${pick(rng, ['王', '李', '张', '刘', '陈', '杨'])}**`;
    const span = script.steps.length * 18;
    let day = Math.floor(rng() * Math.max(1, ctx.calendar.days - span - 1));
    const ids: number[] = [];
    const days: string[] = [];
    for (const step of script.steps) {
      const id = firstId + events.length;
      ids.push(id);
      days.push(dayString(ctx.calendar, day));
      // A template with the step's nature (a complaint work order, a police matter or not, a visit…).
      const template = findTemplate(templates, step.source, script.item, (t) =>
        step.source === 'hotline' ? t.hotlineNature === 'complaint' && t.dispatchS !== null
        : step.source === 'police' ? t.policeMatter === (step.policeMatter ?? false) && (!step.urgency || t.urgency === step.urgency)
        : t.petitionForm === (step.form ?? 'visit'));
      events.push({
        id, dayIdx: day, secondOfDay: Math.floor((8 + 13 * rng()) * 3600), source: step.source, poolId,
        dist: ctx.dists.single(script.item), templateKey: template.key, phone, nameMasked, summary: step.summary,
      });
      day = Math.min(ctx.calendar.days - 1, day + 5 + Math.floor(rng() * 14 + Math.abs(normal(rng)) * 3));
    }
    const grid = ctx.grids[gridIndex]!;
    truths.push({
      id: `escalation-${c + 1}`,
      reporterHash: hashPersonalId(phone, ctx.salt),
      eventIds: ids,
      sources: script.steps.map((step) => step.source),
      item: script.item,
      gridCode: grid.code,
      days,
    });
  }
  return { events, truths };
}
