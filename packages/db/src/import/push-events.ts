import { SOURCES, type Source } from '@cityops/domain';
import { createHash } from 'node:crypto';
import { listValue, type DuckDBValue } from '@duckdb/node-api';
import { z } from 'zod';
import type { Database } from '../database.ts';
import { refreshRollups } from '../rollups.ts';
import { IMPORT_FIELDS, type ImportField } from './fields.ts';
import { createImportRun, finishImportRun } from './import-log.ts';
import { CRS_NAMES, UnitLocator } from './locate.ts';
import { createRowNormalizer, STAGING_COLUMNS, type StagedRow } from './normalize-row.ts';
import type { SimulatedEvent } from '../live-events.ts';
import type { RawRow } from './row-schema.ts';
import { buildEventKeyIndex, extendEventKeyIndex } from './event-key-index.ts';
import { importClockFloor, maxEventId, writeImportBatch, type RowOutcome } from './write-batch.ts';
import { storeContacts, type ContactDetails, type PiiVault } from '../pii-vault.ts';

/** Most events one push request may carry; larger batches get 413 (split them). */
export const MAX_PUSH_BATCH = 1000;
/** Inserted events after which the key index folds in the newest ones (see extendEventKeyIndex). */
const KEY_INDEX_EXTEND_EVERY = 20_000;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

const cell = z.union([z.string().max(4000), z.number(), z.boolean()]).nullish();
/**
 * One pushed event: the same fields as a spreadsheet row (see fields.ts), values as JSON
 * strings, numbers or booleans; labels in Chinese as in the exports, or the codes.
 */
export const pushEventSchema = z.strictObject(Object.fromEntries(IMPORT_FIELDS.map((field) => [field, cell])) as Record<ImportField, typeof cell>);
export const pushBodySchema = z.strictObject({
  /** Coordinate system of every lng/lat in the batch (default wgs84). */
  crs: z.enum(CRS_NAMES).optional(),
  events: z.array(pushEventSchema).min(1).max(MAX_PUSH_BATCH),
});
const pushEnvelopeSchema = z.strictObject({ crs: z.enum(CRS_NAMES).optional(), events: z.array(z.unknown()).min(1) });

export interface PushItemError {
  index: number;
  externalId: string | null;
  field: string;
  reason: string;
}

export interface PushRequest {
  system: string;
  source: Source;
  idempotencyKey: string | undefined;
  body: unknown;
}

export interface PushResponse {
  status: number;
  body: Record<string, unknown>;
  /** True when this is the stored answer to an earlier request with the same key and body. */
  replayed: boolean;
}

export interface PushServiceOptions {
  salt?: string | undefined;
  /** Quiet gap (no push committed) after which pushed events are folded into the rollups (default 500 ms). */
  refreshDelayMs?: number | undefined;
  /** Under a steady push stream, the longest a pushed event waits for the rollups (default 10 s; longer if a refresh takes over a ninth of it). */
  maxRefreshLagMs?: number | undefined;
  /** Failures after the commit (rollup refresh, onInserted): the pushes themselves succeeded. */
  onError?: ((error: unknown) => void) | undefined;
  /** Seals the reporters' names, phones and ID numbers (never stored in clear); without it they are dropped after masking. */
  vault?: PiiVault | undefined;
  /**
   * Called after a batch commits with the ids of the events it inserted and those events as
   * the live stream carries them (built from the committed rows, so publishing needs no read).
   */
  onInserted?: ((eventIds: number[], events: SimulatedEvent[]) => void) | undefined;
  /** Diagnostics: one line per written group and per rollup refresh (timings only, no data). */
  trace?: ((line: string) => void) | undefined;
}

export interface PushService {
  push(request: PushRequest): Promise<PushResponse>;
  /** Loads what the first request would otherwise wait for (the unit locator, the top event id). */
  prime(): Promise<void>;
  /** Runs a pending rollup refresh now (tests, shutdown). */
  flushRollups(): Promise<void>;
  close(): void;
}

/** JSON with sorted keys, so the same body hashes the same whatever the sender's key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const error = (status: number, message: string, extra: Record<string, unknown> = {}): PushResponse => ({ status, body: { error: message, ...extra }, replayed: false });

/** A valid request waiting for its write transaction. */
interface PreparedPush {
  system: string;
  source: Source;
  key: string;
  bodyHash: string;
  crs: string;
  rows: StagedRow[];
  externalIds: string[];
  contacts: Map<number, ContactDetails>;
  receivedFrom: string | null;
  receivedTo: string | null;
  resolve: (response: PushResponse) => void;
  reject: (failure: unknown) => void;
  /** performance.now() when queued (diagnostics). */
  queuedAt: number;
}

