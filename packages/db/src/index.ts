export { openDatabase, quoteIdentifier, type Database, type OpenDatabaseOptions, type SqlParams, type AppendKind, type AppendValue } from './database.ts';
export { migrate, currentSchemaVersion, MIGRATIONS, LATEST_SCHEMA_VERSION, type Migration } from './migrations/index.ts';
export { EVENT_COLUMNS, ROLLUP_MEASURES } from './migrations/0001-warehouse.ts';
export { DERIVED_EVENT_COLUMNS, DERIVED_EVENT_COLUMN_NAMES, STORED_EVENT_COLUMNS, STORED_EVENT_COLUMN_LIST } from './migrations/0015-compact-event-keys.ts';
export {
  loadUnits, countUnitsByLevel, getUnit, listChildUnits, listUnitsOfLevel, getUnitInScope, listChildUnitsInScope, type UnitCountsByLevel,
} from './units-store.ts';
export { hashPersonalId, normalizePersonalId, DEMO_PII_SALT } from './pii-hash.ts';
export {
  generateDemoData, readGroundTruth, DEMO_SCALE, DEFAULT_MONTHS,
  type GenerateOptions, type GenerateResult, type ProgressCallback,
  type GroundTruthManifest, type ClusterTruth, type BurstTruth, type EscalationTruth, type SpikeTruth,
} from './generator/index.ts';
export { refreshRollups, type RefreshOptions, type RefreshResult } from './rollups.ts';
export {
  queryMonthlyVolumes, queryMonthlyItemVolumes, queryMonthlyItemVolumesRaw, queryChildVolumes, queryChildVolumesRaw,
  queryDailyVolumes, queryDailyVolumesRaw,
  type MonthlyVolume, type MonthlyItemVolume, type ChildVolume, type ChildVolumeFilter, type DailyVolume, type MonthRangeInput, type MonthInput, type DayRangeInput,
} from './queries/volumes.ts';
export { queryKpis, queryTopItems, type SourceKpi, type TopItem } from './queries/kpis.ts';
export { writeSyntheticUnitsCsv, type SyntheticUnitsOptions } from './testing/synthetic-units.ts';
export { queryAvailableMonths } from './queries/months.ts';
export { warmReadPaths, type WarmResult } from './warm-read-paths.ts';
export { insertSimulatedEvents, readLiveEvents, type SimulatedEvent } from './live-events.ts';
export { queryEventList, queryEventDetail, queryEventPoints, queryNatureBreakdown, MAX_EVENT_POINTS, type EventFilter, type EventRow, type EventDetail, type EventPoint, type NatureCount } from './queries/events.ts';
export { PiiVault, demoPiiVault, storeContacts, readContact, DEMO_PII_KEY_SECRET, type ContactDetails } from './pii-vault.ts';
