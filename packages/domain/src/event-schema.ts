import { z } from 'zod';
import { ITEMS } from './categories.ts';
import {
  HOTLINE_NATURES,
  PETITION_CHANNELS,
  POLICE_INCIDENT_TYPES,
  SOURCES,
  URGENCIES,
} from './sources.ts';

/**
 * The canonical event: one row of the `events` table, for all three sources.
 * All timestamps are Asia/Shanghai wall-clock time (UTC+8, no daylight saving), stored
 * as DuckDB TIMESTAMP without zone; month boundaries are therefore local months.
 * Personal data is never stored in the clear: `reporterHash` (salted SHA-256) is for
 * matching repeat reporters; the `*Masked` fields are what a screen may show.
 * H3 cells: `h3r9` and `h3r8` are the cells containing the point; `h3r7` is the parent of
 * `h3r9` (H3's roll-up; cells do not nest exactly, so it can differ from the res-7 cell
 * containing the point).
 */
export const EVENT_STATUSES = ['received', 'dispatched', 'in_progress', 'disposed', 'closed'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  received: '已受理',
  dispatched: '已派单',
  in_progress: '办理中',
  disposed: '已办结',
  closed: '已回访关闭',
};

export const RETURN_VISIT_RESULTS = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type ReturnVisitResult = (typeof RETURN_VISIT_RESULTS)[number];
export const RETURN_VISIT_LABELS: Record<ReturnVisitResult, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  dissatisfied: '不满意',
};

const unitCode = (length: number) => z.string().regex(new RegExp(`^\\d{${length}}$`));
const wallClock = z.date();

export const eventSchema = z
  .object({
    id: z.number().int().nonnegative(),
    source: z.enum(SOURCES),
    externalId: z.string().min(1).max(64),
    receivedAt: wallClock,
    channel: z.string().min(1).max(32),
    nature: z.string().min(1).max(32),
    category: z.enum(ITEMS),
    subCategory: z.string().max(64).nullable(),
    summary: z.string().max(2000),
    lng: z.number().min(102.9).max(105.0),
    lat: z.number().min(30.0).max(31.5),
    locationApproximate: z.boolean(),
    h3r7: z.string().length(15),
    h3r8: z.string().length(15),
    h3r9: z.string().length(15),
    districtCode: unitCode(6),
    streetCode: unitCode(9),
    communityCode: unitCode(12),
    gridCode: unitCode(15),
    urgency: z.enum(URGENCIES),
    reporterHash: z.string().nullable(),
    reporterNameMasked: z.string().nullable(),
    reporterPhoneMasked: z.string().nullable(),
    reporterIdMasked: z.string().nullable(),
    status: z.enum(EVENT_STATUSES),
    dispatchedAt: wallClock.nullable(),
    firstResponseAt: wallClock.nullable(),
    dueAt: wallClock.nullable(),
    closedAt: wallClock.nullable(),
    handlingUnit: z.string().nullable(),
    handlingDept: z.string().nullable(),
    returnVisit: z.enum(RETURN_VISIT_RESULTS).nullable(),
    // 110-specific
    policeIsPoliceMatter: z.boolean().nullable(),
    policeIncidentType: z.enum(POLICE_INCIDENT_TYPES).nullable(),
    policeTransferredToHotline: z.boolean().nullable(),
    // petition-specific
    petitionForm: z.enum(PETITION_CHANNELS).nullable(),
    petitionIsRepeat: z.boolean().nullable(),
    petitionGroupSize: z.number().int().positive().nullable(),
    // 12345-specific
    hotlineNature: z.enum(HOTLINE_NATURES).nullable(),
  })
  .superRefine((event, ctx) => {
    if (!event.gridCode.startsWith(event.communityCode) || !event.communityCode.startsWith(event.streetCode) || !event.streetCode.startsWith(event.districtCode)) {
      ctx.addIssue({ code: 'custom', message: '区划代码层级不一致', path: ['gridCode'] });
    }
    if (event.closedAt && event.closedAt < event.receivedAt) {
      ctx.addIssue({ code: 'custom', message: '办结时间早于受理时间', path: ['closedAt'] });
    }
  });
export type CityEvent = z.infer<typeof eventSchema>;
