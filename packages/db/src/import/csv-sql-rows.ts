import type { Source } from '@cityops/domain';
import { DEMO_PII_SALT } from '../pii-hash.ts';
import type { ImportField } from './fields.ts';
import { STAGING_COLUMNS, type StagedRow } from './normalize-row.ts';

/**
 * The rules of the SQL path of a CSV import (csv-sql.ts) as SQL over a raw row: which rows it
 * vouches for (each check is the row normalizer's rule for the common form of a cell, or
 * stricter: anything else goes to the normalizer) and the staged value of each column.
 * csv-sql.test.ts holds them to the normalizer: both ways over the same files must agree.
 */

/** Whitespace JavaScript's trim() removes (WhiteSpace and LineTerminator), as an RE2 class body. */
const TRIMMED = String.raw`\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}`;
const CANONICAL_TIME = String.raw`[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}`;

/**
 * Fields whose verdict and values depend on their cell alone and take few distinct values: each
 * distinct value is judged once by the normalizer (on a template row), and joined back.
 */
export const LOOKUP_FIELDS = [
  'channel', 'nature', 'category', 'urgency', 'status', 'satisfaction', 'policeMatter', 'policeIncidentType', 'transferredToHotline',
  'petitionForm', 'petitionRepeat', 'groupSize', 'subCategory', 'handlingUnit', 'handlingDept',
] as const satisfies readonly ImportField[];
export type LookupField = (typeof LOOKUP_FIELDS)[number];

/** The staged columns the lookups give, and which fields decide each (the first present one; none: the template row's value). */
export function lookupOutputs(source: Source): Record<string, readonly LookupField[]> {
  return {
    channel: ['channel', 'petitionForm'],
    nature: source === 'police' ? ['policeMatter'] : ['nature'],
    hotline_nature: ['nature'],
    category: ['category'],
    police_incident_type: ['policeIncidentType', 'category'],
    handling_dept: ['handlingDept', 'category'],
    urgency: ['urgency'],
    return_visit: ['satisfaction'],
    police_is_police_matter: ['policeMatter'],
    police_transferred_to_hotline: ['transferredToHotline'],
    petition_form: ['petitionForm'],
    petition_is_repeat: ['petitionRepeat'],
    petition_group_size: ['groupSize'],
    sub_category: ['subCategory'],
    handling_unit: ['handlingUnit'],
    status: ['status'],
  };
}

export const STAGING_INDEX = new Map(STAGING_COLUMNS.map(([name], index) => [name, index]));
export const STAGING_TYPE = new Map(STAGING_COLUMNS.map(([name, , type]) => [name, type]));

/** An SQL literal of a staged value. */
function literal(value: StagedRow[number] | undefined, type: string): string {
  if (value === null || value === undefined) return `NULL::${type}`;
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return `${String(value)}::${type}`;
}

/**
 * A raw row (alias r) in SQL: `joins` (the lookups, to add after the raw table), `ok` (the
 * checks under which the SQL vouches for the normalizer's answer; the unit is checked apart),
 * and the staged value of each column but the placement ones.
 */
export interface RowSql {
  joins: string;
  ok: string;
  values: Record<string, string>;
  /** The staged columns read from the lookups: kept with the checks, so a batch's statement joins none (planning one took ~15 ms). */
  looked: string[];
}

export interface RowSqlInput {
  /** The cell of a field (SQL over alias r; a NULL of VARCHAR when the file has no such column). */
  cell: (field: ImportField) => string;
  has: (field: ImportField) => boolean;
  fieldColumns: Partial<Record<ImportField, number>>;
  lookupTable: string;
  outputs: Record<string, readonly LookupField[]>;
  /** The template row's staged values: what a missing cell becomes. */
  base: StagedRow;
  /** Timestamps after this are refused ('YYYY-MM-DD HH:MM:SS': a day past now). */
  future: string;
  salt: string | undefined;
}

