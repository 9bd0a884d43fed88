import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { ACTORS, act, newOrder } from './test-fixtures.ts';
import { wallClock } from './wall-clock.ts';
import {
  DEFAULT_SLA_POLICY,
  computeDueAt,
  computeResponseDueAt,
  defineSlaPolicy,
  hoursOverdue,
  resolutionRuleFor,
  slaStatusAt,
  type SlaClock,
} from './sla.ts';
import { workOrderSlaStatus } from './work-order-machine.ts';

describe('SLA policy', () => {
  it('ships the documented defaults', () => {
    expect(resolutionRuleFor('market', 'emergency')).toEqual({ kind: 'clock_hours', hours: 2 });
    expect(resolutionRuleFor('utilities', 'emergency')).toEqual({ kind: 'clock_hours', hours: 2 });
    expect(resolutionRuleFor('utilities', 'normal')).toEqual({ kind: 'clock_hours', hours: 24 });
    expect(resolutionRuleFor('utilities', 'complex')).toEqual({ kind: 'working_days', days: 15 });
    expect(resolutionRuleFor('market', 'urgent')).toEqual({ kind: 'clock_hours', hours: 24 });
    expect(resolutionRuleFor('market', 'normal')).toEqual({ kind: 'working_days', days: 5 });
    expect(resolutionRuleFor('housing', 'complex')).toEqual({ kind: 'working_days', days: 15 });
  });

  it('computes deadlines on the working calendar, e.g. just before the 2026 Spring Festival', () => {
    const receivedAt = wallClock(2026, 2, 13, 10);
    expect(computeDueAt('market', 'normal', receivedAt)).toEqual(wallClock(2026, 2, 28));
    expect(computeDueAt('market', 'complex', receivedAt)).toEqual(wallClock(2026, 3, 13));
    expect(computeDueAt('market', 'emergency', receivedAt)).toEqual(wallClock(2026, 2, 13, 12));
    expect(computeDueAt('utilities', 'normal', wallClock(2026, 2, 16, 8))).toEqual(wallClock(2026, 2, 17, 8)); // clock hours run through 除夕
    // Response: 1 working day from a Friday-afternoon dispatch ends with the make-up Saturday.
    expect(computeResponseDueAt('normal', wallClock(2026, 2, 13, 16))).toEqual(wallClock(2026, 2, 15));
    expect(computeResponseDueAt('emergency', wallClock(2026, 2, 13, 16))).toEqual(wallClock(2026, 2, 13, 16, 30));
  });

  it('is configurable and refuses nonsense', () => {
    const policy = defineSlaPolicy({ resolution: { normal: { kind: 'working_days', days: 7 } }, resolutionByItem: { environment: { urgent: { kind: 'clock_hours', hours: 12 } } } });
    expect(computeDueAt('market', 'normal', wallClock(2026, 3, 2, 9), { policy })).toEqual(wallClock(2026, 3, 12));
    expect(resolutionRuleFor('environment', 'urgent', policy)).toEqual({ kind: 'clock_hours', hours: 12 });
    expect(resolutionRuleFor('utilities', 'normal', policy)).toEqual({ kind: 'clock_hours', hours: 24 });
    expect(DEFAULT_SLA_POLICY.resolution.normal).toEqual({ kind: 'working_days', days: 5 });
    expect(() => defineSlaPolicy({ resolution: { normal: { kind: 'working_days', days: 0 } } })).toThrow(DomainError);
    expect(() => defineSlaPolicy({ resolution: { normal: { kind: 'working_days', days: 2.5 } } })).toThrow(DomainError);
    expect(() => defineSlaPolicy({ dueSoon: { fraction: 2 } })).toThrow(DomainError);
  });
});

