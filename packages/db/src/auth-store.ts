import type { Database } from './database.ts';

/**
 * Users, sessions and login throttling. Passwords arrive here already hashed (scrypt, in the
 * api package); session tokens are stored only as their SHA-256.
 */
export interface UserRow {
  username: string;
  display_name: string;
  role: string;
  unit_code: string;
  department_code: string | null;
  grid_codes: string | null;
  password_hash: string;
  can_see_personal_data: boolean;
  failed_attempts: number;
  locked_until: string | null;
  disabled: boolean;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: string;
  unitCode: string;
  departmentCode: string | null;
  gridCodes: string[] | null;
  passwordHash: string;
  canSeePersonalData: boolean;
}

export async function upsertUser(db: Database, user: NewUser): Promise<void> {
  await db.run(
    `INSERT INTO users (username, display_name, role, unit_code, department_code, grid_codes, password_hash,
                        can_see_personal_data, failed_attempts, locked_until, disabled, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, false, now()::TIMESTAMP)
     ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
       unit_code = excluded.unit_code, department_code = excluded.department_code, grid_codes = excluded.grid_codes,
       password_hash = excluded.password_hash, can_see_personal_data = excluded.can_see_personal_data`,
    [
      user.username,
      user.displayName,
      user.role,
      user.unitCode,
      user.departmentCode,
      user.gridCodes ? user.gridCodes.join(',') : null,
      user.passwordHash,
      user.canSeePersonalData,
    ],
  );
}

export async function findUser(db: Database, username: string): Promise<UserRow | undefined> {
  const rows = await db.all<UserRow>(
    `SELECT username, display_name, role, unit_code, department_code, grid_codes, password_hash,
            can_see_personal_data, failed_attempts::INTEGER AS failed_attempts,
            strftime(locked_until, '%Y-%m-%dT%H:%M:%S') AS locked_until, disabled
     FROM users WHERE username = ?`,
    [username],
  );
  return rows[0];
}

export async function countUsersWithRole(db: Database, role: string): Promise<number> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM users WHERE role = ? AND NOT disabled`, [role]);
  return rows[0]?.n ?? 0;
}

/** Records a failed login; locks the account for `lockMinutes` once `maxAttempts` is reached. */
export async function recordFailedLogin(db: Database, username: string, maxAttempts: number, lockMinutes: number): Promise<void> {
  await db.run(
    `UPDATE users SET failed_attempts = failed_attempts + 1,
       locked_until = CASE WHEN failed_attempts + 1 >= ? THEN now()::TIMESTAMP + to_minutes(?::INTEGER) ELSE locked_until END
     WHERE username = ?`,
    [maxAttempts, lockMinutes, username],
  );
}

export async function recordSuccessfulLogin(db: Database, username: string): Promise<void> {
  await db.run(`UPDATE users SET failed_attempts = 0, locked_until = NULL, last_login_at = now()::TIMESTAMP WHERE username = ?`, [username]);
}

export async function createSession(db: Database, tokenHash: string, username: string, ttlMinutes: number): Promise<void> {
  await db.run(
    `INSERT INTO sessions (token_hash, username, created_at, expires_at)
     VALUES (?, ?, now()::TIMESTAMP, now()::TIMESTAMP + to_minutes(?::INTEGER))`,
    [tokenHash, username, ttlMinutes],
  );
}

/** The session's user when the session exists and has not expired. */
export async function findSessionUser(db: Database, tokenHash: string): Promise<UserRow | undefined> {
  const rows = await db.all<{ username: string }>(
    `SELECT username FROM sessions WHERE token_hash = ? AND expires_at > now()::TIMESTAMP`,
    [tokenHash],
  );
  const username = rows[0]?.username;
  return username ? findUser(db, username) : undefined;
}

export async function deleteSession(db: Database, tokenHash: string): Promise<void> {
  await db.run(`DELETE FROM sessions WHERE token_hash = ?`, [tokenHash]);
}

export async function deleteExpiredSessions(db: Database): Promise<void> {
  await db.run(`DELETE FROM sessions WHERE expires_at <= now()::TIMESTAMP`);
}
