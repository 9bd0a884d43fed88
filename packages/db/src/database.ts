import { DuckDBConnection, DuckDBInstance, JSDuckDBValueConverter, type DuckDBMaterializedResult, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Values that may be bound to a `$name` or `?` placeholder. */
export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;

/** How the appender writes each column (the appender needs the exact DuckDB type). */
export type AppendKind = 'integer' | 'bigint' | 'double' | 'varchar' | 'boolean';
export type AppendValue = number | string | boolean | null;

export interface OpenDatabaseOptions {
  readOnly?: boolean;
  /** DuckDB worker threads; defaults to DuckDB's own choice (all cores). */
  threads?: number;
  /**
   * Extra connections for plain reads (`all` with a SELECT/WITH statement outside a
   * transaction), so one slow read does not queue every other behind it on the single
   * connection. Default 0: everything on one connection (the CLI, the generator and tests that
   * build temp tables on the top-level handle rely on that). Writes, `run`, transactions and
   * temp-table work always use the main connection or a transaction's own.
   */
  readConnections?: number;
}

/**
 * One DuckDB database and one connection. Every data-layer function receives it as its
 * first argument, so tests and the server each open their own (no module-level db).
 */
export interface Database {
  readonly path: string;
  /** Executes a statement; returns nothing. */
  run(sql: string, params?: SqlParams): Promise<void>;
  /**
   * Runs a query and returns its rows as plain objects. BIGINT/HUGEINT come back as JS
   * bigint: cast counts in SQL (`::INTEGER`, `::DOUBLE`) where a number is wanted.
   */
  all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * `all` for a plain read through a prepared statement kept per connection and SQL text: for
   * small, hot reads (dashboard aggregates) whose parse and plan (~0.3–0.5 ms) are a large part
   * of their time. The SQL must be a fixed text (values bound, never spliced in).
   */
  allPrepared<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /**
   * Runs `fn` inside BEGIN … COMMIT on a connection of its own, rolling back on any error.
   * Concurrent callers (e.g. two server requests) therefore never share one transaction;
   * DuckDB's MVCC refuses conflicting writes. Use only the `tx` passed to `fn` inside it:
   * temp tables are per connection. Nested calls on `tx` join the outer transaction.
   */
  transaction<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Same as `transaction` (the name the work-order layer asks for). */
  withTransactionConnection<T>(fn: (db: Database) => Promise<T>): Promise<T>;
  /** Bulk-inserts rows (all columns of the table, in order), much faster than INSERT … VALUES. */
  appendRows(table: string, kinds: readonly AppendKind[], rows: Iterable<readonly AppendValue[]>): Promise<void>;
  /**
   * A counter that grows whenever a statement that may write was issued through this handle
   * (or a transaction of it) and again when it finished. A reader that shares the answer of a
   * query already in flight (single flight) may do so only if the counter is unchanged since
   * that query started, so no write it could have missed happened in between.
   */
  readonly writeGeneration: number;
  /**
   * Streams a plain read's result chunk by chunk (≤ 2,048 rows each) to `onChunk`, on a
   * connection of its own (so a long scan holds up neither the main connection nor the read
   * pool), without materialising it: for results of millions of rows read into typed arrays.
   * `columns[c].getItem(row)` is the value of column c in row `row` of the chunk. Sees
   * committed rows only (never a transaction's own), also when called on a transaction's handle.
   */
  streamChunks(sql: string, onChunk: (columns: readonly ChunkColumn[], rows: number) => void): Promise<void>;
  close(): void;
}

/** One column of a streamed chunk (see `streamChunks`). */
export interface ChunkColumn {
  getItem(row: number): DuckDBValue;
}

export async function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Promise<Database> {
  const config: Record<string, string> = {};
  if (opts.readOnly) config['access_mode'] = 'READ_ONLY';
  if (opts.threads) config['threads'] = String(opts.threads);
  // jemalloc purges the memory a big statement freed in a background thread, not inside the
  // next statements: after a full rollup rebuild (full scale) the first incremental refresh
  // spent ~0.4 s of system time purging it (0.72–0.89 s against 0.35 s in a fresh process).
  config['allocator_background_threads'] = 'true';
  // fromCache: a file opened twice in one process shares one instance (DuckDB locks files
  // per process); an in-memory database must stay private to its opener.
  const instance =
    path === ':memory:' ? await DuckDBInstance.create(path, config) : await DuckDBInstance.fromCache(path, config);
  const connection = await instance.connect();
  // Month and day boundaries are Asia/Shanghai wall-clock (the session default is UTC).
  await connection.run(`SET TimeZone = 'Asia/Shanghai'`);
  const readers: DuckDBConnection[] = [];
  for (let i = 0; i < (opts.readConnections ?? 0); i += 1) {
    const reader = await instance.connect();
    await reader.run(`SET TimeZone = 'Asia/Shanghai'`);
    readers.push(reader);
  }
  return new DuckDatabase(path, instance, connection, false, new WriteClock(), new ReadPool(readers), new SpareConnections());
}

/** Idle connections of finished transactions, reused by the next ones (two at most). */
class SpareConnections {
  private readonly idle: DuckDBConnection[] = [];
  private closed = false;

  take(): DuckDBConnection | undefined {
    return this.idle.pop();
  }

  /** Keeps `connection` for reuse; false when it should be closed instead. */
  give(connection: DuckDBConnection): boolean {
    if (this.closed || this.idle.length >= 2) return false;
    this.idle.push(connection);
    return true;
  }

  close(): void {
    this.closed = true;
    for (const connection of this.idle.splice(0)) connection.closeSync();
  }
}

/** Shared by a handle and its transactions' views. */
class WriteClock {
  generation = 0;
}

/**
 * Idle read connections, handed out one query at a time; when all are busy the query runs
 * on the one that frees first (FIFO wait). No pool (size 0) → the caller uses the main connection.
 */
class ReadPool {
  private readonly idle: DuckDBConnection[];
  private readonly waiting: ((connection: DuckDBConnection) => void)[] = [];

  constructor(readonly connections: DuckDBConnection[]) {
    this.idle = [...connections];
  }

  get size(): number {
    return this.connections.length;
  }

  async use<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = this.idle.pop() ?? (await new Promise<DuckDBConnection>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(connection);
    } finally {
      const next = this.waiting.shift();
      if (next) next(connection);
      else this.idle.push(connection);
    }
  }

  close(): void {
    for (const connection of this.connections) connection.closeSync();
  }
}