export function buildRowSql({ cell, has, fieldColumns, lookupTable, outputs, base, future, salt: saltIn }: RowSqlInput): RowSql {
  const lookups = LOOKUP_FIELDS.filter(has);
  const join = (field: LookupField) => `LEFT JOIN ${lookupTable} "l_${field}" ON "l_${field}"."f" = '${field}' AND "l_${field}"."v" = ${cell(field)}`;
  const output = (name: string) => {
    const from = outputs[name]!.filter(has);
    const fallback = literal(base[STAGING_INDEX.get(name)!], STAGING_TYPE.get(name)!);
    return from.length === 0 ? fallback : `CASE ${from.map((field) => `WHEN ${cell(field)} IS NOT NULL THEN "l_${field}"."${name}"`).join(' ')} ELSE ${fallback} END`;
  };
  const neutral = (x: string) => `CASE WHEN left(${x}, 1) IN ('=', '+', '-', '@') THEN '''' || ${x} ELSE ${x} END`;
  // At most `max` UTF-16 units, as JavaScript counts: a UTF-8 byte count bounds them; past it, code points without astral characters.
  const fits = (x: string, max: number) => `(strlen(${x}) <= ${max} OR (length(${x}) <= ${max} AND NOT regexp_matches(${x}, '[\\x{10000}-\\x{10FFFF}]')))`;
  const time = (field: ImportField) => `regexp_full_match(${cell(field)}, '${CANONICAL_TIME}') AND ${cell(field)} >= '2000' AND ${cell(field)} < '2100' AND try_strptime(${cell(field)}, '%Y-%m-%d %H:%M:%S') IS NOT NULL`;
  const optional = (field: ImportField, check: string) => (has(field) ? `(${cell(field)} IS NULL OR (${check}))` : 'true');
  const received = cell('receivedAt');
  const phone = cell('phone');
  const digits = `regexp_replace(${phone}, '[^0-9]', '', 'g')`;
  const id = cell('idNumber');
  const salt = (saltIn ?? DEMO_PII_SALT).replaceAll("'", "''");
  const mapped = (Object.values(fieldColumns) as number[]).map((index) => `r."c${index}"`);
  const checks = [
    // Plain cells: nothing trim() would remove, no U+FFFD (bytes invalid in the file's encoding).
    `NOT regexp_matches(concat_ws(chr(31), ${mapped.join(', ')}), '(^|\\x1F)[${TRIMMED}]|[${TRIMMED}](\\x1F|$)|\\x{FFFD}')`,
    `${cell('externalId')} IS NOT NULL AND ${fits(neutral(cell('externalId')), 64)}`,
    `${received} IS NOT NULL AND ${time('receivedAt')} AND ${received} <= '${future}'`,
    ...(['dispatchedAt', 'firstResponseAt', 'closedAt'] as const).map((field) => optional(field, `${time(field)} AND ${cell(field)} >= ${received}`)),
    optional('dueAt', time('dueAt')),
    // The category is required (and always a lookup: the import refuses a file without its column).
    `${cell('category')} IS NOT NULL`,
    ...lookups.map((field) => `(${cell(field)} IS NULL OR "l_${field}"."ok")`),
    optional('summary', fits(neutral(cell('summary')), 2000)),
    `(${cell('lng')} IS NULL) = (${cell('lat')} IS NULL)`,
    ...(['lng', 'lat'] as const).map((field) => optional(field, `strlen(${cell(field)}) <= 30 AND regexp_full_match(${cell(field)}, '-?[0-9]+(\\.[0-9]+)?')`)),
    optional('reporterName', `regexp_full_match(${cell('reporterName')}, '[\\x{3400}-\\x{4DBF}\\x{4E00}-\\x{9FFF}A-Za-z·]{1,64}')`),
    optional('phone', `regexp_full_match(${phone}, '[0-9 +()\\-]+') AND length(${digits}) BETWEEN 7 AND 15`),
    optional('idNumber', `regexp_full_match(${id}, '[0-9]{17}[0-9Xx]|[0-9]{15}')`),
  ];
  const name = cell('reporterName');
  const status = `CASE ${has('status') ? `WHEN ${cell('status')} IS NOT NULL THEN "l_status"."status"` : ''}
    WHEN ${cell('closedAt')} IS NOT NULL THEN CASE WHEN ${cell('satisfaction')} IS NOT NULL THEN 'closed' ELSE 'disposed' END
    WHEN ${cell('firstResponseAt')} IS NOT NULL THEN 'in_progress' WHEN ${cell('dispatchedAt')} IS NOT NULL THEN 'dispatched' ELSE 'received' END`;
  const values: Record<string, string> = {
    external_id: neutral(cell('externalId')),
    received_at: received,
    summary: `coalesce(${neutral(cell('summary'))}, '')`,
    reporter_hash: `CASE WHEN ${phone} IS NOT NULL THEN left(sha256('${salt}:' || ${digits}), 16) WHEN ${id} IS NOT NULL THEN left(sha256('${salt}:' || upper(${id})), 16) END`,
    reporter_name_masked: `CASE WHEN ${name} IS NULL THEN NULL WHEN length(${name}) <= 1 THEN '*' ELSE left(${name}, 1) || repeat('*', length(${name}) - 1) END`,
    reporter_phone_masked: `CASE WHEN ${phone} IS NOT NULL THEN left(${digits}, 3) || '****' || right(${digits}, 4) END`,
    reporter_id_masked: `CASE WHEN ${id} IS NOT NULL THEN left(${id}, 3) || repeat('*', length(${id}) - 5) || right(${id}, 2) END`,
    status,
    dispatched_at: cell('dispatchedAt'),
    first_response_at: cell('firstResponseAt'),
    due_at: cell('dueAt'),
    closed_at: cell('closedAt'),
  };
  for (const outputName of Object.keys(outputs)) if (outputName !== 'status') values[outputName] ??= output(outputName);
  const placed = new Set(['row_no', 'lng', 'lat', 'location_approximate', 'h3r7', 'h3r8', 'h3r9', 'district_code', 'street_code', 'community_code', 'grid_code']);
  const staged = STAGING_COLUMNS.map(([column]) => column).filter((column) => !placed.has(column));
  for (const column of staged) if (values[column] === undefined) throw new Error(`import: no SQL for staged column ${column}`);
  return { joins: lookups.map(join).join(' '), ok: checks.join('\n        AND '), values, looked: Object.keys(outputs) };
}

