/**
 * The social condition index (社情指数), hotspots and early warnings over the warehouse
 * (issue 5). The formulas are pure functions in @cityops/domain (index-method/); this module
 * feeds them from the rollups, stores, publishes and serves the results. Every query function
 * takes the caller's Scope. Tables: migrations/0005-index.ts.
 */
export { BASELINE_MONTHS, baselinePeriodFor, ensureBaseline, getActiveBaseline, rebaseIndex, resetBaselineRule, type BaselinePeriod, type StoredBaseline } from './baseline-store.ts';
export { computeIndexMonth, ensureProvisionalMonth, readDataClock, type MonthComputation } from './index-compute.ts';
export { listCompleteMonths, listRollupMonths, loadIndexInputs } from './index-inputs.ts';
export { publishMonth, listSnapshots, readSnapshotValues, canonicalValues, SENSITIVITY_ITERATIONS, type PublishResult, type SnapshotMeta, type SnapshotChanges } from './publish.ts';
export { queryIndexRanking, queryIndexUnit, querySnapshots, resolveIndexMonth, type IndexMonthSource, type RankingEntry } from './index-read.ts';
export { queryIndexDecomposition } from './decomposition.ts';
export { refreshH3Rollup, type H3RefreshResult } from './h3-rollup.ts';
export { queryHotspots, queryEmergingHotspots, type HotspotCell } from './hotspots.ts';
export { runEarlyWarnings, contentSeverity, WARNING_LEVELS_DEFAULT, type EarlyWarningResult } from './early-warnings.ts';
export { ingestSensorReadings, generateDemoSensorReadings, SENSOR_KINDS, type SensorKind, type SensorReading } from './sensors.ts';
export { queryAlerts, insertAlerts, ALERT_KINDS, type AlertKind, type NewAlert, type StoredAlert } from './alerts-store.ts';
export { shiftMonth } from './months.ts';
