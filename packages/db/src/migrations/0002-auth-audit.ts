import { AUTH_AUDIT_DDL } from '../audit-store.ts';
import type { Migration } from './types.ts';

/** Users, sessions and the append-only audit log (issue 6). */
export const authAuditMigration: Migration = {
  version: 2,
  name: 'auth-audit',
  async up(db) {
    for (const statement of AUTH_AUDIT_DDL.split(';').map((s) => s.trim()).filter(Boolean)) await db.run(statement);
  },
  tables: {
    users: [
      'username', 'display_name', 'role', 'unit_code', 'department_code', 'grid_codes', 'password_hash',
      'can_see_personal_data', 'failed_attempts', 'locked_until', 'last_login_at', 'disabled', 'created_at',
    ],
    sessions: ['token_hash', 'username', 'created_at', 'expires_at'],
    audit_log: ['id', 'at', 'actor', 'action', 'target', 'detail', 'ip'],
  },
};