const column = (name: string): number => STAGING_COLUMNS.findIndex(([columnName]) => columnName === name);
const LIVE_COLUMNS = {
  item: column('category'), urgency: column('urgency'), districtCode: column('district_code'), streetCode: column('street_code'),
  communityCode: column('community_code'), gridCode: column('grid_code'), lng: column('lng'), lat: column('lat'),
  receivedAt: column('received_at'), summary: column('summary'),
};

/**
 * An inserted event as the live stream carries it (no personal data), from its staged row:
 * write-batch.ts inserts the staged values unchanged (timestamps cast from the same
 * 'YYYY-MM-DD HH:MM:SS' text), so this equals what `readLiveEvents` would read back.
 */
function liveEventOf(id: number, source: Source, row: StagedRow): SimulatedEvent {
  const text = (index: number) => String(row[index] ?? '');
  return {
    id, source, item: text(LIVE_COLUMNS.item), urgency: text(LIVE_COLUMNS.urgency), districtCode: text(LIVE_COLUMNS.districtCode),
    streetCode: text(LIVE_COLUMNS.streetCode), communityCode: text(LIVE_COLUMNS.communityCode), gridCode: text(LIVE_COLUMNS.gridCode),
    lng: Number(row[LIVE_COLUMNS.lng]), lat: Number(row[LIVE_COLUMNS.lat]), receivedAt: text(LIVE_COLUMNS.receivedAt), summary: text(LIVE_COLUMNS.summary),
  };
}

/** Most events written in one transaction (several requests share one when they queue up). */
const MAX_GROUP_EVENTS = 5000;

/**
 * Takes the queue's leading requests that can share one transaction: same system (hence
 * source), distinct idempotency keys and disjoint external ids (a batch needs unique ids), at
 * most MAX_GROUP_EVENTS events. The others stay queued, in order, for the next transaction.
 */
function takeGroup(queue: PreparedPush[]): PreparedPush[] {
  const first = queue[0]!;
  const group: PreparedPush[] = [];
  const keys = new Set<string>();
  const ids = new Set<string>();
  let events = 0;
  for (let i = 0; i < queue.length; ) {
    const item = queue[i]!;
    const fits = item.system === first.system && !keys.has(item.key) && item.externalIds.every((id) => !ids.has(id)) && (group.length === 0 || events + item.rows.length <= MAX_GROUP_EVENTS);
    if (!fits) {
      i += 1;
      continue;
    }
    queue.splice(i, 1);
    group.push(item);
    keys.add(item.key);
    for (const id of item.externalIds) ids.add(id);
    events += item.rows.length;
  }
  return group;
}

/**
 * The push path for department systems. Validation runs per request; writes run one
 * transaction at a time on a connection of their own, and the requests that queued while one
 * was being written are written together in the next (group commit): one import run, one
 * staging pass and one commit for all of them, each still answered with its own outcomes.
 * That keeps up with many small requests, where a transaction per request cannot (each scans
 * columns of the whole events table). A request is all-or-nothing: any invalid item → 422 with
 * every item's problems and nothing written, so a retry after fixing the items cannot
 * double-insert. Successful answers are stored with their idempotency key in the same
 * transaction as the events, then replayed for the same key and body. Should a shared
 * transaction fail, each of its requests is retried alone, so one cannot fail the others.
 */
