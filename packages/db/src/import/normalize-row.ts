import { DEPARTMENTS, eventSchema, leadDepartmentFor, maskIdNumber, maskName, maskPhone, type Source } from '@cityops/domain';
import { hashPersonalId } from '../pii-hash.ts';
import type { CategoryMap, ImportField } from './fields.ts';
import { toWgs84, type CrsName, type UnitLocator } from './locate.ts';
import { createFastRowParser, eventCandidatePasses, type EventCandidate } from './fast-row.ts';
import { buildRowSchema, channelOf, natureOf, statusOf, type RawRow } from './row-schema.ts';
import { INCIDENT_TYPE_LABELS_IN, formatWallClock, neutralizeFormula } from './values.ts';
import type { AppendKind, AppendValue } from '../database.ts';

/**
 * Columns of the per-batch staging table, in append order: the event columns the importer
 * fills (id and the bookkeeping timestamps are set in SQL). Timestamps travel as text and are
 * cast by DuckDB.
 */
export const STAGING_COLUMNS: readonly (readonly [name: string, kind: AppendKind, sqlType: string])[] = [
  ['row_no', 'integer', 'INTEGER'],
  ['external_id', 'varchar', 'VARCHAR'],
  ['received_at', 'varchar', 'VARCHAR'],
  ['channel', 'varchar', 'VARCHAR'],
  ['nature', 'varchar', 'VARCHAR'],
  ['category', 'varchar', 'VARCHAR'],
  ['sub_category', 'varchar', 'VARCHAR'],
  ['summary', 'varchar', 'VARCHAR'],
  ['lng', 'double', 'DOUBLE'],
  ['lat', 'double', 'DOUBLE'],
  ['location_approximate', 'boolean', 'BOOLEAN'],
  ['h3r7', 'varchar', 'VARCHAR'],
  ['h3r8', 'varchar', 'VARCHAR'],
  ['h3r9', 'varchar', 'VARCHAR'],
  ['district_code', 'varchar', 'VARCHAR'],
  ['street_code', 'varchar', 'VARCHAR'],
  ['community_code', 'varchar', 'VARCHAR'],
  ['grid_code', 'varchar', 'VARCHAR'],
  ['urgency', 'varchar', 'VARCHAR'],
  ['reporter_hash', 'varchar', 'VARCHAR'],
  ['reporter_name_masked', 'varchar', 'VARCHAR'],
  ['reporter_phone_masked', 'varchar', 'VARCHAR'],
  ['reporter_id_masked', 'varchar', 'VARCHAR'],
  ['status', 'varchar', 'VARCHAR'],
  ['dispatched_at', 'varchar', 'VARCHAR'],
  ['first_response_at', 'varchar', 'VARCHAR'],
  ['due_at', 'varchar', 'VARCHAR'],
  ['closed_at', 'varchar', 'VARCHAR'],
  ['handling_unit', 'varchar', 'VARCHAR'],
  ['handling_dept', 'varchar', 'VARCHAR'],
  ['return_visit', 'varchar', 'VARCHAR'],
  ['police_is_police_matter', 'boolean', 'BOOLEAN'],
  ['police_incident_type', 'varchar', 'VARCHAR'],
  ['police_transferred_to_hotline', 'boolean', 'BOOLEAN'],
  ['petition_form', 'varchar', 'VARCHAR'],
  ['petition_is_repeat', 'boolean', 'BOOLEAN'],
  ['petition_group_size', 'integer', 'INTEGER'],
  ['hotline_nature', 'varchar', 'VARCHAR'],
];
export const STAGING_KINDS: readonly AppendKind[] = STAGING_COLUMNS.map(([, kind]) => kind);

/** A valid row, as values in STAGING_COLUMNS order (row_no first, set by the caller). */
export type StagedRow = AppendValue[];

export interface RowProblem {
  field: ImportField;
  reason: string;
}

export type NormalizeResult =
  | { ok: true; row: StagedRow; externalId: string; receivedAt: string }
  | { ok: false; problems: RowProblem[]; unmappedCategory?: string };

