import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { RETURN_VISIT_RESULTS } from '../event-schema.ts';
import { ACTORS, newOrder } from './test-fixtures.ts';
import { wallClock } from './wall-clock.ts';
import { ALLOWED_FROM, actionsAllowedIn, applyTransition } from './work-order-machine.ts';
import { actorIsAssignee, actorIsDispatcher, actorIsUpperTierOf } from './work-order-permissions.ts';
import { WORK_ORDER_ACTIONS, WORK_ORDER_STATES, workOrderActionSchema, type WorkOrder, type WorkOrderAction, type WorkOrderActionType, type WorkOrderActor } from './work-order-types.ts';

/**
 * Property tests over random transition sequences, driven by a seeded PRNG (no fast-check in
 * the workspace). A failure prints the seed; rerun with that seed to reproduce.
 */
const SEQUENCES = 2_000;
const ATTEMPTS_PER_SEQUENCE = 80;
const BASE_SEED = 20260302;

/** mulberry32: tiny, fast, good enough to explore a state machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T,>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const subset = <T,>(rng: () => number, list: readonly T[], max: number): T[] => list.filter(() => rng() < max / list.length);

const POOL: readonly WorkOrderActor[] = Object.values(ACTORS);
const ASSIGNEES = [
  { kind: 'street', code: '510104001' },
  { kind: 'grid', code: '510104001001001' },
  { kind: 'district', code: '510104' },
  { kind: 'city', code: '5101' },
  { kind: 'department', code: 'D04' },
  { kind: 'department', code: 'D11' },
  { kind: 'department', code: 'D03' },
  { kind: 'street', code: '510104002' }, // does not contain the order's grid
  { kind: 'grid', code: '510104001001002' }, // neither
] as const;
const DEPARTMENTS = ['D04', 'D11', 'D03'] as const;
/** The main-path step from each state, favoured so that sequences often reach 结案 and 重办. */
const FORWARD: Record<WorkOrder['state'], WorkOrderActionType> = {
  created: 'accept',
  accepted: 'dispatch',
  dispatched: 'sign',
  signed: 'start',
  in_progress: 'dispose',
  disposed: 'record_return_visit',
  return_visit: 'close',
  closed: 'reopen',
};

function randomAction(rng: () => number, order: WorkOrder): WorkOrderAction {
  const roll = rng();
  const type: WorkOrderActionType = roll < 0.4 ? FORWARD[order.state] : roll < 0.85 ? pick(rng, actionsAllowedIn(order.state)) : pick(rng, WORK_ORDER_ACTIONS);
  const stale = rng() < 0.04;
  const expectedVersion = stale ? (order.version > 1 ? order.version - 1 - Math.floor(rng() * (order.version - 1)) : order.version + 1) : order.version;
  const days = (n: number) => new Date(order.dueAt.getTime() + n * 86_400_000);
  const fields = {
    reason: rng() < 0.03 ? ' ' : '理由',
    note: '说明',
    feedback: '办理情况',
    result: pick(rng, RETURN_VISIT_RESULTS),
    assignee: pick(rng, ASSIGNEES),
    coHandlers: subset(rng, DEPARTMENTS, 1),
    departments: subset(rng, DEPARTMENTS, 1.5),
    requestedDueAt: days(rng() < 0.1 ? -1 : 1 + Math.floor(rng() * 10)),
  };
  return { type, expectedVersion, ...fields } as unknown as WorkOrderAction;
}

/** Half the time, an actor who plausibly may act (so sequences get deep); else anyone. */
function randomActor(rng: () => number, order: WorkOrder): WorkOrderActor {
  if (rng() < 0.25) return pick(rng, POOL);
  const plausible = POOL.filter(
    (a) =>
      actorIsAssignee(a, order.assignee) ||
      actorIsDispatcher(a, order) ||
      (order.assignee !== null && actorIsUpperTierOf(a, order.assignee)) ||
      order.coHandlers.some((c) => c.departmentCode === a.departmentCode) ||
      order.state === 'created',
  );
  return pick(rng, plausible.length ? plausible : POOL);
}

const MILESTONES = ['createdAt', 'acceptedAt', 'dispatchedAt', 'firstResponseAt', 'signedAt', 'disposedAt', 'returnVisitedAt', 'closedAt'] as const;
const SIGNED_OR_LATER = new Set(['signed', 'in_progress', 'disposed', 'return_visit', 'closed']);
const DISPOSED_OR_LATER = new Set(['disposed', 'return_visit', 'closed']);

/** Plain checks: `expect` costs microseconds, and this runs ~200,000 times. */
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}

