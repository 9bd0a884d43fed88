import type { Scope } from '@cityops/domain';

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
 *  - only aggregate reads use it: work orders, event details (audited) and exports never do.
 */
export class QueryCache {
  private readonly entries = new Map<string, { expires: number; value: Promise<unknown>; renewing: boolean }>();
  /** Bumped by `clear()`: a renewal started before it must not store its (older) answer after it. */
  private epoch = 0;
  hits = 0;
  misses = 0;
  renewals = 0;

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
  ) {}

  read<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    const now = this.now();
    if (found && found.expires > now) {
      this.hits += 1;
      if (!found.renewing && found.expires - now <= this.renewMs) this.renew(key, found, compute);
      return found.value as Promise<T>;
    }
    this.misses += 1;
    const value = compute();
    this.entries.set(key, { expires: this.now() + this.ttlMs, value, renewing: false });
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

  private renew(key: string, entry: { renewing: boolean }, compute: () => Promise<unknown>): void {
    entry.renewing = true;
    this.renewals += 1;
    const epoch = this.epoch;
    const started = this.now();
    compute().then(
      (result) => {
        // Stored only if nothing cleared the cache meanwhile; it expires a TTL after it started.
        if (epoch === this.epoch && this.entries.get(key) === entry) {
          this.entries.set(key, { expires: started + this.ttlMs, value: Promise.resolve(result), renewing: false });
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
  return ctx.queryCache.read(`${path}\u0000${JSON.stringify(input)}\u0000${scopeKey(ctx.scope)}`, compute);
}

/**
 * Single flight without staleness, for reads that must be fresh (the work-order desk): a
 * caller joins an identical query (same procedure, input and whole scope) only while it is
 * still running and only if nothing was written through the database handle since it started
 * (`writeGeneration`), so the shared answer reflects every write committed before the caller
 * arrived — the same answer it would have got by queueing its own query behind that one. Its
 * clock ("now" of an SLA status) is the first caller's, at most one query duration earlier.
 */
export class InFlightReads {
  private readonly running = new Map<string, { generation: number; value: Promise<unknown> }>();
  joined = 0;

  read<T>(key: string, generation: number, compute: () => Promise<T>): Promise<T> {
    const found = this.running.get(key);
    if (found && found.generation === generation) {
      this.joined += 1;
      return found.value as Promise<T>;
    }
    const value = compute();
    const entry = { generation, value };
    this.running.set(key, entry);
    const done = () => {
      if (this.running.get(key) === entry) this.running.delete(key);
    };
    value.then(done, done);
    return value;
  }

  get size(): number {
    return this.running.size;
  }
}

const inFlight = new WeakMap<object, InFlightReads>();

/** Shares a fresh read among identical concurrent callers of one database (see InFlightReads). */
export function sharedFreshRead<T>(ctx: { db: { readonly writeGeneration: number }; scope: Scope }, path: string, input: unknown, compute: () => Promise<T>): Promise<T> {
  let reads = inFlight.get(ctx.db);
  if (!reads) inFlight.set(ctx.db, (reads = new InFlightReads()));
  return reads.read(`${path}\u0000${JSON.stringify(input)}\u0000${scopeKey(ctx.scope)}`, ctx.db.writeGeneration, compute);
}
