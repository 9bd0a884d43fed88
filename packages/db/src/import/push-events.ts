import { SOURCES, type Source } from '@cityops/domain';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Database } from '../database.ts';
import { refreshRollups } from '../rollups.ts';
import { IMPORT_FIELDS, type ImportField } from './fields.ts';
import { createImportRun, finishImportRun } from './import-log.ts';
import { CRS_NAMES, UnitLocator } from './locate.ts';
import { createRowNormalizer, type StagedRow } from './normalize-row.ts';
import type { RawRow } from './row-schema.ts';
import { importClockFloor, prepareStaging, writeImportBatch } from './write-batch.ts';
import { storeContacts, type ContactDetails, type PiiVault } from '../pii-vault.ts';

/** Most events one push request may carry; larger batches get 413 (split them). */
export const MAX_PUSH_BATCH = 1000;
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
  /** Delay before folding pushed events into the rollups (debounced across requests). */
  refreshDelayMs?: number | undefined;
  onError?: ((error: unknown) => void) | undefined;
  /** Seals the reporters' names, phones and ID numbers (never stored in clear); without it they are dropped after masking. */
  vault?: PiiVault | undefined;
  /** Called after a batch commits with the ids of the events it inserted (e.g. to publish them live). */
  onInserted?: ((eventIds: number[]) => void) | undefined;
}

export interface PushService {
  push(request: PushRequest): Promise<PushResponse>;
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

/**
 * The push path for department systems. Requests run one at a time on the shared connection
 * (a transaction on a DuckDB connection is connection-wide). A batch is all-or-nothing: any
 * invalid item → 422 with every item's problems and nothing written, so a retry after fixing
 * the items cannot double-insert. Successful answers are stored with their idempotency key in
 * the same transaction as the events, then replayed for the same key and body.
 */
export function createPushService(db: Database, options: PushServiceOptions = {}): PushService {
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
  let locator: UnitLocator | undefined;
  let timer: NodeJS.Timeout | undefined;
  let pending = false;
  const refresh = () =>
    exclusive(async () => {
      if (!pending) return;
      pending = false;
      await refreshRollups(db);
    });
  const scheduleRefresh = () => {
    pending = true;
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      refresh().catch((failure: unknown) => options.onError?.(failure));
    }, options.refreshDelayMs ?? 500);
    // A pending refresh must not keep a finished process alive.
    timer.unref();
  };

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

    return exclusive(async () => {
      const stored = await db.all<{ bodyHash: string; status: number; response: string }>(
        `SELECT "body_hash" AS "bodyHash", "status_code" AS "status", "response" FROM "push_requests" WHERE "system" = $system AND "idempotency_key" = $key`,
        { system: request.system, key },
      );
      if (stored[0]) {
        if (stored[0].bodyHash !== bodyHash) return error(409, '同一 Idempotency-Key 已用于不同的请求体 / Idempotency-Key reused with a different body');
        return { status: stored[0].status, body: JSON.parse(stored[0].response) as Record<string, unknown>, replayed: true };
      }
      locator ??= await UnitLocator.load(db);
      const normalize = createRowNormalizer({ source: request.source, locator, crs: envelope.data.crs, salt: options.salt });
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

      const response = await db.transaction(async (tx) => {
        const runId = await createImportRun(tx, { kind: 'push', source: request.source, fileName: key, fileHash: bodyHash, optionsHash: envelope.data.crs ?? 'wgs84', system: request.system });
        await prepareStaging(tx);
        const result = await writeImportBatch(tx, {
          runId, source: request.source, origin: 'push', rows, clockFloor: await importClockFloor(tx), withOutcomes: true,
          tally: { rowsRead: rows.length, rejected: 0, lastRow: rows.length, unmappedCategories: {}, receivedFrom, receivedTo },
        });
        if (options.vault) {
          const sealed = [...contacts].map(([index, contact]) => ({ eventId: result.outcomes!.get(index)!.eventId, contact }));
          await storeContacts(tx, options.vault, sealed);
        }
        await finishImportRun(tx, runId, 'completed');
        const body = {
          importRunId: runId,
          received: rows.length,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          stale: result.stale,
          results: rows.map((row) => {
            const index = row[0] as number;
            const outcome = result.outcomes!.get(index)!;
            return { index, externalId: row[1], outcome: outcome.outcome, eventId: outcome.eventId };
          }),
        };
        await tx.run(
          `INSERT INTO "push_requests" VALUES ($system, $key, $hash, 200, $response, $run, now()::TIMESTAMP)`,
          { system: request.system, key, hash: bodyHash, response: JSON.stringify(body), run: runId },
        );
        return body;
      });
      scheduleRefresh();
      const inserted = (response.results as { outcome: string; eventId: number }[]).filter((r) => r.outcome === 'inserted').map((r) => r.eventId);
      if (inserted.length > 0) options.onInserted?.(inserted);
      return { status: 200, body: response, replayed: false };
    });
  }

  return {
    push,
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
