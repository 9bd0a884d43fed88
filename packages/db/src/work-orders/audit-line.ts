import type { Database } from '../database.ts';

/**
 * One audit_log line (a work-order transition, a mobilisation report). Same table and shape as audit-store's `appendAudit`, but
 * with quoted identifiers: `appendAudit` names the `at` column bare, a syntax error since
 * DuckDB 1.5 made AT a keyword. Switch back to `appendAudit` once it quotes its columns.
 */
export async function appendAuditLine(tx: Database, entry: { actor: string; action: string; target: string; detail: Record<string, unknown>; ip: string | null }): Promise<void> {
  await tx.run(
    `INSERT INTO "audit_log" ("id", "at", "actor", "action", "target", "detail", "ip")
     VALUES (nextval('audit_log_id'), now()::TIMESTAMP, ?, ?, ?, ?, ?)`,
    [entry.actor, entry.action, entry.target, JSON.stringify(entry.detail), entry.ip],
  );
}
