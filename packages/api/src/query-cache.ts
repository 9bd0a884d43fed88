import type { Scope } from '@cityops/domain';

interface CacheEntry {
  expires: number;
  value: Promise<unknown>;
  renewing: boolean;
  /** What computed the value: a hit that serves the entry without a context renews with it. */
  compute: () => Promise<unknown>;
  /** The value once it resolved (a hit can then be answered without waiting on the promise). */
  settled?: { value: unknown };
  /** The tRPC response body of the value, serialized on first use and reused by every later hit. */
  json?: string;
  /** When its query started, and the write generation then (see `quiet`). */
  started: number;
  generation: number;
}

/**
 * A short-lived, scope-keyed cache of read-only dashboard answers, with single flight: fifty
 * big screens asking for the same month's figures cost one query, not fifty queued on the
 * database connection. Correctness rules:
 *  - the key holds the procedure, its input and the caller's whole scope (role, territory,
 *    items, grids), so an answer is only ever served to a caller with the same scope, and the
 *    scope check inside the query ran for that scope;
 *  - failures are not cached (a FORBIDDEN is recomputed each time, and so is a transient error);
 *  - entries live `ttlMs` (default 10 s) and the server clears the cache after it folds new
 *    events into the rollups, publishes an index or runs alerts, so the dashboards never lag
 *    the data by more than the TTL;
 *  - only aggregate reads use it: work orders, event details (audited) and exports never do;
 *  - with `quiet` (the server's database handle): an entry whose answer was computed after the
 *    last write through the handle (`writeGeneration` unchanged since its query started) holds
 *    exactly what a recompute would return, bar the clock, so it is kept — not recomputed — for
 *    up to `quiet.maxAgeMs` (default 5 min), a TTL at a time; after a write it is renewed or expires at
 *    the end of its current TTL, so an answer still never lags a write by more than the TTL.
 */
