import { DomainError } from '@cityops/domain';
import type { Database } from '../database.ts';

/**
 * Runs `fn` in a write transaction that other requests cannot join: `Database.transaction`
 * gives it a connection of its own, and DuckDB's MVCC detects concurrent writers (a
 * write-write conflict surfaces as CONFLICT below). Callers keep the window short: read and
 * decide outside, write inside.
 */
export async function runExclusiveTransaction<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (error) {
    throw asConflict(error);
  }
}

/**
 * DuckDB's MVCC refuses the second of two concurrent writers to a row, and the transitions'
 * primary key (order_id, version) refuses a second version n + 1: both are our CONFLICT.
 */
function asConflict(error: unknown): unknown {
  if (error instanceof Error && /TransactionContext Error: .*[Cc]onflict|Duplicate key .* violates (primary key|unique) constraint/.test(error.message)) {
    return new DomainError('CONFLICT', '工单已被他人同时更新，请刷新后重试', { cause: error.message });
  }
  return error;
}
