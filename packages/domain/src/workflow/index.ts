// The work-order disposal loop: state machine, working calendar, SLAs, service metrics, mobilisation.
// Wall-clock and permission helpers are exported selectively: generic names (addDays, DAY_MS,
// forbidden…) stay internal so they cannot collide with the rest of the domain package.
export {
  type WallClock,
  wallClock,
  parseWallClock,
  formatWallClock,
  dayKeyOf,
  wallClockFromInstant,
  instantFromWallClock,
} from './wall-clock.ts';
export * from './china-holidays.ts';
export * from './working-calendar.ts';
export * from './sla.ts';
export * from './work-order-types.ts';
export {
  actorIsAssignee,
  actorIsUpperTierOf,
  actorIsDispatcher,
  actorCoversLocation,
  upperTierOf,
  describeAssignee,
} from './work-order-permissions.ts';
export * from './work-order-create.ts';
export * from './work-order-machine.ts';
export * from './service-metrics.ts';
export * from './mobilisation.ts';
