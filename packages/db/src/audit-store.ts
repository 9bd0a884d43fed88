import type { Database } from './database.ts';

/**
 * The append-only audit log: logins (and failures), views of event details, exports and every
 * work-order change. Rows are only ever inserted: nothing in the code base updates or deletes them.
 */
export interface AuditEntry {
  actor: string | null;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  detail: string | null;
  ip: string | null;
}

export async function appendAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.run(
    `INSERT INTO audit_log (id, "at", actor, action, target, detail, ip)
     VALUES (nextval('audit_log_id'), now()::TIMESTAMP, ?, ?, ?, ?, ?)`,
    [entry.actor, entry.action, entry.target, entry.detail ? JSON.stringify(entry.detail) : null, entry.ip],
  );
}

export interface AuditSearch {
  actor?: string | undefined;
  action?: string | undefined;
  fromTime?: string | undefined;
  toTime?: string | undefined;
  limit: number;
}

export async function searchAudit(db: Database, search: AuditSearch): Promise<AuditRow[]> {
  return db.all<AuditRow>(
    `SELECT id::INTEGER AS id, strftime("at", '%Y-%m-%dT%H:%M:%S') AS "at", actor, action, target, detail, ip
     FROM audit_log
     WHERE (?::VARCHAR IS NULL OR actor = ?)
       AND (?::VARCHAR IS NULL OR action = ?)
       AND (?::VARCHAR IS NULL OR "at" >= ?::TIMESTAMP)
       AND (?::VARCHAR IS NULL OR "at" < ?::TIMESTAMP)
     ORDER BY id DESC LIMIT ?`,
    [
      search.actor ?? null, search.actor ?? null,
      search.action ?? null, search.action ?? null,
      search.fromTime ?? null, search.fromTime ?? null,
      search.toTime ?? null, search.toTime ?? null,
      search.limit,
    ],
  );
}

/** DDL for the auth/audit tables; appended to the migration registry. */
export const AUTH_AUDIT_DDL = `
CREATE TABLE users (
  username VARCHAR PRIMARY KEY,
  display_name VARCHAR NOT NULL,
  role VARCHAR NOT NULL,
  unit_code VARCHAR NOT NULL,
  department_code VARCHAR,
  grid_codes VARCHAR,
  password_hash VARCHAR NOT NULL,
  can_see_personal_data BOOLEAN NOT NULL DEFAULT false,
  failed_attempts INTEGER NOT NULL DEFAULT 0,
  locked_until TIMESTAMP,
  last_login_at TIMESTAMP,
  disabled BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMP NOT NULL
);
CREATE TABLE sessions (
  token_hash VARCHAR PRIMARY KEY,
  username VARCHAR NOT NULL,
  created_at TIMESTAMP NOT NULL,
  expires_at TIMESTAMP NOT NULL
);
CREATE SEQUENCE audit_log_id START 1;
CREATE TABLE audit_log (
  id BIGINT PRIMARY KEY,
  "at" TIMESTAMP NOT NULL,
  actor VARCHAR,
  action VARCHAR NOT NULL,
  target VARCHAR,
  detail VARCHAR,
  ip VARCHAR
);
`;
