import { z } from 'zod';
import { ITEMS, UTILITY_ITEMS, type Item } from '../categories.ts';
import { DomainError } from '../errors.ts';
import { URGENCIES, type Urgency } from '../sources.ts';
import { DAY_MS, HOUR_MS, assertValidWallClock, type WallClock } from './wall-clock.ts';
import { DEFAULT_WORKING_CALENDAR, addHours, addWorkingDays, workingDaysBetween, type WorkingCalendar } from './working-calendar.ts';

/**
 * Time limits (办理时限) per item and urgency.
 *
 * A rule is either clock hours (emergencies and utilities: the clock runs through nights and
 * holidays) or working days (ordinary and complex cases, counted on the working calendar; see
 * `addWorkingDays` for where such a deadline lands).
 *
 * Where the clocks start (our definition; the published sources give limits, not anchors):
 * - resolution (办结时限): at the order's creation (登记), i.e. when the citizen's demand
 *   reached the platform — the citizen's wait, not a unit's, is what the limit protects;
 * - response (响应时限, 签收): at each dispatch to a unit, since a unit cannot sign for an order
 *   before it has it.
 */
export type SlaRule = { kind: 'clock_hours'; hours: number } | { kind: 'working_days'; days: number };

export interface SlaPolicy {
  /** Resolution limit by urgency. */
  resolution: Record<Urgency, SlaRule>;
  /** Item-specific exceptions (e.g. utilities within 24 h), taking precedence over `resolution`. */
  resolutionByItem: Partial<Record<Item, Partial<Record<Urgency, SlaRule>>>>;
  /** Response (签收) limit by urgency, counted from dispatch. */
  response: Record<Urgency, SlaRule>;
  /**
   * An open order is due soon when the time left is below `fraction` of its allowance; for
   * working-day limits the threshold is at least `minimumWorkingHours` of working time (it only
   * bites when a deployment sets short working-day limits). Clock limits use the fraction only:
   * a 4 h floor would make a 2 h emergency "due soon" from birth; it warns in its last 24 min.
   */
  dueSoon: { fraction: number; minimumWorkingHours: number };
}

const hours = (value: number): SlaRule => ({ kind: 'clock_hours', hours: value });
const workingDays = (value: number): SlaRule => ({ kind: 'working_days', days: value });

/**
 * Defaults from the limits seen in practice (brief): 2 h emergencies, 24 h utilities, 5 working
 * days ordinary, 15 working days complex. 加急 (urgent) has no published anchor: we use 24 h.
 * Utilities' 24 h covers urgent and ordinary cases; a complex utilities case (pipe renewal…)
 * keeps 15 working days, an emergency keeps 2 h. Response limits are our own choice:
 * 30 min / 2 h clock for emergency / urgent, 1 working day otherwise.
 */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  resolution: { emergency: hours(2), urgent: hours(24), normal: workingDays(5), complex: workingDays(15) },
  resolutionByItem: Object.fromEntries(UTILITY_ITEMS.map((item) => [item, { urgent: hours(24), normal: hours(24) }])),
  response: { emergency: hours(0.5), urgent: hours(2), normal: workingDays(1), complex: workingDays(1) },
  dueSoon: { fraction: 0.2, minimumWorkingHours: 4 },
};

const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('clock_hours'), hours: z.number().positive().max(24 * 366) }),
  z.object({ kind: z.literal('working_days'), days: z.number().int().positive().max(250) }),
]);
const byUrgency = z.object(Object.fromEntries(URGENCIES.map((u) => [u, ruleSchema])) as Record<Urgency, typeof ruleSchema>);
const slaPolicySchema = z.object({
  resolution: byUrgency,
  resolutionByItem: z.partialRecord(z.enum(ITEMS), byUrgency.partial()),
  response: byUrgency,
  dueSoon: z.object({ fraction: z.number().min(0).max(1), minimumWorkingHours: z.number().min(0).max(240) }),
});

export interface SlaPolicyOverrides {
  resolution?: Partial<Record<Urgency, SlaRule>>;
  resolutionByItem?: Partial<Record<Item, Partial<Record<Urgency, SlaRule>>>>;
  response?: Partial<Record<Urgency, SlaRule>>;
  dueSoon?: Partial<SlaPolicy['dueSoon']>;
}