export class QueryCache {
  private readonly entries = new Map<string, CacheEntry>();
  /** Bumped by `clear()`: a renewal started before it must not store its (older) answer after it. */
  private epoch = 0;
  hits = 0;
  misses = 0;
  renewals = 0;
  extended = 0;

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 5_000,
    private readonly now: () => number = Date.now,
    /**
     * Refresh-ahead: a hit in the last `renewMs` of an entry's life starts recomputing it in the
     * background, and the new answer replaces the entry when ready. A key in steady use is thus
     * never expired when asked for, so callers do not queue behind a slow recompute (seconds for
     * some city-wide answers at full scale), and no answer served is older than the TTL.
     */
    private readonly renewMs = Math.floor(ttlMs * 0.3),
    private readonly quiet?: { writeGeneration: () => number; maxAgeMs?: number },
  ) {}

  private generation(): number {
    return this.quiet?.writeGeneration() ?? 0;
  }

  /**
   * Nothing written since the entry's query started: it is extended (up to the quiet maximum)
   * instead of being recomputed or dropped. Returns whether it was.
   */
  private extendIfQuiet(entry: CacheEntry, now: number): boolean {
    if (!this.quiet || !entry.settled || entry.generation !== this.generation()) return false;
    const until = Math.min(now + this.ttlMs, entry.started + (this.quiet.maxAgeMs ?? 300_000));
    if (until - now <= this.renewMs) return false;
    entry.expires = until;
    this.extended += 1;
    return true;
  }

  read<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const found = this.fresh(key);
    if (found) return found.value as Promise<T>;
    this.misses += 1;
    const generation = this.generation();
    const value = compute();
    const started = this.now();
    this.store(key, { expires: started + this.ttlMs, value, renewing: false, compute, started, generation });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) {
      // Maps iterate in insertion order: drop the oldest tenth.
      let drop = Math.ceil(this.maxEntries / 10);
      for (const oldKey of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(oldKey);
      }
    }
    return value;
  }

  /**
   * The tRPC response body (`{"result":{"data":…}}`) of a fresh, already computed entry, or
   * undefined (absent, expired, still computing or failed: the caller then takes the ordinary
   * path). Counts as a hit, with the same refresh-ahead as `read`. The body is serialized once
   * per entry, so fifty screens polling one answer cost one JSON.stringify, not fifty.
   */
  readResponseBody(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry?.settled || !this.fresh(key)) return undefined;
    entry.json ??= JSON.stringify({ result: { data: entry.settled.value } });
    return entry.json;
  }

  /** A live entry for `key` (counted as a hit, renewed when due), or undefined. */
  private fresh(key: string): CacheEntry | undefined {
    const found = this.entries.get(key);
    const now = this.now();
    if (!found || (found.expires <= now && !this.extendIfQuiet(found, now))) return undefined;
    this.hits += 1;
    if (!found.renewing && found.expires - now <= this.renewMs && !this.extendIfQuiet(found, now)) this.renew(key, found);
    return found;
  }

  private store(key: string, entry: CacheEntry): void {
    this.entries.set(key, entry);
    entry.value.then(
      (value) => {
        entry.settled = { value };
      },
      () => undefined,
    );
  }

  private renew(key: string, entry: CacheEntry): void {
    entry.renewing = true;
    this.renewals += 1;
    const epoch = this.epoch;
    const started = this.now();
    const generation = this.generation();
    entry.compute().then(
      (result) => {
        // Stored only if nothing cleared the cache meanwhile; it expires a TTL after it started.
        if (epoch === this.epoch && this.entries.get(key) === entry) {
          this.entries.set(key, { expires: started + this.ttlMs, value: Promise.resolve(result), renewing: false, compute: entry.compute, settled: { value: result }, started, generation });
        }
      },
      () => {
        entry.renewing = false; // a failed renewal leaves the entry to expire; the next miss retries
      },
    );
  }

  clear(): void {
    this.epoch += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Everything about a scope that can change what a query returns. */
export function scopeKey(scope: Scope): string {
  return [scope.role, scope.unitCode, scope.items?.join(',') ?? '*', scope.gridCodes?.join(',') ?? '*', scope.departmentCode ?? '-'].join('|');
}

/** Runs `compute` through the context's cache when the server has one (tests without one read directly). */
export function cachedRead<T>(ctx: { queryCache?: QueryCache | undefined; scope: Scope }, path: string, input: unknown, compute: () => Promise<T>): Promise<T> {
  if (!ctx.queryCache) return compute();
  return ctx.queryCache.read(cacheKey(path, input, ctx.scope), compute);
}

/** The cache key of a procedure's answer: its path, its parsed input and the caller's whole scope. */
export function cacheKey(path: string, input: unknown, scope: Scope): string {
  return `${path}\u0000${JSON.stringify(input)}\u0000${scopeKey(scope)}`;
}

/**
 * Shared reads for answers that must reflect every committed write (the work-order desk): a
 * caller shares an identical query's answer (same procedure, input and whole scope) only if
 * nothing was written through the database handle since that query started
 * (`writeGeneration`), so the shared answer reflects every write committed before the caller
 * arrived — the same answer it would have got by running its own query. A finished answer is
 * shared for at most `maxAgeMs` after its query started, and one older than `renewAfterMs` is
 * recomputed in the background (the next callers get the new one), so fifty desks polling one
 * list cost a query every `renewAfterMs`, not fifty queued queries. What may lag is only the
 * clock ("now" of an SLA status, judged when the query started): at most `maxAgeMs`.
 */
interface FreshEntry {
  generation: number;
  started: number;
  value: Promise<unknown>;
  settled?: { value: unknown };
  renewing: boolean;
  compute: () => Promise<unknown>;
  /** The tRPC response body of the settled value, serialized once. */
  json?: string;
}

export class FreshReads {
  private readonly entries = new Map<string, FreshEntry>();
  joined = 0;

  constructor(
    private readonly maxAgeMs = 2000,
    private readonly renewAfterMs = 1000,
    private readonly now: () => number = () => performance.now(),
    private readonly maxEntries = 1000,
  ) {}

  read<T>(key: string, generation: number, compute: () => Promise<T>): Promise<T> {
    const found = this.shareable(key, generation);
    if (found) return found.value as Promise<T>;
    return this.start(key, generation, compute, true);
  }

  /**
   * The tRPC response body of a finished answer `read` would share right now (same write
   * generation, young enough), or undefined. Counts and renews like `read`.
   */
  readResponseBody(key: string, generation: number): string | undefined {
    const found = this.entries.get(key);
    if (!found?.settled || !this.shareable(key, generation)) return undefined;
    found.json ??= JSON.stringify({ result: { data: found.settled.value } });
    return found.json;
  }

  private shareable(key: string, generation: number): FreshEntry | undefined {
    const found = this.entries.get(key);
    const now = this.now();
    if (!found || found.generation !== generation || (found.settled && now - found.started > this.maxAgeMs)) return undefined;
    this.joined += 1;
    if (found.settled && !found.renewing && now - found.started >= this.renewAfterMs) {
      found.renewing = true;
      this.start(key, generation, found.compute, false).catch(() => undefined);
    }
    return found;
  }

  /** `joinable`: later callers join it at once; else (a renewal) it replaces the entry when ready. */
  private start<T>(key: string, generation: number, compute: () => Promise<T>, joinable: boolean): Promise<T> {
    const value = compute();
    const entry: FreshEntry = { generation, started: this.now(), value, renewing: false, compute };
    if (joinable) this.entries.set(key, entry);
    value.then(
      (result) => {
        entry.settled = { value: result };
        const current = this.entries.get(key);
        if (!current || current === entry || (current.generation <= generation && current.started <= entry.started)) this.entries.set(key, entry);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
        const current = this.entries.get(key);
        if (current) current.renewing = false;
      },
    );
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}

const inFlight = new WeakMap<object, FreshReads>();

/** Shares a fresh read among identical callers of one database (see FreshReads). */
export function sharedFreshRead<T>(ctx: { db: { readonly writeGeneration: number }; scope: Scope }, path: string, input: unknown, compute: () => Promise<T>): Promise<T> {
  let reads = inFlight.get(ctx.db);
  if (!reads) inFlight.set(ctx.db, (reads = new FreshReads()));
  return reads.read(cacheKey(path, input, ctx.scope), ctx.db.writeGeneration, compute);
}

/** The response body `sharedFreshRead` would share right now for this key, if any (see FreshReads). */
export function sharedFreshResponseBody(db: { readonly writeGeneration: number }, key: string): string | undefined {
  return inFlight.get(db)?.readResponseBody(key, db.writeGeneration);
}