export interface NormalizerOptions {
  source: Source;
  locator: UnitLocator;
  /** Coordinate system of the lng/lat columns (default WGS-84). */
  crs?: CrsName;
  /** Salt of the reporter hash (the deployment's secret; packages/db/src/pii-hash.ts). */
  salt?: string;
  categories?: CategoryMap;
}

const DEPARTMENT_CODES = new Map<string, string>(DEPARTMENTS.flatMap((d) => [[d.zh, d.code], [d.zh.replace(/^市/, ''), d.code], [d.code, d.code]]));

/** Domain schema paths → the import field a user would fix. */
const DOMAIN_PATH_FIELD: Record<string, ImportField> = {
  externalId: 'externalId', receivedAt: 'receivedAt', channel: 'channel', nature: 'nature', category: 'category', subCategory: 'subCategory',
  summary: 'summary', lng: 'lng', lat: 'lat', closedAt: 'closedAt', dispatchedAt: 'dispatchedAt', firstResponseAt: 'firstResponseAt', dueAt: 'dueAt',
  handlingUnit: 'handlingUnit', handlingDept: 'handlingDept', returnVisit: 'satisfaction', status: 'status', urgency: 'urgency',
  petitionGroupSize: 'groupSize', gridCode: 'district', districtCode: 'district', streetCode: 'street', communityCode: 'community',
};

/**
 * Turns a text row into a staged event or the list of its problems. The same function serves
 * files and the push API, so both are validated by the same schemas: the row schema (cells)
 * and then the domain's canonical eventSchema (the event as stored). Valid rows take a fast
 * path that checks the same rules by hand (fast-row.ts); any row it does not accept outright
 * goes through the zod schemas, which name the problems. `reference: true` forces the schemas
 * for every row (tests compare the two).
 */
