import { ITEMS, SOURCES, leadDepartmentFor, type Item, type Source } from '@cityops/domain';
import { SUB_CATEGORIES, SUMMARY_PREFIX } from './calibration.ts';
import { deriveRng, type Rng } from './random.ts';

/**
 * Event templates: for every source × item, TEMPLATES_PER_ITEM combinations of everything
 * that does not depend on where and when an event happens — nature, channel, urgency,
 * 110/petition fields, handling unit, return-visit result and the process delays relative to
 * receipt. Drawing them here, once, in readable TypeScript keeps the per-row SQL to a few
 * joins and additions (per-row CASE logic was 4× slower).
 *
 * Calibration: 12345 work orders ≈ 42 % of cases (72,838 / 174,015 in March 2018), due in
 * 2 h / 24 h / 7 / 15 working days by urgency, reply ≈ 4.4 working days on average, 0.4 %
 * overdue (of work orders), 5.6 % extended (延期), satisfaction ≈ 81 % satisfied + 10 % basically; 110 ≈ 45 %
 * police matters, 13 % of the rest handed to 12345 (400 k of 5.7 M); petitions answered
 * within 60 days (信访条例).
 */
export const TEMPLATES_PER_ITEM = 1024;

export interface EventTemplate {
  key: number;
  item: Item;
  subCategory: string;
  summary: string;
  channel: string;
  nature: string;
  urgency: string;
  hotlineNature: string | null;
  policeMatter: boolean | null;
  policeIncidentType: string | null;
  policeTransferred: boolean | null;
  petitionForm: string | null;
  petitionIsRepeat: boolean | null;
  petitionGroupSize: number | null;
  locationApproximate: boolean;
  hasName: boolean;
  hasId: boolean;
  /** Seconds after receipt (null when the step does not happen). */
  dispatchS: number | null;
  responseS: number;
  dueS: number | null;
  closeS: number;
  handlingToStreet: boolean;
  handlingDept: string | null;
  /** Result if the case is closed before the end of the data. */
  returnVisit: string | null;
}

const POLICE_MATTER_SHARE: Partial<Record<Item, number>> = {
  public_security: 0.85, transport: 0.45, safety: 0.8, disputes: 0.2, civil_affairs: 0.1, market: 0.2, labor: 0.2, housing: 0.1,
};
const INCIDENT_TYPES: Partial<Record<Item, [string, string, number]>> = {
  public_security: ['criminal', 'public_order', 0.35],
  transport: ['traffic', 'traffic', 1],
  safety: ['fire', 'rescue', 0.6],
  disputes: ['dispute', 'dispute', 1],
  labor: ['dispute', 'public_order', 0.8],
  housing: ['dispute', 'other', 0.7],
  civil_affairs: ['rescue', 'other', 0.8],
};
const URGENT_SHARE: Partial<Record<Item, number>> = { utilities: 0.35, safety: 0.25, public_security: 0.15 };
/** A working day in calendar hours (24 × 7/5); holidays ignored. */
const WORKDAY_H = 33.6;
const HOUR = 3600;

function threshold<T>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const u = rng();
  let cumulative = 0;
  for (const [value, share] of table) {
    cumulative += share;
    if (u < cumulative) return value;
  }
  return table[table.length - 1]![0];
}

const logUniform = (rng: Rng, lo: number, hi: number) => Math.exp(Math.log(lo) + rng() * Math.log(hi / lo));

function visitResult(score: number, source: Source): string {
  const [dissatisfied, basically] = source === 'hotline' ? [0.09, 0.19] : source === 'police' ? [0.03, 0.08] : [0.18, 0.38];
  return score < dissatisfied ? 'dissatisfied' : score < basically ? 'basically_satisfied' : 'satisfied';
}

