import type { DepartmentCode } from '../departments.ts';
import { DomainError } from '../errors.ts';
import { isWithinUnit } from '../units.ts';
import { assertValidWallClock, type WallClock } from './wall-clock.ts';
import { DEFAULT_WORKING_CALENDAR, workingDaysBetween, type WorkingCalendar } from './working-calendar.ts';
import type { WorkOrder } from './work-order-types.ts';

/**
 * Service metrics of a unit or department over a period (接诉即办 "三率" and friends).
 * Beijing's exact formulas are not published; these are ours. Each metric is a pure function
 * of `ServiceCounts`, so the db layer may compute the same counts in SQL (the rules for every
 * count are spelled out on its field) and call the same functions.
 *
 * Conventions: a period is the half-open wall-clock interval [from, to); `asOf` (default: `to`)
 * is when the counts are taken — nothing later than `asOf` has happened yet.
 *
 * Attribution (methodology §service rates): a territorial subject (city … grid) counts the
 * orders that arose in its territory (属地: the order's grid), whoever handles them — in the
 * 吹哨报到 loop the street stays answerable for its territory's cases even when it calls a
 * department in, and the index, which reads these counts, counts every other indicator by
 * place too. A department counts the orders it currently leads (`assignee`), not those it
 * co-handles. Territorial counts therefore nest (grid ⊂ community ⊂ street ⊂ district ⊂ city).
 * Counts come from the order snapshot: a reopened order is judged on its current round (its
 * dissatisfied visits are kept).
 *
 * The db layer counts source-system cases (12345 and petition cases no CityOps order covers)
 * with exactly these rules too (packages/db/src/work-orders/service-counts.ts).
 */
export type MetricSubject = { kind: 'unit'; code: string } | { kind: 'department'; code: DepartmentCode };

export interface MetricPeriod {
  from: WallClock;
  to: WallClock;
}

export interface ServiceCounts {
  /** Orders whose current assignment (dispatchedAt) falls in the period, up to asOf. */
  received: number;
  /** Of `received`, those already judgeable for response: responded by asOf, or responseDueAt ≤ asOf. */
  responseJudged: number;
  /** Of `received`, firstResponseAt ≤ responseDueAt (and ≤ asOf). */
  respondedInTime: number;
  /** Of `received`, disposedAt ≤ asOf (办结, whatever happened after). */
  disposed: number;
  /** Orders whose dueAt falls in the period and is ≤ asOf — closed or not. */
  dueInPeriod: number;
  /** Of `dueInPeriod`, disposedAt ≤ dueAt. Open overdue orders are in the denominator only. */
  disposedOnTime: number;
  /** Return visits (every visit, not just the latest) dated in the period, up to asOf. */
  returnVisited: number;
  satisfied: number;
  basicallySatisfied: number;
  dissatisfied: number;
  /** Orders disposed in the period: how many, and Σ working days from dispatchedAt to disposedAt. */
  replyCycleCount: number;
  replyCycleWorkingDaysSum: number;
  /** Of `received`, orders disposed at least once (disposed now, or reopened since). */
  everDisposed: number;
  /** Of `received`, orders with reopenCount > 0. */
  reopened: number;
}

export function emptyServiceCounts(): ServiceCounts {
  return {
    received: 0,
    responseJudged: 0,
    respondedInTime: 0,
    disposed: 0,
    dueInPeriod: 0,
    disposedOnTime: 0,
    returnVisited: 0,
    satisfied: 0,
    basicallySatisfied: 0,
    dissatisfied: 0,
    replyCycleCount: 0,
    replyCycleWorkingDaysSum: 0,
    everDisposed: 0,
    reopened: 0,
  };
}

/** Sums counts (e.g. streets → district, or days → month); every field is additive by design. */
export function addServiceCounts(a: ServiceCounts, b: ServiceCounts): ServiceCounts {
  const sum = emptyServiceCounts();
  for (const key of Object.keys(sum) as (keyof ServiceCounts)[]) sum[key] = a[key] + b[key];
  return sum;
}

const ratio = (numerator: number, denominator: number): number | null => (denominator > 0 ? numerator / denominator : null);

/** 响应率 = respondedInTime ÷ responseJudged. Orders whose response window is still open and unanswered are not judged yet. */
export function responseRate(counts: ServiceCounts): number | null {
  return ratio(counts.respondedInTime, counts.responseJudged);
}

/** 办结率 = disposed ÷ received: of the orders the subject received in the period, the share disposed by asOf. */
export function dispositionRate(counts: ServiceCounts): number | null {
  return ratio(counts.disposed, counts.received);
}

/**
 * 按时办结率 = disposedOnTime ÷ dueInPeriod: of all orders whose deadline fell in the period
 * (and has passed), the share disposed by the deadline. Open overdue orders count against it.
 * Never "closed on time ÷ closed", which rewards leaving hard cases open.
 */
export function onTimeDispositionRate(counts: ServiceCounts): number | null {
  return ratio(counts.disposedOnTime, counts.dueInPeriod);
}

/** 满意率 = (satisfied + basicallySatisfied) ÷ returnVisited. */
export function satisfactionRate(counts: ServiceCounts): number | null {
  return ratio(counts.satisfied + counts.basicallySatisfied, counts.returnVisited);
}

