import { EVENT_STATUSES, HOTLINE_NATURES, ITEMS, PETITION_CHANNELS, POLICE_INCIDENT_TYPES, RETURN_VISIT_RESULTS, SOURCE_CATEGORY_MAP, SOURCES, URGENCIES, type Item, type Source } from '@cityops/domain';
import type { CategoryMap } from './fields.ts';
import type { ParsedRow, RawRow } from './row-schema.ts';
import {
  HOTLINE_NATURE_LABELS_IN,
  INCIDENT_TYPE_LABELS_IN,
  PETITION_FORM_LABELS_IN,
  POLICE_MATTER_LABELS_IN,
  SATISFACTION_LABELS,
  STATUS_LABELS,
  URGENCY_LABELS_IN,
  lookupLabel,
  neutralizeFormula,
  parseWallClock,
  parseYesNo,
  wallClockNow,
} from './values.ts';

/**
 * The fast path of the row schema (row-schema.ts) for rows it accepts. The zod schema cost
 * ~half of the importer's per-row time (a transform, pipe and issue list per cell); almost
 * every row of an export is valid, so this checks the same rules by hand, in the same order of
 * transforms, and answers `undefined` ("ask the schema") as soon as anything is off or
 * unusual. Rows it returns are exactly the schema's output (import-fast-path.test.ts compares
 * both over valid, invalid and mutated rows); every refused or doubtful row still goes through
 * the schema, so the problems and their wording cannot drift.
 */
export type FastRowParser = (raw: RawRow) => ParsedRow | undefined;

/** Own keys only: a cell reading "constructor" must not find Object.prototype's (the schema's answer is left to the schema). */
const ownTable = <T>(table: Readonly<Record<string, T>>): Map<string, T> => new Map(Object.entries(table));

const URGENCY = ownTable(URGENCY_LABELS_IN);
const STATUS = ownTable(STATUS_LABELS);
const SATISFACTION = ownTable(SATISFACTION_LABELS);
const POLICE_MATTER = ownTable(POLICE_MATTER_LABELS_IN);
const INCIDENT_TYPE = ownTable(INCIDENT_TYPE_LABELS_IN);
const PETITION_FORM = ownTable(PETITION_FORM_LABELS_IN);

const DECIMAL = /^-?\d+(\.\d+)?$/;
export const UNIT_CODE = /^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/;
const PHONE = /^[\d\s+()-]+$/;
const ID_NUMBER = /^(\d{17}[\dXx]|\d{15})$/;
const GROUP_SIZE = /^\d{1,5}$/;

function digitCount(value: string): number {
  let digits = 0;
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code >= 48 && code <= 57) digits += 1;
  }
  return digits;
}

function wallClockMs(value: string | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  const parsed = parseWallClock(value);
  return parsed.ok ? parsed.ms : null;
}

