import { DomainError } from '@cityops/domain';
import type { Database } from '../database.ts';
import { DEMO_PII_SALT } from '../pii-hash.ts';
import { refreshRollups } from '../rollups.ts';
import { buildPoints, loadGrids } from './geography.ts';
import { GENERATOR_TABLES, createBlockTable, createFixedTable, createGeneratorMacros, createLookupTables, insertBlockEvents, type EventSqlParams } from './insert-events.ts';
import { writeGroundTruth, type GroundTruthManifest } from './manifest.ts';
import { plantBursts, plantClusters, plantConsumerRightsDay, plantEscalations, type PatternContext } from './patterns.ts';
import { buildTemplates } from './templates.ts';
import { buildCalendar, groupStreets, Intensity, ItemDists, lastCompleteMonth, planBaseDemand, streetPools } from './plan.ts';

export type { GroundTruthManifest, ClusterTruth, BurstTruth, EscalationTruth, SpikeTruth } from './manifest.ts';
export { readGroundTruth } from './manifest.ts';

/**
 * Scale of the demo database `pnpm start` builds on first run: 5 % of a Chengdu year per
 * month-year, ≈ 1.1 M events over 25 months, about a minute on 2 cores including rollups.
 */
export const DEMO_SCALE = 0.05;
export const DEFAULT_MONTHS = 25;

/** Events per insert statement (whole months are grouped up to this): ~5 statements at full scale. */
const STATEMENT_EVENTS = 4_000_000;

export type ProgressCallback = (done: number, total: number, label: string) => void;

export interface GenerateOptions {
  /** 1.0 = a Chengdu year per year of data (≈ 4.7 M 12345 + 5.7 M 110 + 0.2 M petitions). */
  scale: number;
  months?: number;
  seed?: number;
  /** Last month of data, 'YYYY-MM'; defaults to the month before today. */
  endMonth?: string;
  /** Salt of the reporter hashes; defaults to the public demo salt. */
  salt?: string;
  /** data/geo/boundaries: when given, event locations fall inside the grid polygons. */
  boundariesDir?: string;
  /** Replace existing events (otherwise an already filled database is refused). */
  replace?: boolean;
  /**
   * The generated world's "now" ('YYYY-MM-DD HH:MM:SS', Asia/Shanghai wall clock, at or after
   * the end of the data, at most a year later): cases received up to the end of the data
   * progress through their process (dispatch, response, closure, return visit) until this
   * instant, and it is their `updated_at`. Defaults to the end of the data when `endMonth`
   * is given (deterministic), otherwise to the start of today: a demo built mid-month shows
   * last month's cases as far along as real ones would be, instead of frozen at month end —
   * which, once the live feed moved the clock on, turned every case still open at month end
   * into an overdue one (the demo showed ~9 % overdue against a published 0.4 %).
   */
  processUntil?: string;
  /** Build the rollups too (default true). */
  rollups?: boolean;
  onProgress?: ProgressCallback;
}

export interface GenerateResult {
  events: number;
  manifest: GroundTruthManifest;
}

