import type { Database } from '../database.ts';

/**
 * One versioned schema change. `tables` lists the columns each table must have once this
 * migration is applied; a later migration that alters a table repeats the table with its
 * new column list (the drift check uses the last declaration of each table).
 */
export interface Migration {
  version: number;
  name: string;
  up: (db: Database) => Promise<void>;
  tables: Record<string, readonly string[]>;
}