/** A deployment's policy: the defaults with its overrides; refuses nonsensical limits. */
export function defineSlaPolicy(overrides: SlaPolicyOverrides = {}, base: SlaPolicy = DEFAULT_SLA_POLICY): SlaPolicy {
  const resolutionByItem: SlaPolicy['resolutionByItem'] = { ...base.resolutionByItem };
  for (const [item, rules] of Object.entries(overrides.resolutionByItem ?? {}) as [Item, Partial<Record<Urgency, SlaRule>>][]) {
    resolutionByItem[item] = { ...resolutionByItem[item], ...rules };
  }
  const policy: SlaPolicy = {
    resolution: { ...base.resolution, ...overrides.resolution },
    resolutionByItem,
    response: { ...base.response, ...overrides.response },
    dueSoon: { ...base.dueSoon, ...overrides.dueSoon },
  };
  const parsed = slaPolicySchema.safeParse(policy);
  if (!parsed.success) throw new DomainError('BAD_INPUT', '时限配置无效', { issues: parsed.error.issues });
  return policy;
}

export function resolutionRuleFor(item: Item, urgency: Urgency, policy: SlaPolicy = DEFAULT_SLA_POLICY): SlaRule {
  return policy.resolutionByItem[item]?.[urgency] ?? policy.resolution[urgency];
}

export function applySlaRule(start: WallClock, rule: SlaRule, calendar: WorkingCalendar = DEFAULT_WORKING_CALENDAR): WallClock {
  return rule.kind === 'clock_hours' ? addHours(start, rule.hours) : addWorkingDays(start, rule.days, calendar);
}

export interface SlaOptions {
  policy?: SlaPolicy;
  calendar?: WorkingCalendar;
}

/** Resolution deadline (办结时限) of an order created at `createdAt`. */
export function computeDueAt(item: Item, urgency: Urgency, createdAt: WallClock, options: SlaOptions = {}): WallClock {
  return applySlaRule(createdAt, resolutionRuleFor(item, urgency, options.policy), options.calendar);
}

/** Response deadline (签收时限) of an order dispatched at `dispatchedAt`. */
export function computeResponseDueAt(urgency: Urgency, dispatchedAt: WallClock, options: SlaOptions = {}): WallClock {
  return applySlaRule(dispatchedAt, (options.policy ?? DEFAULT_SLA_POLICY).response[urgency], options.calendar);
}

export const SLA_STATUSES = ['on_track', 'due_soon', 'overdue', 'closed_on_time', 'closed_late'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];
export const SLA_STATUS_LABELS: Record<SlaStatus, string> = {
  on_track: '正常',
  due_soon: '即将超期',
  overdue: '已超期',
  closed_on_time: '按时办结',
  closed_late: '超期办结',
};

export interface SlaClock {
  /** When the allowance started (order creation, for resolution). */
  startedAt: WallClock;
  /** The deadline in force (after any approved extension). */
  dueAt: WallClock;
  /** When the clock stopped (办结, disposal), or null while open. */
  completedAt: WallClock | null;
  /** How the time left is measured: calendar time for clock-hour limits, working time otherwise. */
  measure: SlaRule['kind'];
}

/**
 * Status of one clock at `at`. The clock stops at disposal (办结), not at closure: the return
 * visit is the hotline's time, not the handler's. A disposal at exactly the deadline is on
 * time; an open order is overdue once `at` is past the deadline. A completion after `at` is
 * ignored (status as known at `at`).
 */
export function slaStatusAt(clock: SlaClock, at: WallClock, options: SlaOptions = {}): SlaStatus {
  assertValidWallClock(at, '判定时间');
  const completedAt = clock.completedAt && clock.completedAt <= at ? clock.completedAt : null;
  if (completedAt) return completedAt <= clock.dueAt ? 'closed_on_time' : 'closed_late';
  if (at > clock.dueAt) return 'overdue';
  const { fraction, minimumWorkingHours } = (options.policy ?? DEFAULT_SLA_POLICY).dueSoon;
  if (clock.measure === 'clock_hours') {
    const left = clock.dueAt.getTime() - at.getTime();
    const allowance = clock.dueAt.getTime() - clock.startedAt.getTime();
    return left < fraction * allowance ? 'due_soon' : 'on_track';
  }
  const left = workingDaysBetween(at, clock.dueAt, options.calendar);
  const allowance = workingDaysBetween(clock.startedAt, clock.dueAt, options.calendar);
  const threshold = Math.min(allowance, Math.max(fraction * allowance, (minimumWorkingHours * HOUR_MS) / DAY_MS));
  return left < threshold ? 'due_soon' : 'on_track';
}

/** Hours past the deadline (0 when not late), for overdue lists. */
export function hoursOverdue(clock: SlaClock, at: WallClock): number {
  const end = clock.completedAt && clock.completedAt <= at ? clock.completedAt : at;
  return Math.max(0, (end.getTime() - clock.dueAt.getTime()) / HOUR_MS);
}