/** The placement columns of a kept row (kp): its located point (p) or its unit's centroid (cb). */
function placedColumn(name: string, cell: (field: ImportField) => string): string | undefined {
  switch (name) {
    // A point's own coordinates unless the locator converted them (another CRS).
    case 'lng': case 'lat': return `CASE WHEN kp."has_point" THEN coalesce(p."${name}", TRY_CAST(${cell(name)} AS DOUBLE)) ELSE cb."${name}" END`;
    case 'h3r8': case 'h3r9': case 'grid_code': return `CASE WHEN kp."has_point" THEN p."${name}" ELSE cb."${name}" END`;
    case 'location_approximate': return 'NOT kp."has_point"';
    // Derived by the events table from the grid code and the res-9 cell (migrations 14, 15): not written.
    case 'h3r7': case 'district_code': case 'street_code': case 'community_code': return 'NULL::VARCHAR';
    default: return undefined;
  }
}

/**
 * The staged rows of the kept rows with row_no in ($lo, $hi], numbered 1 … n in file order
 * ($base: the rank before the first): those the SQL vouched for converted from the raw table
 * here, those the normalizer accepted as it staged them.
 */
export function batchRowsSql(t: { keep: string; raw: string; points: string; combo: string; js: string }, row: RowSql, cell: (field: ImportField) => string): string {
  const looked = new Set(row.looked);
  const value = (name: string) => placedColumn(name, cell) ?? (looked.has(name) ? `kp."${name}"` : row.values[name]);
  const columns = STAGING_COLUMNS.map(([name]) => (name === 'row_no' ? `(kp."rank" - $base)::INTEGER AS "row_no"` : `${value(name)} AS "${name}"`));
  return `(SELECT ${columns.join(', ')}
      FROM ${t.keep} kp JOIN ${t.raw} r ON r.rowid = kp."rid"
      LEFT JOIN (SELECT * FROM ${t.points} WHERE "rid" > $lo - 2 AND "rid" <= $hi - 2) p ON p."rid" = kp."rid" LEFT JOIN ${t.combo} cb ON cb."id" = kp."combo"
      WHERE NOT kp."js" AND kp."row_no" > $lo AND kp."row_no" <= $hi AND r.rowid > $lo - 2 AND r.rowid <= $hi - 2
    UNION ALL
    SELECT (kp."rank" - $base)::INTEGER, j.* EXCLUDE ("row_no")
      FROM ${t.keep} kp JOIN ${t.js} j ON j."row_no" = kp."row_no"
      WHERE kp."js" AND kp."row_no" > $lo AND kp."row_no" <= $hi)`;
}

/** Places the accepted rows with coordinates (import_points); rows the locator refuses go to `toJs`. */