export function createFastRowParser(source: Source, extraCategories: CategoryMap = {}): FastRowParser {
  const categories = ownTable<Item>({ ...SOURCE_CATEGORY_MAP[source], ...extraCategories });
  return (raw) => {
    const externalId = raw.externalId;
    if (externalId === undefined || externalId.length < 1 || externalId.length > 64) return undefined;
    const received = wallClockMs(raw.receivedAt);
    if (received === undefined || received === null) return undefined;
    if (raw.category === undefined) return undefined;
    const category = categories.get(raw.category.trim());
    if (!category) return undefined;
    const row: ParsedRow = { externalId: neutralizeFormula(externalId), receivedAt: received, category };

    const { channel, subCategory, summary, handlingUnit, handlingDept } = raw;
    if (channel !== undefined) {
      if (channel.length > 32) return undefined;
      row.channel = neutralizeFormula(channel);
    }
    if (raw.nature !== undefined) row.nature = raw.nature;
    if (subCategory !== undefined) {
      if (subCategory.length > 64) return undefined;
      row.subCategory = neutralizeFormula(subCategory);
    }
    if (summary !== undefined) {
      if (summary.length > 2000) return undefined;
      row.summary = neutralizeFormula(summary);
    }
    if (raw.district !== undefined) row.district = raw.district;
    if (raw.street !== undefined) row.street = raw.street;
    if (raw.community !== undefined) row.community = raw.community;
    if (raw.unitCode !== undefined) {
      if (!UNIT_CODE.test(raw.unitCode)) return undefined;
      row.unitCode = raw.unitCode;
    }
    if (raw.lng !== undefined) {
      const lng = Number(raw.lng);
      if (!DECIMAL.test(raw.lng) || !Number.isFinite(lng)) return undefined;
      row.lng = lng;
    }
    if (raw.lat !== undefined) {
      const lat = Number(raw.lat);
      if (!DECIMAL.test(raw.lat) || !Number.isFinite(lat)) return undefined;
      row.lat = lat;
    }
    if (raw.reporterName !== undefined) {
      if (raw.reporterName.length > 64) return undefined;
      row.reporterName = raw.reporterName;
    }
    if (raw.phone !== undefined) {
      const digits = digitCount(raw.phone);
      if (!PHONE.test(raw.phone) || digits < 7 || digits > 15) return undefined;
      row.phone = raw.phone;
    }
    if (raw.idNumber !== undefined) {
      if (!ID_NUMBER.test(raw.idNumber)) return undefined;
      row.idNumber = raw.idNumber;
    }
    if (raw.urgency !== undefined) {
      const urgency = URGENCY.get(raw.urgency.trim());
      if (urgency === undefined) return undefined;
      row.urgency = urgency;
    }
    if (raw.status !== undefined) {
      const status = STATUS.get(raw.status.trim());
      if (status === undefined) return undefined;
      row.status = status;
    }
    for (const field of ['dispatchedAt', 'firstResponseAt', 'dueAt', 'closedAt'] as const) {
      const ms = wallClockMs(raw[field]);
      if (ms === null) return undefined;
      if (ms !== undefined) row[field] = ms;
    }
    if (handlingUnit !== undefined) {
      if (handlingUnit.length > 128) return undefined;
      row.handlingUnit = neutralizeFormula(handlingUnit);
    }
    if (handlingDept !== undefined) {
      if (handlingDept.length > 128) return undefined;
      row.handlingDept = neutralizeFormula(handlingDept);
    }
    if (raw.satisfaction !== undefined) {
      const satisfaction = SATISFACTION.get(raw.satisfaction.trim());
      if (satisfaction === undefined) return undefined;
      row.satisfaction = satisfaction;
    }
    if (raw.policeMatter !== undefined) {
      const policeMatter = POLICE_MATTER.get(raw.policeMatter.trim());
      if (policeMatter === undefined) return undefined;
      row.policeMatter = policeMatter;
    }
    if (raw.policeIncidentType !== undefined) {
      const incidentType = INCIDENT_TYPE.get(raw.policeIncidentType.trim());
      if (incidentType === undefined) return undefined;
      row.policeIncidentType = incidentType;
    }
    if (raw.transferredToHotline !== undefined) {
      const transferred = parseYesNo(raw.transferredToHotline);
      if (transferred === undefined) return undefined;
      row.transferredToHotline = transferred;
    }
    if (raw.petitionForm !== undefined) {
      const form = PETITION_FORM.get(raw.petitionForm.trim());
      if (form === undefined) return undefined;
      row.petitionForm = form;
    }
    if (raw.petitionRepeat !== undefined) {
      const repeat = parseYesNo(raw.petitionRepeat);
      if (repeat === undefined) return undefined;
      row.petitionRepeat = repeat;
    }
    if (raw.groupSize !== undefined) {
      if (!GROUP_SIZE.test(raw.groupSize)) return undefined;
      const size = Number(raw.groupSize);
      if (!(size >= 1)) return undefined;
      row.groupSize = size;
    }
    // The schema's cross-field rules (superRefine): any of them failing is the schema's to report.
    if (received > wallClockNow() + 86_400_000) return undefined;
    if (row.dispatchedAt !== undefined && row.dispatchedAt < received) return undefined;
    if (row.firstResponseAt !== undefined && row.firstResponseAt < received) return undefined;
    if (row.closedAt !== undefined && row.closedAt < received) return undefined;
    if ((row.lng === undefined) !== (row.lat === undefined)) return undefined;
    if (source === 'hotline' && row.nature !== undefined && !lookupLabel(HOTLINE_NATURE_LABELS_IN, row.nature)) return undefined;
    return row;
  };
}

/** The stored event as normalize-row.ts builds it, timestamps as wall-clock ms (what eventSchema checks as Dates). */
export interface EventCandidate {
  source: string;
  externalId: string;
  receivedAt: number;
  channel: string;
  nature: string;
  category: string;
  subCategory: string | null;
  summary: string;
  lng: number;
  lat: number;
  locationApproximate: boolean;
  h3r7: string;
  h3r8: string;
  h3r9: string;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  urgency: string;
  reporterHash: string | null;
  reporterNameMasked: string | null;
  reporterPhoneMasked: string | null;
  reporterIdMasked: string | null;
  status: string;
  dispatchedAt: number | null;
  firstResponseAt: number | null;
  dueAt: number | null;
  closedAt: number | null;
  handlingUnit: string | null;
  handlingDept: string | null;
  returnVisit: string | null;
  policeIsPoliceMatter: boolean | null;
  policeIncidentType: string | null;
  policeTransferredToHotline: boolean | null;
  petitionForm: string | null;
  petitionIsRepeat: boolean | null;
  petitionGroupSize: number | null;
  hotlineNature: string | null;
}