/** 平均回复周期 (working days) = Σ working days from dispatch to disposal ÷ orders disposed in the period. */
export function averageReplyCycleWorkingDays(counts: ServiceCounts): number | null {
  return ratio(counts.replyCycleWorkingDaysSum, counts.replyCycleCount);
}

/** 重办率 = reopened ÷ everDisposed (of the orders received in the period). */
export function reopenRate(counts: ServiceCounts): number | null {
  return ratio(counts.reopened, counts.everDisposed);
}

export interface ServiceMetrics {
  responseRate: number | null;
  dispositionRate: number | null;
  onTimeDispositionRate: number | null;
  satisfactionRate: number | null;
  averageReplyCycleWorkingDays: number | null;
  reopenRate: number | null;
}

/** All metrics; null where the denominator is zero (show "—", never 0% or 100%). */
export function computeServiceMetrics(counts: ServiceCounts): ServiceMetrics {
  return {
    responseRate: responseRate(counts),
    dispositionRate: dispositionRate(counts),
    onTimeDispositionRate: onTimeDispositionRate(counts),
    satisfactionRate: satisfactionRate(counts),
    averageReplyCycleWorkingDays: averageReplyCycleWorkingDays(counts),
    reopenRate: reopenRate(counts),
  };
}

/** Names and formulas for the methodology document, the dashboards' tooltips and the report. */
export const SERVICE_METRIC_DEFINITIONS: Record<keyof ServiceMetrics, { zh: string; en: string; formula: string }> = {
  responseRate: { zh: '响应率', en: 'Response rate', formula: '时限内签收的工单数 ÷ 本期派达且已可判定响应的工单数' },
  dispositionRate: { zh: '办结率', en: 'Disposal rate', formula: '本期派达工单中已办结数 ÷ 本期派达工单数' },
  onTimeDispositionRate: {
    zh: '按时办结率',
    en: 'On-time disposal rate',
    formula: '办结时限在本期内的工单中按时办结数 ÷ 办结时限在本期内的全部工单数（含未办结的超期工单）',
  },
  satisfactionRate: { zh: '满意率', en: 'Satisfaction rate', formula: '（满意 + 基本满意）÷ 本期回访次数' },
  averageReplyCycleWorkingDays: { zh: '平均回复周期（工作日）', en: 'Average reply cycle (working days)', formula: '本期办结工单自派达至办结的工作日之和 ÷ 本期办结工单数' },
  reopenRate: { zh: '重办率', en: 'Reopen rate', formula: '本期派达工单中被重办的工单数 ÷ 其中办结过的工单数' },
};

export function orderBelongsTo(order: WorkOrder, subject: MetricSubject): boolean {
  if (subject.kind === 'department') return order.assignee?.kind === 'department' && order.assignee.code === subject.code;
  return isWithinUnit(order.location.gridCode, subject.code);
}

export interface CountOptions {
  /** When the counts are taken; defaults to the period's end. */
  asOf?: WallClock;
  calendar?: WorkingCalendar;
}

/** Derives the counts from order snapshots — the reference the db layer's SQL must match. */
export function countServiceOrders(orders: Iterable<WorkOrder>, subject: MetricSubject, period: MetricPeriod, options: CountOptions = {}): ServiceCounts {
  assertValidWallClock(period.from, '统计起始时间');
  assertValidWallClock(period.to, '统计结束时间');
  if (period.to <= period.from) throw new DomainError('BAD_INPUT', '统计区间的结束时间必须晚于起始时间');
  const asOf = options.asOf ?? period.to;
  const calendar = options.calendar ?? DEFAULT_WORKING_CALENDAR;
  const inPeriod = (t: WallClock | null): t is WallClock => t !== null && t >= period.from && t < period.to && t <= asOf;
  const happened = (t: WallClock | null): t is WallClock => t !== null && t <= asOf;
  const counts = emptyServiceCounts();

  for (const order of orders) {
    if (!orderBelongsTo(order, subject)) continue;
    if (inPeriod(order.dispatchedAt)) {
      counts.received += 1;
      const responded = happened(order.firstResponseAt);
      if (responded || (order.responseDueAt !== null && order.responseDueAt <= asOf)) counts.responseJudged += 1;
      if (responded && order.responseDueAt !== null && order.firstResponseAt! <= order.responseDueAt) counts.respondedInTime += 1;
      if (happened(order.disposedAt)) counts.disposed += 1;
      if (happened(order.disposedAt) || order.reopenCount > 0) counts.everDisposed += 1;
      if (order.reopenCount > 0) counts.reopened += 1;
    }
    if (inPeriod(order.dueAt)) {
      counts.dueInPeriod += 1;
      if (order.disposedAt !== null && order.disposedAt <= order.dueAt) counts.disposedOnTime += 1;
    }
    for (const visit of order.returnVisits) {
      if (!inPeriod(visit.at)) continue;
      counts.returnVisited += 1;
      if (visit.result === 'satisfied') counts.satisfied += 1;
      else if (visit.result === 'basically_satisfied') counts.basicallySatisfied += 1;
      else counts.dissatisfied += 1;
    }
    if (inPeriod(order.disposedAt) && order.dispatchedAt !== null) {
      counts.replyCycleCount += 1;
      counts.replyCycleWorkingDaysSum += workingDaysBetween(order.dispatchedAt, order.disposedAt, calendar);
    }
  }
  return counts;
}