/** Wall-clock 'YYYY-MM-DD HH:MM:SS' → epoch ms of that wall-clock time read as UTC (the calendar's convention). */
function wallClockMs(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/** Start of today, Asia/Shanghai wall clock (China has no daylight saving). */
function startOfTodayShanghai(now = Date.now()): number {
  const wall = now + 8 * 3_600_000;
  return wall - (wall % 86_400_000);
}

function resolveProcessUntil(options: GenerateOptions, asOfMs: number): number {
  if (options.processUntil === undefined) return options.endMonth ? asOfMs : Math.max(asOfMs, startOfTodayShanghai());
  const ms = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?$/.test(options.processUntil) ? wallClockMs(options.processUntil.length === 10 ? `${options.processUntil} 00:00:00` : options.processUntil) : Number.NaN;
  if (!(ms >= asOfMs && ms <= asOfMs + 366 * 86_400_000)) {
    throw new DomainError('BAD_INPUT', `processUntil 应为数据结束后一年内的时间 YYYY-MM-DD HH:MM:SS / processUntil must be a time within a year after the end of the data: ${options.processUntil}`);
  }
  return ms;
}

function validate(options: GenerateOptions): Required<Pick<GenerateOptions, 'months' | 'seed' | 'endMonth' | 'salt'>> {
  const months = options.months ?? DEFAULT_MONTHS;
  const seed = options.seed ?? 1;
  const endMonth = options.endMonth ?? lastCompleteMonth();
  if (!(options.scale > 0 && options.scale <= 5)) throw new DomainError('BAD_INPUT', `规模应在 (0, 5] 之间 / scale must be in (0, 5]: ${options.scale}`);
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new DomainError('BAD_INPUT', `月数应为 1–120 的整数 / months must be an integer 1–120: ${months}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 2_147_483_647) throw new DomainError('BAD_INPUT', `种子应为非负整数 / seed must be a non-negative 32-bit integer: ${seed}`);
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(endMonth)) throw new DomainError('BAD_INPUT', `结束月份格式应为 YYYY-MM / endMonth must be YYYY-MM: ${endMonth}`);
  return { months, seed, endMonth, salt: options.salt ?? DEMO_PII_SALT };
}

/**
 * DuckDB settings for the event inserts, restored after (they are global to the DuckDB
 * instance: other writers during a generation are affected the same way, and harmlessly).
 *
 * - `disabled_compression_methods += dict_fsst`: compressing a row group analyses every
 *   candidate method for every string column; DICT_FSST is never the one chosen for the
 *   generated events (dictionary, FSST or constant win, same file size), yet its analysis cost
 *   ~1.5–2 µs of CPU per event (measured by copying the events of a scale 0.02 database with
 *   and without it).
 * - `disabled_optimizers = join_order, build_side_probe_side`: the lookup joins are written
 *   event stream first, lookup table second (the build side). The optimiser, misled by the
 *   temp tables' statistics and the computed join keys, otherwise built hash tables over the
 *   event stream (0.9 M rows a month with all their columns) and probed them with the small
 *   lookup tables: measured at scale 1, one month, 12.8 → 10.0 µs of CPU per event together
 *   with the next setting.
 * - `preserve_insertion_order = false`: a pipeline with hash joins cannot feed DuckDB's
 *   parallel order-preserving (batch) insert, so with the default the whole event factory ran
 *   on one thread. Unordered, each thread appends whole morsels of the id-ordered skeleton
 *   (122,880 consecutive ids), so rows stay grouped by day, source and street within a row
 *   group — what the compression needs; only the order of the row groups varies from run to
 *   run. Values never depend on the order (seeded per id).
 */
async function withInsertSettings<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const setting = async (name: string) => (await db.all<{ v: string }>(`SELECT current_setting('${name}')::VARCHAR AS v`))[0]?.v ?? '';
  const before = {
    disabled_compression_methods: await setting('disabled_compression_methods'),
    disabled_optimizers: await setting('disabled_optimizers'),
    preserve_insertion_order: await setting('preserve_insertion_order'),
  };
  const withItems = (list: string, items: string[]) => [...new Set([...list.split(','), ...items].map((m) => m.trim().toLowerCase()).filter(Boolean))].join(',');
  await db.run(`SET disabled_compression_methods = '${withItems(before.disabled_compression_methods, ['dict_fsst'])}'`);
  await db.run(`SET disabled_optimizers = '${withItems(before.disabled_optimizers, ['join_order', 'build_side_probe_side'])}'`);
  await db.run(`SET preserve_insertion_order = false`);
  try {
    return await fn();
  } finally {
    for (const [name, value] of Object.entries(before)) {
      await db.run(value === '' ? `RESET ${name}` : `SET ${name} = '${value.replaceAll("'", "''")}'`);
    }
  }
}

/**
 * Generates demo events calibrated to Chengdu (see calibration.ts), deterministic for a
 * seed, plus the ground-truth manifest of planted patterns. Everything is written in one
 * transaction: an interrupted run leaves the database as it was.
 */