const SOURCE_SET = new Set<string>(SOURCES);
const ITEM_SET = new Set<string>(ITEMS);
const URGENCY_SET = new Set<string>(URGENCIES);
const STATUS_SET = new Set<string>(EVENT_STATUSES);
const RETURN_VISIT_SET = new Set<string>(RETURN_VISIT_RESULTS);
const INCIDENT_TYPE_SET = new Set<string>(POLICE_INCIDENT_TYPES);
const PETITION_FORM_SET = new Set<string>(PETITION_CHANNELS);
const HOTLINE_NATURE_SET = new Set<string>(HOTLINE_NATURES);
const DIGITS = { 6: /^\d{6}$/, 9: /^\d{9}$/, 12: /^\d{12}$/, 15: /^\d{15}$/ } as const;

const textUpTo = (value: unknown, max: number, min = 0): boolean => typeof value === 'string' && value.length >= min && value.length <= max;
const optional = (value: unknown, check: (value: unknown) => boolean): boolean => value === null || check(value);
const isString = (value: unknown): boolean => typeof value === 'string';
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const isTime = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= 8.64e15;
const inSet = (set: ReadonlySet<string>) => (value: unknown): boolean => typeof value === 'string' && set.has(value);
const isSource = inSet(SOURCE_SET);
const isItem = inSet(ITEM_SET);
const isUrgency = inSet(URGENCY_SET);
const isStatus = inSet(STATUS_SET);
const isReturnVisit = inSet(RETURN_VISIT_SET);
const isIncidentType = inSet(INCIDENT_TYPE_SET);
const isPetitionForm = inSet(PETITION_FORM_SET);
const isHotlineNature = inSet(HOTLINE_NATURE_SET);
const isSubCategory = (value: unknown): boolean => textUpTo(value, 64);
const isGroupSize = (value: unknown): boolean => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;

/** The eventSchema's bounds of a stored point (WGS-84): Chengdu's extent. */
export function insideChengdu(lng: number, lat: number): boolean {
  return lng >= 102.9 && lng <= 105.0 && lat >= 30.0 && lat <= 31.5;
}

/**
 * True when the domain's eventSchema (packages/domain/src/event-schema.ts) accepts this
 * candidate: the same rules, checked by hand. False means "run the schema", which then says
 * what is wrong; it is never the final answer on its own.
 */
export function eventCandidatePasses(event: EventCandidate): boolean {
  return (
    isSource(event.source) &&
    textUpTo(event.externalId, 64, 1) &&
    isTime(event.receivedAt) &&
    textUpTo(event.channel, 32, 1) &&
    textUpTo(event.nature, 32, 1) &&
    isItem(event.category) &&
    optional(event.subCategory, isSubCategory) &&
    textUpTo(event.summary, 2000) &&
    typeof event.lng === 'number' && typeof event.lat === 'number' && insideChengdu(event.lng, event.lat) &&
    isBoolean(event.locationApproximate) &&
    textUpTo(event.h3r7, 15, 15) && textUpTo(event.h3r8, 15, 15) && textUpTo(event.h3r9, 15, 15) &&
    isString(event.districtCode) && DIGITS[6].test(event.districtCode) &&
    isString(event.streetCode) && DIGITS[9].test(event.streetCode) &&
    isString(event.communityCode) && DIGITS[12].test(event.communityCode) &&
    isString(event.gridCode) && DIGITS[15].test(event.gridCode) &&
    isUrgency(event.urgency) &&
    optional(event.reporterHash, isString) &&
    optional(event.reporterNameMasked, isString) &&
    optional(event.reporterPhoneMasked, isString) &&
    optional(event.reporterIdMasked, isString) &&
    isStatus(event.status) &&
    optional(event.dispatchedAt, isTime) && optional(event.firstResponseAt, isTime) && optional(event.dueAt, isTime) && optional(event.closedAt, isTime) &&
    optional(event.handlingUnit, isString) &&
    optional(event.handlingDept, isString) &&
    optional(event.returnVisit, isReturnVisit) &&
    optional(event.policeIsPoliceMatter, isBoolean) &&
    optional(event.policeIncidentType, isIncidentType) &&
    optional(event.policeTransferredToHotline, isBoolean) &&
    optional(event.petitionForm, isPetitionForm) &&
    optional(event.petitionIsRepeat, isBoolean) &&
    optional(event.petitionGroupSize, isGroupSize) &&
    optional(event.hotlineNature, isHotlineNature) &&
    // The schema's refinements: one hierarchy of unit codes, not closed before received.
    event.gridCode.startsWith(event.communityCode) && event.communityCode.startsWith(event.streetCode) && event.streetCode.startsWith(event.districtCode) &&
    (event.closedAt === null || !(event.closedAt < event.receivedAt))
  );
}