describe('SLA status', () => {
  // Mon 2026-03-02 09:00, 5 working days → due Tue 03-10 00:00. Allowance = 15 h + 5 days =
  // 5.625 working days; due soon below 20% of it = 1.125 working days.
  const working: SlaClock = { startedAt: wallClock(2026, 3, 2, 9), dueAt: wallClock(2026, 3, 10), completedAt: null, measure: 'working_days' };

  it('working-day clock: on track → due soon → overdue, weekends not counted as time left', () => {
    expect(slaStatusAt(working, wallClock(2026, 3, 6, 12))).toBe('on_track'); // 1.5 working days left
    expect(slaStatusAt(working, wallClock(2026, 3, 8, 12))).toBe('due_soon'); // Sunday: only Monday left
    expect(slaStatusAt(working, wallClock(2026, 3, 10))).toBe('due_soon'); // exactly at the deadline
    expect(slaStatusAt(working, wallClock(2026, 3, 10, 0, 1))).toBe('overdue');
    expect(hoursOverdue(working, wallClock(2026, 3, 10, 6))).toBe(6);
  });

  it('closed on time or late, judged at disposal (not closure)', () => {
    expect(slaStatusAt({ ...working, completedAt: wallClock(2026, 3, 9, 23) }, wallClock(2026, 3, 20))).toBe('closed_on_time');
    expect(slaStatusAt({ ...working, completedAt: wallClock(2026, 3, 10) }, wallClock(2026, 3, 20))).toBe('closed_on_time');
    expect(slaStatusAt({ ...working, completedAt: wallClock(2026, 3, 10, 8) }, wallClock(2026, 3, 20))).toBe('closed_late');
    // A disposal after the moment asked about is not known yet.
    expect(slaStatusAt({ ...working, completedAt: wallClock(2026, 3, 10, 8) }, wallClock(2026, 3, 10, 1))).toBe('overdue');
  });

  it('clock-hour emergency: warns in its last 20% (24 minutes)', () => {
    const emergency: SlaClock = { startedAt: wallClock(2026, 3, 2, 10), dueAt: wallClock(2026, 3, 2, 12), completedAt: null, measure: 'clock_hours' };
    expect(slaStatusAt(emergency, wallClock(2026, 3, 2, 11, 30))).toBe('on_track');
    expect(slaStatusAt(emergency, wallClock(2026, 3, 2, 11, 40))).toBe('due_soon');
    expect(slaStatusAt(emergency, wallClock(2026, 3, 2, 12, 1))).toBe('overdue');
  });

  it('the 4-working-hour floor applies to short working-day limits', () => {
    const policy = defineSlaPolicy({ dueSoon: { fraction: 0.05 } });
    // 1 working day from Mon 00:00 → due Wed 00:00, allowance 2 days; 5% = 2.4 h < 4 h floor.
    const short: SlaClock = { startedAt: wallClock(2026, 3, 2), dueAt: wallClock(2026, 3, 4), completedAt: null, measure: 'working_days' };
    expect(slaStatusAt(short, wallClock(2026, 3, 3, 21), { policy })).toBe('due_soon'); // 3 h left
    expect(slaStatusAt(short, wallClock(2026, 3, 3, 19), { policy })).toBe('on_track'); // 5 h left
  });

  it('an approved extension moves the order back on track', () => {
    let order = newOrder({}, wallClock(2026, 3, 2, 9));
    order = act(order, { type: 'accept' }, ACTORS.street, wallClock(2026, 3, 2, 9, 10));
    order = act(order, { type: 'dispatch', assignee: { kind: 'street', code: '510104001' } }, ACTORS.street, wallClock(2026, 3, 2, 9, 20));
    order = act(order, { type: 'sign' }, ACTORS.street, wallClock(2026, 3, 2, 9, 30));
    const sunday = wallClock(2026, 3, 8, 12);
    expect(workOrderSlaStatus(order, sunday)).toBe('due_soon');
    order = act(order, { type: 'request_extension', requestedDueAt: wallClock(2026, 3, 20), reason: '需第三方检测' }, ACTORS.street, sunday);
    order = act(order, { type: 'approve_extension' }, ACTORS.district, sunday);
    expect(workOrderSlaStatus(order, sunday)).toBe('on_track');
    expect(workOrderSlaStatus(order, wallClock(2026, 3, 21))).toBe('overdue');
  });
});
