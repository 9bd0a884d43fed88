import { createHash } from 'node:crypto';
import { DomainError, UNIT_LEVELS, rankSensitivity, type RankInterval, type UnitLevel } from '@cityops/domain';
import type { Database } from '../database.ts';
import { computeMonth, type IndexComputeOptions, type MonthComputation } from './index-compute.ts';
import { assertMonth } from './months.ts';
import { UNIT_VALUE_KINDS, UNIT_VALUE_SELECT, encodeVector, toStoredUnitValue, unitValueCells, type StoredUnitValue } from './unit-values.ts';

/**
 * Publication (发布): freezes a month into `index_snapshots` + `index_snapshot_values` — values,
 * weights, options, method version, data cut-off, baseline goalposts and Monte Carlo rank
 * intervals. A snapshot row is never updated. Publishing the month again computes it afresh;
 * if anything differs it becomes revision n + 1 with a record of what changed (units whose
 * score or rank moved, old → new; method, baseline, weights) and the old revision stays. If
 * nothing differs, no revision is added (publishing is idempotent).
 *
 * Sensitivity (methodology §8): rankSensitivity per level, seeded by the month so intervals are
 * reproducible. SENSITIVITY_ITERATIONS: 200 runs for city … community, 100 for grids (21,000
 * grids × 200 runs doubled the publish time for intervals that moved by < 1 rank).
 */
export const SENSITIVITY_ITERATIONS: Record<UnitLevel, number> = { city: 200, district: 200, street: 200, community: 200, grid: 100 };

export interface PublishOptions extends IndexComputeOptions {
  month: string;
  publishedBy: string;
  /** The data cut-off to record; defaults to the latest ingestion folded into the rollups. */
  cutoff?: string;
  /** Override per-level Monte Carlo iterations (tests, benchmarks). */
  iterations?: Partial<Record<UnitLevel, number>>;
}

export interface UnitChange {
  code: string;
  level: UnitLevel;
  scoreFrom: number;
  scoreTo: number;
  rankFrom: number;
  rankTo: number;
}

export interface SnapshotChanges {
  previousRevision: number | null;
  unitsChanged: number;
  scoreChanged: number;
  rankChanged: number;
  maxAbsScoreChange: number;
  methodChanged: boolean;
  baselineChanged: boolean;
  weightsChanged: boolean;
  units: UnitChange[];
}

export interface SnapshotMeta {
  id: string;
  month: string;
  revision: number;
  methodVersion: string;
  publishedAt: string;
  publishedBy: string;
  cutoff: string;
  baselineId: string;
  baselineFrom: string;
  baselineTo: string;
  units: number;
  contentHash: string;
  previousRevision: number | null;
  changes: SnapshotChanges;
}

export interface PublishResult {
  created: boolean;
  snapshot: SnapshotMeta;
}

function seedOf(month: string): number {
  return Number(month.replace('-', ''));
}

function sensitivityOf(computation: MonthComputation, iterations: Record<UnitLevel, number>): Map<string, RankInterval> {
  const intervals = new Map<string, RankInterval>();
  const { inputs, baseline, result } = computation;
  for (const level of UNIT_LEVELS) {
    const units = inputs.units.filter((unit) => unit.level === level);
    if (units.length === 0) continue;
    // Pooling (smoothing, ranks) is within a level, so running each level alone gives the same values.
    const run = rankSensitivity(
      { month: computation.month, units, baseline, weights: result.weights, options: result.options },
      { iterations: iterations[level], seed: seedOf(computation.month) },
    );
    for (const interval of run.units) intervals.set(interval.code, interval);
  }
  return intervals;
}