export function createRowNormalizer(options: NormalizerOptions & { reference?: boolean }): (raw: RawRow) => NormalizeResult {
  const { source, locator, crs = 'wgs84', salt } = options;
  const schema = buildRowSchema(source, options.categories);
  const fast = options.reference ? () => undefined : createFastRowParser(source, options.categories);
  const isPolice = source === 'police';
  const isPetition = source === 'petition';
  return (raw) => {
    let row = fast(raw);
    if (row === undefined) {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        let unmappedCategory: string | undefined;
        const problems = parsed.error.issues.map((issue) => {
          const params = (issue as { params?: { unmapped?: string } }).params;
          if (params?.unmapped) unmappedCategory = params.unmapped;
          return { field: (issue.path[0] as ImportField | undefined) ?? 'externalId', reason: issue.message };
        });
        return unmappedCategory === undefined ? { ok: false, problems } : { ok: false, problems, unmappedCategory };
      }
      row = parsed.data;
    }
    const wgs = row.lng !== undefined && row.lat !== undefined ? toWgs84(row.lng, row.lat, crs) : undefined;
    const placed = locator.place({ district: row.district, street: row.street, community: row.community, unitCode: row.unitCode, lng: wgs?.[0], lat: wgs?.[1] });
    if (!placed.ok) return { ok: false, problems: [{ field: placed.field, reason: placed.reason }] };
    const where = placed.placement;

    const { nature, hotlineNature } = natureOf(source, row);
    const status = statusOf(row);
    // Raw phone and ID numbers stop here: only the salted hash and the masked forms go on.
    const personal = row.phone ?? row.idNumber;
    const reporterHash = personal ? hashPersonalId(personal, salt) : null;
    const incidentType = isPolice ? (row.policeIncidentType ?? INCIDENT_TYPE_LABELS_IN[raw.category?.trim() ?? ''] ?? 'other') : null;
    // Department names the city uses become the codes the dashboards scope by (D01…); others stay text.
    const handlingDept = row.handlingDept ? (DEPARTMENT_CODES.get(row.handlingDept) ?? row.handlingDept) : isPetition ? leadDepartmentFor(row.category) : null;
    const candidate: EventCandidate = {
      source,
      externalId: row.externalId,
      receivedAt: row.receivedAt,
      channel: channelOf(source, row),
      nature,
      category: row.category,
      subCategory: row.subCategory ?? null,
      summary: row.summary ?? '',
      lng: where.lng,
      lat: where.lat,
      locationApproximate: where.approximate,
      h3r7: where.h3r7,
      h3r8: where.h3r8,
      h3r9: where.h3r9,
      districtCode: where.districtCode,
      streetCode: where.streetCode,
      communityCode: where.communityCode,
      gridCode: where.gridCode,
      urgency: row.urgency ?? 'normal',
      reporterHash,
      reporterNameMasked: row.reporterName ? neutralizeFormula(maskName(row.reporterName)!) : null,
      reporterPhoneMasked: maskPhone(row.phone),
      reporterIdMasked: maskIdNumber(row.idNumber),
      status,
      dispatchedAt: row.dispatchedAt ?? null,
      firstResponseAt: row.firstResponseAt ?? null,
      dueAt: row.dueAt ?? null,
      closedAt: row.closedAt ?? null,
      handlingUnit: row.handlingUnit ?? null,
      handlingDept,
      returnVisit: row.satisfaction ?? null,
      policeIsPoliceMatter: isPolice ? (row.policeMatter ?? null) : null,
      policeIncidentType: incidentType,
      policeTransferredToHotline: isPolice ? (row.transferredToHotline ?? null) : null,
      petitionForm: isPetition ? (row.petitionForm ?? null) : null,
      petitionIsRepeat: isPetition ? (row.petitionRepeat ?? null) : null,
      petitionGroupSize: isPetition ? (row.groupSize ?? null) : null,
      hotlineNature,
    };
    if (options.reference || !eventCandidatePasses(candidate)) {
      const problems = eventSchemaProblems(candidate);
      if (problems) return { ok: false, problems };
    }
    const receivedAt = formatWallClock(row.receivedAt);
    return {
      ok: true,
      externalId: row.externalId,
      receivedAt,
      row: [
        0, row.externalId, receivedAt, candidate.channel, nature, row.category, candidate.subCategory, candidate.summary,
        where.lng, where.lat, where.approximate, where.h3r7, where.h3r8, where.h3r9,
        where.districtCode, where.streetCode, where.communityCode, where.gridCode, candidate.urgency,
        reporterHash, candidate.reporterNameMasked, candidate.reporterPhoneMasked, candidate.reporterIdMasked,
        status, wallClockOrNull(candidate.dispatchedAt), wallClockOrNull(candidate.firstResponseAt), wallClockOrNull(candidate.dueAt), wallClockOrNull(candidate.closedAt),
        candidate.handlingUnit, handlingDept, candidate.returnVisit,
        candidate.policeIsPoliceMatter, incidentType, candidate.policeTransferredToHotline,
        candidate.petitionForm, candidate.petitionIsRepeat, candidate.petitionGroupSize, hotlineNature,
      ],
    };
  };
}

/** A module-level function, not a closure per row (tsx names every function it creates). */
function wallClockOrNull(ms: number | null): string | null {
  return ms === null ? null : formatWallClock(ms);
}

/** The domain eventSchema's verdict on a candidate (timestamps as Dates, as it expects), as row problems; null when valid. */
function eventSchemaProblems(candidate: EventCandidate): RowProblem[] | null {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  const checked = eventSchema.safeParse({
    ...candidate,
    id: 0,
    receivedAt: new Date(candidate.receivedAt),
    dispatchedAt: date(candidate.dispatchedAt),
    firstResponseAt: date(candidate.firstResponseAt),
    dueAt: date(candidate.dueAt),
    closedAt: date(candidate.closedAt),
  });
  if (checked.success) return null;
  return checked.error.issues.map((issue) => {
    const path = String(issue.path[0] ?? '');
    const reason = path === 'lng' || path === 'lat' ? '坐标不在成都市范围内（经度 102.9–105.0，纬度 30.0–31.5）' : `${path}: ${issue.message}`;
    return { field: DOMAIN_PATH_FIELD[path] ?? 'externalId', reason };
  });
}
