import type { ChunkColumn, Database } from '../database.ts';

/**
 * An in-memory index of the events' (source, external_id) keys, so a write batch finds the
 * events it updates without the join that reads the whole key column of `events` (at full
 * scale 22 M unsorted strings: 150–250 ms a batch, every batch; zone maps cannot help).
 *
 * It holds no keys, only DuckDB's 64-bit `hash(source, external_id)` of each event up to a
 * watermark id, split in two: the high 32 bits pick the slot of an open-addressing table, the
 * low 32 bits are stored as a fingerprint beside the event id. A probe therefore yields the ids
 * of the events whose key *may* be the one asked for (a false hit has odds of ~2⁻³² per slot
 * visited); the caller verifies every candidate against the real row (`WHERE id IN (…)`) and
 * reads the tail above the watermark (`id > watermark`, zone maps skip the rest) for the
 * events written since. That stays exact as long as
 *  - the key of an event never changes (writers only ever set the same external id again),
 *    and no event is deleted and its id reused (ids only grow: new events take max(id) + n);
 *  - a new event's id is above the watermark: the index is built from committed rows, outside
 *    any transaction, and the watermark is the largest id it read.
 * Memory: 8 bytes a slot, 1.5 slots an event (≈ 270 MB at 22 M events); nothing on disk (a
 * persisted key index would not fit the database's size budget).
 *
 * Hashes come from DuckDB, so the build and the probes agree; they are only valid within one
 * process (DuckDB's hash is not a stable format), which is all an in-memory index needs.
 */
export class EventKeyIndex {
  private fingerprints: Uint32Array;
  private ids: Uint32Array;
  private mask: number;
  private entries = 0;
  /** Every event with an id ≤ this one (committed when it was read) is in the index. */
  watermark: bigint;

  private constructor(slots: number, watermark: bigint) {
    this.fingerprints = new Uint32Array(slots);
    this.ids = new Uint32Array(slots);
    this.mask = slots - 1;
    this.watermark = watermark;
  }

  /** Empty index sized for `expected` entries (load ≤ 2/3), with the watermark given. */
  static withCapacity(expected: number, watermark: bigint): EventKeyIndex {
    let slots = 1024;
    while (slots < expected * 1.5) slots *= 2;
    return new EventKeyIndex(slots, watermark);
  }

  get size(): number {
    return this.entries;
  }

  /** True when the table is fuller than 85 %: probes get long, time to rebuild a larger one. */
  get crowded(): boolean {
    return this.entries > (this.mask + 1) * 0.85;
  }

  /** Adds one event: the two halves of its key hash and its id (1 … 2³²−1). */
  add(high: number, low: number, id: number): void {
    if (this.entries >= this.mask) throw new RangeError('event key index full');
    const fingerprint = low === 0 ? 1 : low;
    let slot = high & this.mask;
    while (this.fingerprints[slot] !== 0) slot = (slot + 1) & this.mask;
    this.fingerprints[slot] = fingerprint;
    this.ids[slot] = id;
    this.entries += 1;
  }

  /** Ids of the events whose key hash has these halves (a superset of the real matches), pushed onto `into`. */
  candidates(high: number, low: number, into: number[]): void {
    const fingerprint = low === 0 ? 1 : low;
    let slot = high & this.mask;
    while (this.fingerprints[slot] !== 0) {
      if (this.fingerprints[slot] === fingerprint) into.push(this.ids[slot]!);
      slot = (slot + 1) & this.mask;
    }
  }

  /**
   * Reads the key hashes of the committed events with an id in (after, upTo] from `db` (a plain
   * read, outside any transaction: rows of a transaction that may yet roll back must never be
   * indexed) into this index; returns how many it added.
   */
  async load(db: Database, after: bigint, upTo: bigint): Promise<number> {
    let added = 0;
    await db.streamChunks(
      // hash once per row: the halves are taken from the subquery's column.
      `SELECT ("key_hash" >> 32)::UINTEGER AS "high", ("key_hash" & 4294967295)::UINTEGER AS "low", "id"::UINTEGER AS "id"
       FROM (SELECT hash("source"::VARCHAR, "external_id"::VARCHAR) AS "key_hash", "id" FROM "events" WHERE "id" > ${after} AND "id" <= ${upTo})`,
      (columns, rows) => {
        const [high, low, id] = columns as [ChunkColumn, ChunkColumn, ChunkColumn];
        for (let i = 0; i < rows; i += 1) this.add(high.getItem(i) as number, low.getItem(i) as number, id.getItem(i) as number);
        added += rows;
      },
    );
    return added;
  }
}