/** Canonical text of a snapshot's values: what the content hash and the revision diff compare. */
export function canonicalValues(values: readonly StoredUnitValue[], intervals?: ReadonlyMap<string, { medianRank: number; p5Rank: number; p95Rank: number }>): string {
  const sorted = [...values].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return sorted
    .map((v) => {
      const interval = intervals?.get(v.code);
      return JSON.stringify([v.code, v.level, v.parentCode, v.population, v.score, v.band, v.rank, v.rankOf, v.pillars, encodeVector(v.values), encodeVector(v.normalised), interval ? [interval.medianRank, interval.p5Rank, interval.p95Rank] : null]);
    })
    .join('\n');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export async function publishMonth(db: Database, opts: PublishOptions): Promise<PublishResult> {
  assertMonth(opts.month);
  if (!opts.publishedBy) throw new DomainError('BAD_INPUT', '发布人不能为空 / publishedBy is required');
  const computation = await computeMonth(db, opts.month, opts);
  const { result, baseline, values, dataClock } = computation;
  const intervals = sensitivityOf(computation, { ...SENSITIVITY_ITERATIONS, ...opts.iterations });
  const weightsJson = JSON.stringify(result.weights);
  const contentHash = sha256(`${result.methodVersion}\n${baseline.id}\n${weightsJson}\n${JSON.stringify(result.options)}\n${canonicalValues(values, intervals)}`);
  const cutoff = opts.cutoff ?? dataClock.watermark ?? new Date().toISOString();

  return db.transaction(async (tx) => {
    const previous = (await listSnapshots(tx, opts.month))[0];
    if (previous && previous.contentHash === contentHash) return { created: false, snapshot: previous };
    const revision = (previous?.revision ?? 0) + 1;
    const id = `${opts.month}-r${revision}`;
    const changes = previous ? await diffAgainst(tx, previous, values, { methodVersion: result.methodVersion, baselineId: baseline.id, weightsJson }) : firstChanges();
    const sensitivity = Object.fromEntries(UNIT_LEVELS.map((level) => [level, { iterations: { ...SENSITIVITY_ITERATIONS, ...opts.iterations }[level], seed: seedOf(opts.month), concentration: 50 }]));
    await tx.run(
      `INSERT INTO "index_snapshots" VALUES ($id, $month, $revision, $version, now()::TIMESTAMP, $by, $cutoff, $baseline_id, $baseline_from, $baseline_to,
         $goalposts::JSON, $weights::JSON, $options::JSON, $sensitivity::JSON, $units, $hash, $previous, $changes::JSON)`,
      {
        id, month: opts.month, revision, version: result.methodVersion, by: opts.publishedBy, cutoff,
        baseline_id: baseline.id, baseline_from: baseline.from, baseline_to: baseline.to,
        goalposts: JSON.stringify({ goalposts: baseline.goalposts, goalpostOptions: baseline.goalpostOptions }),
        weights: weightsJson, options: JSON.stringify(result.options), sensitivity: JSON.stringify(sensitivity),
        units: values.length, hash: contentHash, previous: previous?.revision ?? null, changes: JSON.stringify(changes),
      },
    );
    const kinds = ['varchar', 'varchar', 'integer', ...UNIT_VALUE_KINDS, 'double', 'double', 'double'] as const;
    const rows = values.map((value) => {
      const interval = intervals.get(value.code)!;
      return [id, opts.month, revision, ...unitValueCells(value), interval.medianRank, interval.p5Rank, interval.p95Rank];
    });
    await tx.appendRows('index_snapshot_values', kinds, rows);
    const [snapshot] = await listSnapshots(tx, opts.month);
    return { created: true, snapshot: snapshot! };
  });
}

function firstChanges(): SnapshotChanges {
  return { previousRevision: null, unitsChanged: 0, scoreChanged: 0, rankChanged: 0, maxAbsScoreChange: 0, methodChanged: false, baselineChanged: false, weightsChanged: false, units: [] };
}

async function diffAgainst(db: Database, previous: SnapshotMeta, values: readonly StoredUnitValue[], now: { methodVersion: string; baselineId: string; weightsJson: string }): Promise<SnapshotChanges> {
  const old = await db.all<{ code: string; score: number; rank: number; weights: string }>(
    `SELECT v."code", v."score", v."rank", s."weights"::VARCHAR AS "weights" FROM "index_snapshot_values" v JOIN "index_snapshots" s ON s."id" = v."snapshot_id" WHERE v."snapshot_id" = $id`,
    { id: previous.id },
  );
  const byCode = new Map(old.map((row) => [row.code, row]));
  const units: UnitChange[] = [];
  let scoreChanged = 0;
  let rankChanged = 0;
  let maxAbs = 0;
  for (const value of values) {
    const before = byCode.get(value.code);
    if (!before) continue;
    const scoreMoved = before.score !== value.score;
    const rankMoved = before.rank !== value.rank;
    if (!scoreMoved && !rankMoved) continue;
    if (scoreMoved) scoreChanged += 1;
    if (rankMoved) rankChanged += 1;
    maxAbs = Math.max(maxAbs, Math.abs(value.score - before.score));
    units.push({ code: value.code, level: value.level, scoreFrom: before.score, scoreTo: value.score, rankFrom: before.rank, rankTo: value.rank });
  }
  units.sort((a, b) => Math.abs(b.scoreTo - b.scoreFrom) - Math.abs(a.scoreTo - a.scoreFrom) || (a.code < b.code ? -1 : 1));
  return {
    previousRevision: previous.revision,
    unitsChanged: units.length,
    scoreChanged,
    rankChanged,
    maxAbsScoreChange: maxAbs,
    methodChanged: previous.methodVersion !== now.methodVersion,
    baselineChanged: previous.baselineId !== now.baselineId,
    weightsChanged: JSON.stringify(JSON.parse(old[0]?.weights ?? 'null')) !== JSON.stringify(JSON.parse(now.weightsJson)),
    units,
  };
}

interface SnapshotRow {
  id: string;
  month: string;
  revision: number;
  method_version: string;
  published_at: string;
  published_by: string;
  cutoff: string;
  baseline_id: string;
  baseline_from: string;
  baseline_to: string;
  units: number;
  content_hash: string;
  previous_revision: number | null;
  changes: string;
}

/** Revisions of a month, newest first. */
export async function listSnapshots(db: Database, month: string): Promise<SnapshotMeta[]> {
  const rows = await db.all<SnapshotRow>(
    `SELECT "id", "month", "revision", "method_version", strftime("published_at", '%Y-%m-%d %H:%M:%S') AS "published_at", "published_by", "cutoff",
       "baseline_id", "baseline_from", "baseline_to", "units", "content_hash", "previous_revision", "changes"::VARCHAR AS "changes"
     FROM "index_snapshots" WHERE "month" = $month ORDER BY "revision" DESC`,
    { month },
  );
  return rows.map((row) => ({
    id: row.id,
    month: row.month,
    revision: row.revision,
    methodVersion: row.method_version,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    cutoff: row.cutoff,
    baselineId: row.baseline_id,
    baselineFrom: row.baseline_from,
    baselineTo: row.baseline_to,
    units: row.units,
    contentHash: row.content_hash,
    previousRevision: row.previous_revision,
    changes: JSON.parse(row.changes) as SnapshotChanges,
  }));
}

/** A snapshot's stored rows, ordered by code (for exports and byte-for-byte checks). */
export async function readSnapshotValues(db: Database, snapshotId: string): Promise<(StoredUnitValue & { rankMedian: number; rankP5: number; rankP95: number })[]> {
  const rows = await db.all<Parameters<typeof toStoredUnitValue>[0] & { rank_median: number; rank_p5: number; rank_p95: number }>(
    `SELECT ${UNIT_VALUE_SELECT}, "rank_median", "rank_p5", "rank_p95" FROM "index_snapshot_values" WHERE "snapshot_id" = $id ORDER BY "code"`,
    { id: snapshotId },
  );
  return rows.map((row) => ({ ...toStoredUnitValue(row), rankMedian: row.rank_median, rankP5: row.rank_p5, rankP95: row.rank_p95 }));
}