export function createPushService(db: Database, options: PushServiceOptions = {}): PushService {
  let locator: Promise<UnitLocator> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  // Rollup refresh: single flight, on its own transaction. It writes only the rollup tables,
  // so it runs beside push transactions (which write events) instead of queueing them.
  let refreshing: Promise<void> | undefined;
  let lastRefreshMs = 0;
  const refresh = async (): Promise<void> => {
    while (refreshing) await refreshing.catch(() => undefined);
    if (!pending) return;
    pending = false;
    pendingSince = 0;
    const started = Date.now();
    refreshing = refreshRollups(db).then(() => undefined);
    try {
      await refreshing;
    } finally {
      refreshing = undefined;
      lastRefreshMs = Date.now() - started;
      options.trace?.(`[trace] rollup refresh ${lastRefreshMs} ms`);
      // Events pushed while the refresh ran are folded in by the next one.
      if (pending) scheduleRefresh();
    }
  };
  // When the first event not yet in the rollups committed (0: none pending).
  let pendingSince = 0;
  /**
   * Pushes win over the rollups. A refresh costs seconds of both cores at full scale and slows
   * every push transaction beside it (CPU: DuckDB's two threads), so it waits for a quiet gap —
   * no push committed, queued or being written for refreshDelayMs — and under a steady stream runs at most once per
   * max(maxRefreshLagMs, 9 × its last duration) after the first pending event (≤ 10 % of the
   * time refreshing). Pushed events still reach the rollups within seconds: the gap after a
   * burst, or the lag bound.
   */
  function scheduleRefresh(): void {
    const now = Date.now();
    if (pendingSince === 0) pendingSince = now;
    pending = true;
    if (refreshing) return;
    if (timer) clearTimeout(timer);
    const lagBound = Math.max(options.maxRefreshLagMs ?? 10_000, 9 * lastRefreshMs);
    const due = Math.min(now + (options.refreshDelayMs ?? 500), pendingSince + lagBound);
    timer = setTimeout(() => {
      timer = undefined;
      // Pushes queued or being written: no quiet gap yet (a long transaction commits nothing
      // for a while), unless the lag bound is reached.
      if ((writing || queue.length > 0) && Date.now() < pendingSince + lagBound) {
        scheduleRefresh();
        return;
      }
      refresh().catch((failure: unknown) => options.onError?.(failure));
    }, Math.max(0, due - now));
    // A pending refresh must not keep a finished process alive.
    timer.unref();
  }

  const queue: PreparedPush[] = [];
  let writing = false;
  let insertedSinceExtension = 0;
  const drain = async () => {
    if (writing) return;
    writing = true;
    try {
      while (queue.length > 0) {
        const group = takeGroup(queue);
        try {
          await writeGroup(group);
        } catch (failure) {
          if (group.length === 1) {
            group[0]!.reject(failure);
            continue;
          }
          for (const item of group) {
            await writeGroup([item]).catch((alone: unknown) => item.reject(alone));
          }
        }
      }
    } finally {
      writing = false;
    }
  };

  async function storedAnswers(reader: Database, system: string, keys: readonly string[]): Promise<Map<string, { bodyHash: string; status: number; response: string }>> {
    const rows = await reader.all<{ key: string; bodyHash: string; status: number; response: string }>(
      `SELECT "idempotency_key" AS "key", "body_hash" AS "bodyHash", "status_code" AS "status", "response" FROM "push_requests"
       WHERE "system" = $system AND list_contains($keys, "idempotency_key")`,
      { system, keys: listValue([...keys]) },
    );
    return new Map(rows.map((row) => [row.key, row]));
  }

  function replayOf(stored: { bodyHash: string; status: number; response: string }, bodyHash: string): PushResponse {
    if (stored.bodyHash !== bodyHash) return error(409, '同一 Idempotency-Key 已用于不同的请求体 / Idempotency-Key reused with a different body');
    return { status: stored.status, body: JSON.parse(stored.response) as Record<string, unknown>, replayed: true };
  }

  async function writeGroup(group: PreparedPush[]): Promise<void> {
    const first = group[0]!;
    const writeStarted = performance.now();
    const answers = new Map<PreparedPush, PushResponse>();
    const inserted: number[] = [];
    const live: SimulatedEvent[] = [];
    const stages: string[] = [];
    let stageStarted = performance.now();
    const stage = (name: string) => {
      if (!options.trace) return;
      const now = performance.now();
      stages.push(`${name} ${(now - stageStarted).toFixed(0)}`);
      stageStarted = now;
    };
    await db.transaction(async (tx) => {
      stage('begin');
      // Keys stored by an earlier transaction (e.g. the same request sent twice at once).
      const stored = await storedAnswers(tx, first.system, group.map((item) => item.key));
      stage('keys');
      const fresh = group.filter((item) => {
        const found = stored.get(item.key);
        if (found) answers.set(item, replayOf(found, item.bodyHash));
        return !found;
      });
      if (fresh.length === 0) return;
      const bodyHash = fresh.length === 1 ? first.bodyHash : createHash('sha256').update(fresh.map((item) => item.bodyHash).join(',')).digest('hex');
      const runId = await createImportRun(tx, {
        kind: 'push', source: first.source, fileName: fresh.map((item) => item.key).join(' ').slice(0, 1000), fileHash: bodyHash,
        optionsHash: [...new Set(fresh.map((item) => item.crs))].join(','), system: first.system,
      });
      // Row numbers unique across the group; each maps back to (request, item index).
      const owner: { item: PreparedPush; index: number }[] = [];
      const rows: StagedRow[] = [];
      let receivedFrom: string | null = null;
      let receivedTo: string | null = null;
      for (const item of fresh) {
        for (const row of item.rows) {
          const staged = [...row];
          owner.push({ item, index: row[0] as number });
          staged[0] = owner.length - 1;
          rows.push(staged);
        }
        if (item.receivedFrom !== null && (receivedFrom === null || item.receivedFrom < receivedFrom)) receivedFrom = item.receivedFrom;
        if (item.receivedTo !== null && (receivedTo === null || item.receivedTo > receivedTo)) receivedTo = item.receivedTo;
      }
      stage('run');
      const result = await writeImportBatch(tx, {
        runId, source: first.source, origin: 'push', rows, clockFloor: await importClockFloor(tx), withOutcomes: true,
        tally: { rowsRead: rows.length, rejected: 0, lastRow: rows.length, unmappedCategories: {}, receivedFrom, receivedTo },
      });
      stage('batch');
      const outcomes = result.outcomes!;
      if (options.vault) {
        const sealed: { eventId: number; contact: ContactDetails }[] = [];
        owner.forEach(({ item, index }, rowNo) => {
          const contact = item.contacts.get(index);
          if (contact) sealed.push({ eventId: outcomes.get(rowNo)!.eventId, contact });
        });
        await storeContacts(tx, options.vault, sealed);
      }
      await finishImportRun(tx, runId, 'completed');
      const bodies = new Map<PreparedPush, { index: number; externalId: unknown; outcome: RowOutcome; eventId: number }[]>(fresh.map((item) => [item, []]));
      owner.forEach(({ item, index }, rowNo) => {
        const outcome = outcomes.get(rowNo)!;
        bodies.get(item)!.push({ index, externalId: rows[rowNo]![1], outcome: outcome.outcome, eventId: outcome.eventId });
        if (outcome.outcome === 'inserted') {
          inserted.push(outcome.eventId);
          live.push(liveEventOf(outcome.eventId, first.source, rows[rowNo]!));
        }
      });
      const params: Record<string, DuckDBValue> = { system: first.system, run: runId };
      const values: string[] = [];
      fresh.forEach((item, i) => {
        const results = bodies.get(item)!;
        const count = (outcome: RowOutcome) => results.filter((r) => r.outcome === outcome).length;
        const body = {
          importRunId: runId, received: item.rows.length, inserted: count('inserted'), updated: count('updated'), unchanged: count('unchanged'), stale: count('stale'), results,
        };
        answers.set(item, { status: 200, body, replayed: false });
        params[`key_${i}`] = item.key;
        params[`hash_${i}`] = item.bodyHash;
        params[`response_${i}`] = JSON.stringify(body);
        values.push(`($system, $key_${i}, $hash_${i}, 200, $response_${i}, $run, now()::TIMESTAMP)`);
      });
      await tx.run(`INSERT INTO "push_requests" VALUES ${values.join(', ')}`, params);
      stage('answers');
    });
    stage('commit');
    if (inserted.length > 0) {
      // Fold the newest events into the key index now and then, so the tail each batch reads
      // above its watermark stays a few row groups long.
      insertedSinceExtension += inserted.length;
      if (insertedSinceExtension >= KEY_INDEX_EXTEND_EVERY) {
        insertedSinceExtension = 0;
        extendEventKeyIndex(db).catch((failure: unknown) => options.onError?.(failure));
      }
      scheduleRefresh();
      // In the order readLiveEvents returns them: by reception time, then id.
      live.sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id - b.id));
      // The batch is committed: a failing listener must not turn its answers into errors.
      try {
        options.onInserted?.(inserted, live);
      } catch (failure) {
        options.onError?.(failure);
      }
    }
    if (options.trace) {
      const waited = Math.max(...group.map((item) => writeStarted - item.queuedAt));
      options.trace(`[trace] push group ${group.length} req ${inserted.length} ev: queued ≤${waited.toFixed(0)} ms, tx ${(performance.now() - writeStarted).toFixed(0)} ms [${stages.join(', ')}]${refreshing ? ' (refresh running)' : ''}`);
    }
    for (const item of group) item.resolve(answers.get(item)!);
  }

  async function push(request: PushRequest): Promise<PushResponse> {
    if (!SOURCES.includes(request.source)) return error(500, `令牌配置的来源无效: ${request.source}`);
    if (!request.idempotencyKey || !IDEMPOTENCY_KEY_PATTERN.test(request.idempotencyKey)) {
      return error(400, '缺少或无效的 Idempotency-Key 请求头（1–128 位字母、数字或 ._:-） / missing or invalid Idempotency-Key header');
    }
    const envelope = pushEnvelopeSchema.safeParse(request.body);
    if (!envelope.success) {
      return error(400, '请求体应为 {"events": [...]} / body must be {"events": [...]}', { issues: envelope.error.issues.map((issue) => ({ path: issue.path.join('.'), reason: issue.message })) });
    }
    if (envelope.data.events.length > MAX_PUSH_BATCH) return error(413, `每批最多 ${MAX_PUSH_BATCH} 条事件，收到 ${envelope.data.events.length} 条 / at most ${MAX_PUSH_BATCH} events per request`);
    const bodyHash = createHash('sha256').update(canonicalJson(request.body)).digest('hex');
    const key = request.idempotencyKey;

    // A stored answer is replayed at once (re-checked inside the write transaction too).
    const stored = (await storedAnswers(db, request.system, [key])).get(key);
    if (stored) return replayOf(stored, bodyHash);

    locator ??= UnitLocator.load(db).catch((failure: unknown) => {
      locator = undefined;
      throw failure;
    });
    const normalize = createRowNormalizer({ source: request.source, locator: await locator, crs: envelope.data.crs, salt: options.salt });
    const errors: PushItemError[] = [];
    const rows: StagedRow[] = [];
    const seen = new Map<string, number>();
    const contacts = new Map<number, ContactDetails>();
    let receivedFrom: string | null = null;
    let receivedTo: string | null = null;
    envelope.data.events.forEach((item, index) => {
      const shaped = pushEventSchema.safeParse(item);
      const externalId = item && typeof item === 'object' && 'externalId' in item ? String((item as { externalId: unknown }).externalId) : null;
      if (!shaped.success) {
        for (const issue of shaped.error.issues) errors.push({ index, externalId, field: issue.path.join('.') || '(item)', reason: issue.message });
        return;
      }
      const raw: RawRow = {};
      for (const [field, value] of Object.entries(shaped.data) as [ImportField, string | number | boolean | null | undefined][]) {
        if (value === null || value === undefined || String(value).trim() === '') continue;
        raw[field] = typeof value === 'boolean' ? (value ? '是' : '否') : String(value).trim();
      }
      const result = normalize(raw);
      if (!result.ok) {
        for (const problem of result.problems) errors.push({ index, externalId, field: problem.field, reason: problem.reason });
        return;
      }
      const first = seen.get(result.externalId);
      if (first !== undefined) {
        errors.push({ index, externalId, field: 'externalId', reason: `与第 ${first} 项编号重复 / duplicates item ${first}` });
        return;
      }
      seen.set(result.externalId, index);
      if (raw.reporterName || raw.phone || raw.idNumber) contacts.set(index, { name: raw.reporterName ?? null, phone: raw.phone ?? null, idNumber: raw.idNumber ?? null });
      result.row[0] = index;
      rows.push(result.row);
      if (receivedFrom === null || result.receivedAt < receivedFrom) receivedFrom = result.receivedAt;
      if (receivedTo === null || result.receivedAt > receivedTo) receivedTo = result.receivedAt;
    });
    if (errors.length > 0) {
      return error(422, `${new Set(errors.map((e) => e.index)).size} 项无效，整批未写入 / invalid items, nothing was written`, { errors });
    }
    return new Promise<PushResponse>((resolve, reject) => {
      queue.push({
        system: request.system, source: request.source, key, bodyHash, crs: envelope.data.crs ?? 'wgs84', rows, externalIds: [...seen.keys()], contacts,
        receivedFrom, receivedTo, resolve, reject, queuedAt: performance.now(),
      });
      void drain();
    });
  }

  return {
    push,
    async prime() {
      locator ??= UnitLocator.load(db).catch((failure: unknown) => {
        locator = undefined;
        throw failure;
      });
      await locator;
      await maxEventId(db);
      // The key index spares every batch a scan of the events' key column (see event-key-index.ts).
      await buildEventKeyIndex(db, options.trace);
    },
    async flushRollups() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      await refresh();
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