/**
 * The two 32-bit halves of a key's hash, as SQL over a source and an external id expression
 * (both hashed as VARCHAR, so the ENUM column and a string parameter hash alike).
 */
export const keyHashHigh = (source: string, externalId: string) => `(hash(${source}::VARCHAR, ${externalId}::VARCHAR) >> 32)::UINTEGER`;
export const keyHashLow = (source: string, externalId: string) => `(hash(${source}::VARCHAR, ${externalId}::VARCHAR) & 4294967295)::UINTEGER`;

/** Largest id the index can hold (ids are stored as 32-bit). */
const MAX_INDEXED_ID = 4_294_967_295n;

interface IndexSlot {
  index: EventKeyIndex | undefined;
  building: Promise<void> | undefined;
  /** Set by dropEventKeyIndex: a build still running must not install its result. */
  generation: number;
}

/** Per database file (a file is opened once per process; see openDatabase). */
const indexes = new Map<string, IndexSlot>();

function slotOf(path: string): IndexSlot {
  let slot = indexes.get(path);
  if (!slot) {
    slot = { index: undefined, building: undefined, generation: 0 };
    indexes.set(path, slot);
  }
  return slot;
}

/** The ready index of a database file, if one was built in this process. */
export function eventKeyIndexOf(db: Database): EventKeyIndex | undefined {
  return indexes.get(db.path)?.index;
}

/**
 * Builds the index of `db`'s events (committed rows, read outside any transaction) unless one
 * is ready, or a larger one when the current one is crowded; single flight per file. Until it is ready, write
 * batches match keys with the full join.
 */
export function buildEventKeyIndex(db: Database, log?: (line: string) => void): Promise<void> {
  const slot = slotOf(db.path);
  if (slot.building) return slot.building;
  // Built once per process (seconds of both cores at full scale); again only when crowded.
  if (slot.index && !slot.index.crowded) return Promise.resolve();
  const generation = slot.generation;
  slot.building = (async () => {
    const started = performance.now();
    const stats = (await db.all<{ rows: number; top: bigint | null }>(`SELECT count(*)::DOUBLE AS "rows", max("id") AS "top" FROM "events"`))[0]!;
    const top = stats.top ?? 0n;
    if (top > MAX_INDEXED_ID) {
      log?.(`[push] event key index skipped: ids above 2^32`);
      return;
    }
    // Headroom for the events written while the server runs before a rebuild is needed.
    const index = EventKeyIndex.withCapacity(stats.rows + 1_000_000, top);
    await index.load(db, -1n, top);
    if (slot.generation !== generation) return;
    slot.index = index;
    log?.(`[push] event key index: ${index.size} events in ${(performance.now() - started).toFixed(0)} ms`);
  })().finally(() => {
    slot.building = undefined;
  });
  return slot.building;
}

/**
 * Folds the committed events above the index's watermark into it (cheap: zone maps skip all
 * but the newest row groups), so the tail every batch reads stays short. Call outside any
 * transaction; rebuilds in the background when the table gets crowded.
 */
export async function extendEventKeyIndex(db: Database): Promise<void> {
  const slot = indexes.get(db.path);
  const index = slot?.index;
  if (!slot || !index || slot.building) return;
  const generation = slot.generation;
  const top = (await db.all<{ top: bigint | null }>(`SELECT max("id") AS "top" FROM "events" WHERE "id" >= ${index.watermark}`))[0]?.top ?? null;
  if (top === null || top <= index.watermark || slot.index !== index || slot.generation !== generation) return;
  if (top > MAX_INDEXED_ID) {
    dropEventKeyIndex(db);
    return;
  }
  const from = index.watermark;
  // Single flight: a second extension waits for the build slot to clear.
  slot.building = (async () => {
    await index.load(db, from, top);
    index.watermark = top;
  })().finally(() => {
    slot.building = undefined;
  });
  await slot.building;
  if (index.crowded) void buildEventKeyIndex(db);
}

/** Forgets the index of `db`'s file (tests; after a bulk change of keys). */
export function dropEventKeyIndex(db: Database): void {
  const slot = slotOf(db.path);
  slot.generation += 1;
  slot.index = undefined;
}
