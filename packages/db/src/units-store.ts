import {
  DomainError,
  UNIT_LEVELS,
  assertUnitInScope,
  codeLengthOf,
  scopeCoversUnit,
  type Scope,
  type Unit,
  type UnitLevel,
} from '@cityops/domain';
import { existsSync } from 'node:fs';
import type { Database } from './database.ts';

export type UnitCountsByLevel = Record<UnitLevel, number>;

const UNIT_SELECT = `SELECT "code", "name", "level", "parent_code" AS "parentCode", "population", "households", "lng", "lat" FROM "units"`;

/**
 * Replaces the `units` table with data/geo/units.csv (header
 * code,name,level,parent_code,population,households,lng,lat). Idempotent: loading the same
 * file twice leaves the same table. Codes are read as text so leading digits survive.
 * Rejects a file whose codes do not match their level or whose parents are missing.
 */
export async function loadUnits(db: Database, csvPath: string): Promise<UnitCountsByLevel> {
  if (!existsSync(csvPath)) throw new DomainError('NOT_FOUND', `找不到区划文件 / units file not found: ${csvPath}`);
  return db.transaction(async (tx) => {
    await tx.run(`DELETE FROM "units"`);
    await tx.run(
      `INSERT INTO "units"
       SELECT "code", "name", "level", nullif("parent_code", ''), coalesce("population", 0), coalesce("households", 0), "lng", "lat"
       FROM read_csv($path, header = true, auto_detect = false, columns = {
         'code': 'VARCHAR', 'name': 'VARCHAR', 'level': 'VARCHAR', 'parent_code': 'VARCHAR',
         'population': 'INTEGER', 'households': 'INTEGER', 'lng': 'DOUBLE', 'lat': 'DOUBLE'})`,
      { path: csvPath },
    );
    await assertUnitsConsistent(tx);
    return countUnitsByLevel(tx);
  });
}

async function assertUnitsConsistent(db: Database): Promise<void> {
  const lengths = UNIT_LEVELS.map((level) => `('${level}', ${codeLengthOf(level)})`).join(', ');
  const bad = await db.all<{ code: string; problem: string }>(
    `WITH expected("level", "len") AS (VALUES ${lengths})
     SELECT u."code", 'level/code length' AS problem FROM "units" u LEFT JOIN expected e USING ("level")
       WHERE e."len" IS NULL OR length(u."code") <> e."len"
     UNION ALL
     SELECT u."code", 'missing parent' FROM "units" u LEFT JOIN "units" p ON p."code" = u."parent_code"
       WHERE u."level" <> 'city' AND (p."code" IS NULL OR NOT starts_with(u."code", p."code"))
     LIMIT 5`,
  );
  if (bad.length > 0) {
    throw new DomainError(
      'BAD_INPUT',
      `区划文件不一致 / inconsistent units file: ${bad.map((row) => `${row.code} (${row.problem})`).join(', ')}`,
    );
  }
}

export async function countUnitsByLevel(db: Database): Promise<UnitCountsByLevel> {
  const rows = await db.all<{ level: UnitLevel; n: number }>(`SELECT "level", count(*)::INTEGER AS n FROM "units" GROUP BY ALL`);
  const counts = Object.fromEntries(UNIT_LEVELS.map((level) => [level, 0])) as UnitCountsByLevel;
  for (const row of rows) counts[row.level] = row.n;
  return counts;
}

export async function getUnit(db: Database, code: string): Promise<Unit | undefined> {
  const rows = await db.all<Unit>(`${UNIT_SELECT} WHERE "code" = $code`, { code });
  return rows[0];
}

export async function listChildUnits(db: Database, code: string): Promise<Unit[]> {
  return db.all<Unit>(`${UNIT_SELECT} WHERE "parent_code" = $code ORDER BY "code"`, { code });
}

/** All units of one level (e.g. every grid for the generator). */
export async function listUnitsOfLevel(db: Database, level: UnitLevel): Promise<Unit[]> {
  return db.all<Unit>(`${UNIT_SELECT} WHERE "level" = $level ORDER BY "code"`, { level });
}

/** getUnit for a caller: FORBIDDEN outside the scope, NOT_FOUND when the code is unknown. */
export async function getUnitInScope(db: Database, scope: Scope, code: string): Promise<Unit> {
  assertUnitInScope(scope, code);
  const unit = await getUnit(db, code);
  if (!unit) throw new DomainError('NOT_FOUND', `区划不存在 / unknown unit: ${code}`, { code });
  return unit;
}

/** Children the caller may see (a grid worker sees only their own grids). */
export async function listChildUnitsInScope(db: Database, scope: Scope, code: string): Promise<Unit[]> {
  assertUnitInScope(scope, code);
  const children = await listChildUnits(db, code);
  return children.filter((child) => scopeCoversUnit(scope, child.code));
}
