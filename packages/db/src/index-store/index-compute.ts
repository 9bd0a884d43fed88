import {
  DEFAULT_INDEX_OPTIONS,
  DEFAULT_WEIGHTS,
  DomainError,
  METHOD_VERSION,
  computeSocialConditionIndex,
  type IndexOptions,
  type IndexWeights,
  type SocialConditionIndexResult,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { ensureServiceCountsFresh } from '../work-orders/service-counts.ts';
import { ensureBaseline, type StoredBaseline } from './baseline-store.ts';
import { loadMonthInputs, type MonthInputs } from './index-inputs.ts';
import { assertMonth } from './months.ts';
import { UNIT_VALUE_KINDS, unitValueCells, unitValuesOf, type StoredUnitValue } from './unit-values.ts';

/**
 * Computing a month: rollup and service-count inputs → computeSocialConditionIndex (pure, in the domain package)
 * against the stored baseline. The result is cached in `index_monthly` as a *provisional*
 * computation, tagged with the rollup refresh it was computed from so it is recomputed when
 * data change. Published months live elsewhere (publish.ts) and are never overwritten.
 */

export interface IndexComputeOptions {
  weights?: IndexWeights;
  options?: Partial<IndexOptions>;
}

export interface MonthComputation {
  month: string;
  baseline: StoredBaseline;
  inputs: MonthInputs;
  result: SocialConditionIndexResult;
  values: StoredUnitValue[];
  dataClock: DataClock;
}

export interface DataClock {
  /** When the rollups were last refreshed (changes whenever data are folded in). */
  refreshedAt: string | null;
  /** Latest `updated_at` folded into the rollups: the data cut-off. */
  watermark: string | null;
}

export async function readDataClock(db: Database): Promise<DataClock> {
  // The later of the two refreshes the inputs come from: the rollups and the service counts.
  const rows = await db.all<{ refreshedAt: string | null; watermark: string | null }>(
    `SELECT strftime(greatest(r."refreshed_at", (SELECT s."refreshed_at" FROM "service_counts_state" s WHERE s."id" = 1)), '%Y-%m-%d %H:%M:%S.%f') AS "refreshedAt",
       strftime(r."updated_watermark", '%Y-%m-%d %H:%M:%S') AS "watermark"
     FROM "rollup_state" r WHERE r."id" = 1`,
  );
  return rows[0] ?? { refreshedAt: null, watermark: null };
}

export async function computeMonth(db: Database, month: string, opts: IndexComputeOptions = {}): Promise<MonthComputation> {
  assertMonth(month);
  const options = { ...DEFAULT_INDEX_OPTIONS, ...opts.options };
  // The service inputs are precomputed; recount them only if the data changed since (cheap check).
  await ensureServiceCountsFresh(db);
  const baseline = await ensureBaseline(db, month, options);
  const dataClock = await readDataClock(db);
  const inputs = await loadMonthInputs(db, month);
  if (inputs.units.length === 0) throw new DomainError('NOT_FOUND', '区划表为空 / the units table is empty');
  const result = computeSocialConditionIndex({ month, units: inputs.units, baseline, weights: opts.weights ?? DEFAULT_WEIGHTS, options });
  return { month, baseline, inputs, result, values: unitValuesOf(result, inputs.parents), dataClock };
}

/**
 * Computes a month for every unit at every level and stores it as the provisional computation
 * (replacing the previous one). Returns the computation.
 */
export async function computeIndexMonth(db: Database, opts: { month: string } & IndexComputeOptions): Promise<MonthComputation> {
  const computation = await computeMonth(db, opts.month, opts);
  const { result, baseline, dataClock } = computation;
  await db.transaction(async (tx) => {
    await tx.run(`DELETE FROM "index_monthly" WHERE "month" = $month`, { month: opts.month });
    await tx.run(`DELETE FROM "index_runs" WHERE "month" = $month`, { month: opts.month });
    await tx.appendRows('index_monthly', ['varchar', ...UNIT_VALUE_KINDS], computation.values.map((value) => [opts.month, ...unitValueCells(value)]));
    await tx.run(
      `INSERT INTO "index_runs" VALUES ($month, $baseline, $version, $weights::JSON, $options::JSON, $refreshed, $as_of, now()::TIMESTAMP)`,
      {
        month: opts.month,
        baseline: baseline.id,
        version: METHOD_VERSION,
        weights: JSON.stringify(result.weights),
        options: JSON.stringify(result.options),
        refreshed: dataClock.refreshedAt,
        as_of: dataClock.watermark,
      },
    );
  });
  return computation;
}

export interface ProvisionalRun {
  month: string;
  baselineId: string;
  methodVersion: string;
  weights: IndexWeights;
  options: IndexOptions;
  dataAsOf: string | null;
  computedAt: string;
}

/** How long a provisional computation is served without checking the data for changes. */
export const PROVISIONAL_MAX_AGE_MS = 10 * 60_000;

/**
 * The provisional computation of a month, (re)computed when missing or stale: stale means the
 * month's baseline or the method version changed, or — once it is older than
 * PROVISIONAL_MAX_AGE_MS — the rollups or the service counts were refreshed since.
 */
export async function ensureProvisionalMonth(db: Database, month: string): Promise<ProvisionalRun> {
  assertMonth(month);
  // Single flight: concurrent requests for the same month share one computation instead of
  // racing to replace the same rows over the one shared connection.
  const key = `${db.path}\u0000${month}`;
  const pending = inFlight.get(key);
  if (pending) return pending;
  const promise = ensureProvisionalMonthOnce(db, month).finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

const inFlight = new Map<string, Promise<ProvisionalRun>>();

async function ensureProvisionalMonthOnce(db: Database, month: string): Promise<ProvisionalRun> {
  const read = () =>
    db.all<{ baseline_id: string; method_version: string; weights: string; options: string; rollup_refreshed_at: string | null; data_as_of: string | null; computed_at: string; age_ms: number }>(
      `SELECT "baseline_id", "method_version", "weights"::VARCHAR AS "weights", "options"::VARCHAR AS "options", "rollup_refreshed_at", "data_as_of",
         strftime("computed_at", '%Y-%m-%d %H:%M:%S') AS "computed_at", (epoch_ms(now()::TIMESTAMP) - epoch_ms("computed_at"))::DOUBLE AS "age_ms"
       FROM "index_runs" WHERE "month" = $month`,
      { month },
    );
  const [run] = await read();
  const baseline = await ensureBaseline(db, month);
  const sameMethod = run !== undefined && run.baseline_id === baseline.id && run.method_version === METHOD_VERSION;
  // While data keep arriving (the live feed refreshes the rollups every few seconds), a recent
  // computation is served as it is, with its cut-off time: recomputing on every refresh made
  // each read wait for a recount of the service counts and the whole index.
  const recent = sameMethod && run.age_ms < PROVISIONAL_MAX_AGE_MS;
  let fresh = recent;
  if (!recent) {
    await ensureServiceCountsFresh(db);
    const clock = await readDataClock(db);
    fresh = sameMethod && run.rollup_refreshed_at === clock.refreshedAt;
    if (!fresh) await computeIndexMonth(db, { month, ...(run ? { weights: JSON.parse(run.weights) as IndexWeights } : {}) });
  }
  const [current] = fresh ? [run!] : await read();
  return {
    month,
    baselineId: current!.baseline_id,
    methodVersion: current!.method_version,
    weights: JSON.parse(current!.weights) as IndexWeights,
    options: JSON.parse(current!.options) as IndexOptions,
    dataAsOf: current!.data_as_of,
    computedAt: current!.computed_at,
  };
}