/** A plain read: one statement starting with SELECT or WITH (no RETURNING clause, no second statement). */
function isPlainRead(sql: string): boolean {
  const text = sql.replace(/^(\s|--[^\n]*\n)+/, '');
  if (!/^(SELECT|WITH|FROM)\b/i.test(text)) return false;
  return !/\b(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER|COPY|ATTACH|SET|RETURNING)\b/i.test(text.replace(/'(?:[^']|'')*'/g, "''").replace(/"(?:[^"]|"")*"/g, '""'));
}

class DuckDatabase implements Database {
  private closed = false;

  constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    /** True for the per-transaction view handed to `transaction`'s callback. */
    private readonly inTransaction: boolean,
    private readonly clock: WriteClock,
    private readonly readers: ReadPool,
    private readonly spare: SpareConnections,
  ) {}

  get writeGeneration(): number {
    return this.clock.generation;
  }

  async run(sql: string, params?: SqlParams): Promise<void> {
    this.clock.generation += 1;
    try {
      await this.connection.run(sql, params);
    } finally {
      this.clock.generation += 1;
    }
  }

  async all<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    if (!this.inTransaction && this.readers.size > 0 && isPlainRead(sql)) {
      return this.readers.use(async (connection) => (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as T[]);
    }
    const writes = !isPlainRead(sql);
    if (writes) this.clock.generation += 1;
    try {
      const reader = await this.connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJS() as T[];
    } finally {
      if (writes) this.clock.generation += 1;
    }
  }

  async allPrepared<T = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]> {
    if (!isPlainRead(sql)) throw new Error('allPrepared takes plain reads only');
    if (this.inTransaction) return this.all<T>(sql, params);
    if (this.readers.size > 0) return this.readers.use((connection) => runPrepared<T>(connection, sql, params));
    return runPrepared<T>(this.connection, sql, params);
  }

  async transaction<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const connection = this.spare.take() ?? (await this.openConnection());
    let reusable = false;
    try {
      const tx = new DuckDatabase(this.path, this.instance, connection, true, this.clock, this.readers, this.spare);
      await connection.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        this.clock.generation += 1;
        await connection.run('COMMIT');
        reusable = true;
        return result;
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      this.clock.generation += 1;
      // A committed transaction's connection is kept for the next one: closing a connection is
      // synchronous (it blocked the event loop ~20 ms per push transaction, far more under
      // load) and opening one costs a round trip. Its temp tables stay, and every temp table in
      // this code base is created with OR REPLACE / IF NOT EXISTS. After a failure it is closed.
      if (!reusable || !this.spare.give(connection)) connection.closeSync();
    }
  }

  private async openConnection(): Promise<DuckDBConnection> {
    const connection = await this.instance.connect();
    await connection.run(`SET TimeZone = 'Asia/Shanghai'`);
    return connection;
  }

  withTransactionConnection<T>(fn: (db: Database) => Promise<T>): Promise<T> {
    return this.transaction(fn);
  }

  async streamChunks(sql: string, onChunk: (columns: readonly ChunkColumn[], rows: number) => void): Promise<void> {
    const connection = await this.instance.connect();
    try {
      await connection.run(`SET TimeZone = 'Asia/Shanghai'`);
      const result = await connection.stream(sql);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        onChunk(Array.from({ length: chunk.columnCount }, (_, c) => chunk.getColumnVector(c)), chunk.rowCount);
      }
    } finally {
      connection.closeSync();
    }
  }

  async appendRows(table: string, kinds: readonly AppendKind[], rows: Iterable<readonly AppendValue[]>): Promise<void> {
    // Bulk path: one CSV file read by DuckDB's parallel reader is ~10× faster than one
    // N-API call per value through the appender.
    const file = join(tmpdir(), `cityops-${process.pid}-${randomUUID()}.csv`);
    const lines: string[] = [];
    for (const row of rows) lines.push(kinds.map((_, column) => csvField(row[column] ?? null)).join(','));
    if (lines.length === 0) return;
    writeFileSync(file, `${lines.join('\n')}\n`);
    this.clock.generation += 1;
    try {
      const columns = kinds.map((kind, column) => `'c${column}': '${CSV_TYPES[kind]}'`).join(', ');
      await this.connection.run(
        `INSERT INTO ${quoteIdentifier(table)} SELECT * FROM read_csv($file, header = false, auto_detect = false, quote = '"', escape = '"',
           nullstr = '\\N', columns = {${columns}})`,
        { file },
      );
    } finally {
      this.clock.generation += 1;
      rmSync(file, { force: true });
    }
  }

  close(): void {
    if (this.closed || this.inTransaction) return;
    this.closed = true;
    for (const connection of [this.connection, ...this.readers.connections]) dropPrepared(connection);
    this.readers.close();
    this.spare.close();
    this.connection.closeSync();
    // Releases this handle; a cached instance shared with another opener stays alive.
    this.instance.closeSync();
  }
}