function drawTemplate(rng: Rng, source: Source, item: Item, sub: readonly [string, string]): Omit<EventTemplate, 'key'> & { score: number } {
  const hotlineNature = source === 'hotline'
    ? threshold(rng, [['complaint', 0.58], ['report', 0.08], ['consult', 0.282], ['help', 0.031], ['suggestion', 0.024], ['praise', 0.003]] as const)
    : null;
  const policeMatter = source === 'police' ? rng() < (POLICE_MATTER_SHARE[item] ?? 0.05) : null;
  const petitionForm = source === 'petition' ? threshold(rng, [['online', 0.5], ['visit', 0.3], ['letter', 0.2]] as const) : null;
  const [incidentA, incidentB, pA] = INCIDENT_TYPES[item] ?? ['other', 'public_order', 0.8];
  const transferred = source === 'police' ? !policeMatter && rng() < 0.13 : null;
  const u = rng();
  const urgency =
    source === 'hotline' ? (u < 0.01 ? 'emergency' : u < (URGENT_SHARE[item] ?? 0.07) ? 'urgent' : u > 0.96 ? 'complex' : 'normal')
    : source === 'police' ? (policeMatter ? (u < 0.6 ? 'emergency' : 'urgent') : u < 0.1 ? 'urgent' : 'normal')
    : u < 0.3 ? 'complex' : 'normal';
  const workOrderShare: Record<string, number> = { complaint: 0.55, report: 0.6, help: 0.8, suggestion: 0.5, consult: 0.05, praise: 0 };
  const workOrder = source !== 'hotline' || rng() < workOrderShare[hotlineNature!]!;

  const paceDraw = rng();
  // Late templates sit at the dissatisfied end of the score order, which the per-district
  // skew of the template draw (see the event SQL) over-samples on average by ~1.5× over
  // Chengdu's 20 districts: 0.27 % of templates give ≈ 0.41 % late 12345 work orders.
  const lateShare = source === 'hotline' ? 0.0027 : source === 'police' ? 0.002 : 0.01;
  const pace = paceDraw < lateShare ? 'late' : source === 'hotline' && paceDraw < 0.06 ? 'extended' : 'on_time';
  const baseSlaH = source === 'police' ? 24 : source === 'petition' ? 1440
    : ({ emergency: 2, urgent: 24, complex: 15 * WORKDAY_H, normal: 7 * WORKDAY_H } as Record<string, number>)[urgency]!;
  const slaH = pace === 'extended' ? 30 * WORKDAY_H : baseSlaH;
  const resolveH = !workOrder ? (2 + 18 * rng()) / 60
    : transferred ? (5 + 10 * rng()) / 60
    : pace === 'late' ? baseSlaH + 24 * (1 + 9 * rng())
    : source === 'police' ? 0.3 + 5.7 * rng() ** 2
    : source === 'petition' ? 24 * (7 + 45 * rng() ** 1.6)
    : slaH * (0.04 + 0.94 * rng() ** 0.6);
  const dispatchRawH = source === 'hotline' ? logUniform(rng, 0.1, 4) : source === 'police' ? (1 + 4 * rng()) / 60 : 24 * (1 + 4 * rng());
  const responseRawH = source === 'hotline' ? logUniform(rng, 0.5, 24) : source === 'police' ? (5 + 20 * rng()) / 60 : 24 * (1 + 9 * rng());
  const dispatchH = Math.min(dispatchRawH, 0.2 * resolveH);

  const visitShare = source === 'hotline' ? (workOrder ? 0.85 : 0.03) : source === 'police' ? 0.2 : 0.7;
  const visited = rng() < visitShare;
  const score = rng() - (pace === 'late' ? 0.35 : 0);
  const toStreet = rng() < 0.75;
  const nameDraw = rng();
  const repeatDraw = rng();
  const groupDraw = rng();
  return {
    item,
    subCategory: sub[0],
    summary: `${SUMMARY_PREFIX[source]}${sub[1]}`,
    channel: source === 'hotline' ? threshold(rng, [['phone', 0.72], ['web', 0.12], ['app', 0.1], ['wechat', 0.06]] as const)
      : source === 'police' ? threshold(rng, [['phone', 0.93], ['sms', 0.03], ['app', 0.04]] as const)
      : petitionForm!,
    nature: source === 'hotline' ? hotlineNature! : source === 'police' ? (policeMatter ? 'police' : 'non_police')
      : threshold(rng, [['request', 0.7], ['appeal', 0.12], ['accusation', 0.08], ['suggestion', 0.1]] as const),
    urgency,
    hotlineNature,
    policeMatter,
    policeIncidentType: source === 'police' ? (rng() < pA ? incidentA : incidentB) : null,
    policeTransferred: transferred,
    petitionForm,
    petitionIsRepeat: source === 'petition' ? repeatDraw < 0.22 : null,
    petitionGroupSize: source === 'petition' ? (petitionForm === 'visit' && groupDraw < 0.06 ? 5 + Math.floor(rng() * 40) : 1) : null,
    locationApproximate: source === 'hotline' && rng() < 0.05,
    hasName: source === 'petition' || (source === 'hotline' && nameDraw < 0.6),
    hasId: source === 'petition',
    dispatchS: workOrder ? Math.round(dispatchH * HOUR) : null,
    responseS: Math.round((workOrder ? dispatchH + Math.min(responseRawH, 0.5 * resolveH) : 0.5 / 60) * HOUR),
    dueS: workOrder && !transferred ? Math.round(slaH * HOUR) : null,
    closeS: Math.max(1, Math.round(resolveH * HOUR)),
    handlingToStreet: !(source === 'hotline' && (!workOrder || !toStreet)),
    handlingDept: source === 'hotline' ? (!workOrder ? 'D16' : toStreet ? null : leadDepartmentFor(item))
      : source === 'police' ? (transferred ? 'D16' : 'D06')
      : leadDepartmentFor(item),
    returnVisit: visited ? visitResult(score, source) : null,
    score,
  };
}

/**
 * All templates, keyed (source × 16 + item) × TEMPLATES_PER_ITEM + t. Within each source ×
 * item they are sorted by satisfaction score, so a district-specific skew of t (see the
 * event SQL) makes some districts' residents more or less satisfied than others.
 */
export function buildTemplates(seed: number): EventTemplate[] {
  const rng = deriveRng(seed, 'templates');
  const templates: EventTemplate[] = [];
  SOURCES.forEach((source, s) =>
    ITEMS.forEach((item, i) => {
      const subs = SUB_CATEGORIES[item];
      const drawn = Array.from({ length: TEMPLATES_PER_ITEM }, (_, t) => drawTemplate(rng, source, item, subs[t % subs.length]!));
      drawn.sort((a, b) => a.score - b.score);
      drawn.forEach(({ score: _score, ...template }, t) => templates.push({ key: (s * ITEMS.length + i) * TEMPLATES_PER_ITEM + t, ...template }));
    }),
  );
  return templates;
}

/** The first template of a source × item that satisfies `accept` (escalation events). */
export function findTemplate(templates: readonly EventTemplate[], source: Source, item: Item, accept: (t: EventTemplate) => boolean): EventTemplate {
  const start = (SOURCES.indexOf(source) * ITEMS.length + ITEMS.indexOf(item)) * TEMPLATES_PER_ITEM;
  for (let t = start; t < start + TEMPLATES_PER_ITEM; t += 1) if (accept(templates[t]!)) return templates[t]!;
  return templates[start]!;
}