export async function generateDemoData(db: Database, options: GenerateOptions): Promise<GenerateResult> {
  const { months, seed, endMonth, salt } = validate(options);
  const progress = options.onProgress ?? (() => undefined);
  const grids = await loadGrids(db);
  if (grids.length === 0) throw new DomainError('BAD_INPUT', '区划表为空，请先加载 data/geo/units.csv / the units table is empty: load data/geo/units.csv first');
  const existing = await db.all<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM "events"`);
  if ((existing[0]?.n ?? 0) > 0 && !options.replace) {
    throw new DomainError('CONFLICT', `数据库已有 ${existing[0]!.n} 条事件；如需覆盖请使用 replace / the database already holds events: pass replace to overwrite`);
  }

  progress(0, 1, 'planning');
  const calendar = buildCalendar(endMonth, months);
  const processUntilMs = resolveProcessUntil(options, calendar.asOfMs);
  const points = buildPoints(grids, seed, options.boundariesDir);
  const streets = groupStreets(grids);
  const dists = new ItemDists();
  const intensity = new Intensity(calendar, streets, options.scale);
  const blocks = planBaseDemand(seed, calendar, streets, intensity, dists);
  const ctx: PatternContext = { seed, scale: options.scale, calendar, grids, streets, points, intensity, dists, blocks, pools: streetPools(streets, grids), nextPoolId: streets.length, salt };
  const spikes = plantConsumerRightsDay(ctx);
  const clusters = plantClusters(ctx, 8);
  const bursts = plantBursts(ctx);
  const chainCount = Math.max(6, Math.round(200 * options.scale));
  const plannedBlockEvents = blocks.total;
  const templates = buildTemplates(seed);
  const escalation = plantEscalations(ctx, templates, chainCount, plannedBlockEvents + 1);
  const total = plannedBlockEvents + escalation.events.length;
  const params: EventSqlParams = {
    seed, salt, startUs: calendar.startMs * 1000, asOfUs: processUntilMs * 1000,
    reporterPool: Math.max(1000, Math.round(total * 0.04)),
  };

  const manifest: GroundTruthManifest = {
    seed, scale: options.scale, months: calendar.months, asOf: new Date(calendar.asOfMs).toISOString().slice(0, 19).replace('T', ' '),
    events: total, clusters, bursts, spikes, escalations: escalation.truths,
  };

  await db.transaction(async (tx) => {
    if (options.replace) {
      for (const table of ['events', 'rollup_daily', 'rollup_monthly', 'rollup_state', 'ground_truth']) await tx.run(`DELETE FROM "${table}"`);
    }
    progress(0, total, 'preparing');
    await withInsertSettings(tx, async () => {
      await createGeneratorMacros(tx);
      await createLookupTables(tx, seed, points, ctx.pools, dists, templates);
      progress(0, total, 'preparing blocks');
      await createBlockTable(tx, blocks);
      await createFixedTable(tx, escalation.events);
      const perDay = new Float64Array(calendar.days);
      blocks.dayIdx.forEach((d, i) => (perDay[d]! += blocks.n[i]!));
      let done = 0;
      // Ids follow the blocks' order — day, source, street — and each thread of the (unordered,
      // see withInsertSettings) insert appends whole morsels of consecutive ids, so rows that
      // share a day and a street sit together and the unit codes, H3 cells and coordinates
      // compress far better (3.8 % smaller events at scale 0.05, more at full scale where a
      // day's block of one street holds ~36 events instead of ~2). Values never depend on the
      // order (seeded per id).
      // Whole months per statement, grouped up to STATEMENT_EVENTS: every statement builds the
      // lookup hash tables again (~1.2 s of CPU for the 337 k points, the pool slots and the
      // templates), so one statement a month cost ~1.4 µs an event at scale 1.
      for (let m = 0; m < calendar.months.length;) {
        const from = calendar.monthOfDay.indexOf(m);
        let to = calendar.monthOfDay.lastIndexOf(m);
        let events = 0;
        for (let d = from; d <= to; d += 1) events += perDay[d]!;
        m += 1;
        while (m < calendar.months.length && events < STATEMENT_EVENTS) {
          const next = calendar.monthOfDay.lastIndexOf(m);
          for (let d = to + 1; d <= next; d += 1) events += perDay[d]!;
          to = next;
          m += 1;
        }
        progress(done, total, `events ${calendar.months[m - 1]}`);
        await insertBlockEvents(tx, params, from, to, m === calendar.months.length);
        done += events;
      }
    });
    progress(total, total, 'events');
    await writeGroundTruth(tx, manifest);
    await tx.run(`INSERT OR REPLACE INTO "warehouse_meta" VALUES ('generator', $value)`, {
      value: JSON.stringify({ scale: options.scale, months, seed, endMonth, events: total, processUntil: new Date(processUntilMs).toISOString().slice(0, 19).replace('T', ' ') }),
    });
    for (const table of GENERATOR_TABLES) await tx.run(`DROP TABLE IF EXISTS "${table}"`);
    if (options.rollups !== false) {
      await refreshRollups(tx, { full: true, onProgress: progress });
    }
  });
  return { events: total, manifest };
}