/** Prepared statements of `allPrepared`, per connection; `busy` while one runs (a concurrent call runs unprepared). */
const preparedByConnection = new WeakMap<DuckDBConnection, Map<string, { statement: DuckDBPreparedStatement; busy: boolean }>>();

async function runPrepared<T>(connection: DuckDBConnection, sql: string, params?: SqlParams): Promise<T[]> {
  let cache = preparedByConnection.get(connection);
  if (!cache) preparedByConnection.set(connection, (cache = new Map()));
  let entry = cache.get(sql);
  if (!entry) {
    entry = { statement: await connection.prepare(sql), busy: false };
    if (cache.has(sql)) entry.statement.destroySync();
    else cache.set(sql, entry);
    entry = cache.get(sql)!;
  }
  if (entry.busy) return (await connection.runAndReadAll(sql, params)).getRowObjectsJS() as T[];
  entry.busy = true;
  try {
    if (params) entry.statement.bind(params);
    else entry.statement.clearBindings();
    return materializedRowObjects<T>(await entry.statement.run());
  } finally {
    entry.busy = false;
  }
}

/**
 * The rows of a materialized result as plain objects, as `runAndReadAll().getRowObjectsJS()`
 * gives them (same names, same value conversion), but reading the chunks the result already
 * holds synchronously: the reader fetches each chunk, and then the end, by an asynchronous
 * call apiece (two extra thread-pool round trips, ~0.1–0.25 ms of a ~1 ms read).
 */
function materializedRowObjects<T>(result: DuckDBMaterializedResult): T[] {
  const names = result.deduplicatedColumnNames();
  const rows: Record<string, unknown>[] = [];
  for (let c = 0, chunks = result.chunkCount; c < chunks; c += 1) {
    const chunk = result.getChunk(c);
    for (let r = 0, n = chunk.rowCount; r < n; r += 1) {
      const row: Record<string, unknown> = {};
      chunk.visitRowValues(r, (value, _row, column, type) => {
        row[names[column]!] = JSDuckDBValueConverter(value, type, JSDuckDBValueConverter);
      });
      rows.push(row);
    }
  }
  return rows as T[];
}

function dropPrepared(connection: DuckDBConnection): void {
  const cache = preparedByConnection.get(connection);
  if (!cache) return;
  for (const { statement } of cache.values()) statement.destroySync();
  preparedByConnection.delete(connection);
}

const CSV_TYPES: Record<AppendKind, string> = { integer: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', varchar: 'VARCHAR', boolean: 'BOOLEAN' };

function csvField(value: AppendValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return `"${value.replaceAll('"', '""')}"`;
  return String(value);
}

/** Double-quotes an SQL identifier (table or column names chosen by code, never by users). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