function checkInvariants(order: WorkOrder, previous: WorkOrder): void {
  // Exactly one state, and the fields that depend on it agree with it.
  check(WORK_ORDER_STATES.includes(order.state), `unknown state ${order.state}`);
  check((order.assignee === null) === (order.state === 'created' || order.state === 'accepted'), 'assignee iff dispatched or later');
  check((order.acceptedAt === null) === (order.state === 'created'), 'acceptedAt iff accepted or later');
  check((order.signedAt !== null) === SIGNED_OR_LATER.has(order.state), 'signedAt iff signed or later');
  check((order.disposedAt !== null) === DISPOSED_OR_LATER.has(order.state), 'disposedAt iff disposed or later');
  check((order.returnVisitResult !== null) === (order.state === 'return_visit' || order.state === 'closed'), 'return visit result iff visited');
  check((order.closedAt !== null) === (order.state === 'closed'), 'closedAt iff closed');
  check(order.extension?.status !== 'pending' || order.state === 'signed' || order.state === 'in_progress', 'pending extension only while handling');
  // Milestones are monotonic in their natural order.
  let last = -Infinity;
  for (const key of MILESTONES) {
    const value = order[key];
    if (value === null) continue;
    check(value.getTime() >= last, `${key} before an earlier milestone`);
    last = value.getTime();
  }
  // The history is the order's own story: versions 1..n, times non-decreasing, states chained.
  const record = order.history.at(-1)!;
  check(order.version === order.history.length && record.version === order.version, 'version = number of records');
  check(record.toState === order.state && order.updatedAt.getTime() === record.at.getTime(), 'last record matches the order');
  if (order !== previous) {
    const before = previous.history.at(-1)!;
    check(order.history.length === previous.history.length + 1 && order.history[previous.history.length - 1] === before, 'history only grows');
    check(record.fromState === before.toState && record.at.getTime() >= before.at.getTime(), 'records chain in time');
    check(order.reopenCount === previous.reopenCount + (record.action === 'reopen' ? 1 : 0), 'reopen counter');
    check(order.returnVisits.length === previous.returnVisits.length + (record.action === 'record_return_visit' ? 1 : 0), 'return visits kept');
  }
  check(Object.isFrozen(order), 'frozen');
}

describe('work-order machine: properties over random sequences', () => {
  it(`holds its invariants over ${SEQUENCES} random sequences`, () => {
    const succeeded = new Map<string, number>();
    const refused = new Map<string, number>();
    let reachedClosed = 0;
    let reopenedAfterClose = 0;

    for (let s = 0; s < SEQUENCES; s += 1) {
      const seed = BASE_SEED + s;
      const rng = mulberry32(seed);
      let order = newOrder({ id: `P-${seed}`, origin: pick(rng, ['grid_report', 'hotline_transfer', 'police_transfer', 'alert'] as const), urgency: pick(rng, ['emergency', 'urgent', 'normal', 'complex'] as const) }, wallClock(2026, 1, 1 + Math.floor(rng() * 300), 8), ACTORS.city);
      let sawClosed = false;
      try {
        for (let attempt = 0; attempt < ATTEMPTS_PER_SEQUENCE; attempt += 1) {
          const action = randomAction(rng, order);
          const actor = randomActor(rng, order);
          const backwards = rng() < 0.03;
          const at = new Date(order.updatedAt.getTime() + (backwards ? -60_000 : Math.floor(rng() * rng() * 3 * 86_400_000)));
          const before = order;
          const snapshot = rng() < 0.02 ? structuredClone(order) : null;
          const fresh = action.expectedVersion === order.version;
          const stateAllows = ALLOWED_FROM[action.type].includes(order.state);
          const wellFormed = workOrderActionSchema.safeParse(action).success;
          try {
            const { order: next, record } = applyTransition(order, action, actor, at);
            check(wellFormed && fresh && stateAllows && !backwards, `${action.type} accepted though it should be refused`);
            check(before.state !== 'closed' || action.type === 'reopen', 'a closed order changed other than through 重办');
            if (before.state === 'closed') reopenedAfterClose += 1;
            check(next.version === before.version + 1, 'version + 1');
            check(record === next.history.at(-1) && record.action === action.type && record.fromState === before.state, 'record describes the transition');
            check(record.at === at && record.actor.username === actor.username, 'record names actor and time');
            succeeded.set(action.type, (succeeded.get(action.type) ?? 0) + 1);
            order = next;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused.set(error.code, (refused.get(error.code) ?? 0) + 1);
            if (snapshot) expect(order).toEqual(snapshot);
            // Checks run in a fixed order: shape, version, time, state, actor, preconditions.
            const expected = !wellFormed ? 'BAD_INPUT' : !fresh ? 'CONFLICT' : backwards ? 'BAD_INPUT' : !stateAllows ? 'ILLEGAL_TRANSITION' : null;
            if (expected) check(error.code === expected, `${action.type} in ${before.state}: ${error.code} instead of ${expected}`);
            // A refused closed order: only 重办 may even be considered.
            if (wellFormed && fresh && !backwards && before.state === 'closed' && action.type !== 'reopen') check(error.code === 'ILLEGAL_TRANSITION', 'closed is immutable');
          }
          checkInvariants(order, before);
          if (order.state === 'closed') sawClosed = true;
        }
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`, { cause: error });
      }
      if (sawClosed) reachedClosed += 1;
    }

    // The generator must actually explore the machine, or the properties prove little.
    for (const type of WORK_ORDER_ACTIONS) expect(succeeded.get(type) ?? 0, `successful ${type}`).toBeGreaterThan(20);
    for (const code of ['CONFLICT', 'ILLEGAL_TRANSITION', 'FORBIDDEN', 'BAD_INPUT']) expect(refused.get(code) ?? 0, code).toBeGreaterThan(100);
    expect(reachedClosed).toBeGreaterThan(SEQUENCES / 10);
    expect(reopenedAfterClose).toBeGreaterThan(20);
  });
});
