import { SOURCE_CATEGORY_MAP, type Item, type Source } from '@cityops/domain';
import { z } from 'zod';
import type { CategoryMap, ImportField } from './fields.ts';
import {
  CHANNEL_LABELS_IN,
  HOTLINE_NATURE_LABELS_IN,
  INCIDENT_TYPE_LABELS_IN,
  PETITION_FORM_LABELS_IN,
  PETITION_NATURE_LABELS_IN,
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

/** A row as text, keyed by field: trimmed, empty cells left out. */
export type RawRow = Partial<Record<ImportField, string>>;

const required = (label: string) => ({ error: (issue: { input: unknown }) => (issue.input === undefined ? `必填项为空: ${label}` : `应为文本: ${label}`) });

/** Free text as stored: formula-like cells neutralised (see neutralizeFormula), length-checked. */
const text = (max: number) => z.string().max(max, `超过 ${max} 个字符`).transform(neutralizeFormula);

const wallClock = z.string().transform((value, ctx) => {
  const parsed = parseWallClock(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  }
  return parsed.ms;
});

function label<T>(table: Readonly<Record<string, T>>, what: string) {
  return z.string().transform((value, ctx) => {
    const key = value.trim();
    // The label, or the code itself (a file written by another CityOps, or the push API).
    const found = table[key] ?? (Object.values(table).find((code) => typeof code === 'string' && code === key.toLowerCase()) as T | undefined);
    if (found === undefined) {
      ctx.addIssue({ code: 'custom', message: `无法识别的${what}: ${value}（可用: ${Object.keys(table).join('/')}）` });
      return z.NEVER;
    }
    return found as T;
  });
}

const yesNo = (what: string) =>
  z.string().transform((value, ctx) => {
    const parsed = parseYesNo(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: 'custom', message: `${what}应为 是/否: ${value}` });
      return z.NEVER;
    }
    return parsed;
  });

const decimal = (what: string) =>
  z.string().transform((value, ctx) => {
    const parsed = Number(value);
    if (!/^-?\d+(\.\d+)?$/.test(value) || !Number.isFinite(parsed)) {
      ctx.addIssue({ code: 'custom', message: `${what}应为数字: ${value}` });
      return z.NEVER;
    }
    return parsed;
  });

/** Phone numbers: mobile, landline with area code, or short service numbers of 7+ digits. */
const phone = z.string().refine((value) => /^[\d\s+()-]+$/.test(value) && value.replace(/\D/g, '').length >= 7 && value.replace(/\D/g, '').length <= 15, '联系电话格式不正确');
/** Resident ID: 18 characters (17 digits + digit or X), or the old 15-digit form. */
const idNumber = z.string().refine((value) => /^(\d{17}[\dXx]|\d{15})$/.test(value), '身份证号格式不正确');

/**
 * The per-row schema: text cells in, typed values out, one issue per bad cell (the issue's
 * path names the field, which the importer maps back to the column header). Category names
 * go through the source's map (plus a mapping file's extra names); unmapped names are refused
 * with the name in `params.unmapped` so the summary can count them.
 */
export function buildRowSchema(source: Source, extraCategories: CategoryMap = {}) {
  const categories: CategoryMap = { ...SOURCE_CATEGORY_MAP[source], ...extraCategories };
  const category = z.string().transform((value, ctx): Item => {
    // Own names only: "toString" found Object.prototype's function, which then crashed the
    // petition path (leadDepartmentFor) instead of refusing the row as unmapped.
    const key = value.trim();
    const item = Object.hasOwn(categories, key) ? categories[key] : undefined;
    if (!item) {
      ctx.addIssue({ code: 'custom', message: `类别未映射到16个事项: ${value}`, params: { unmapped: value.trim() } });
      return z.NEVER;
    }
    return item;
  });
  return z
    .object({
      externalId: z.string(required('编号')).min(1).max(64, '编号超过 64 个字符').transform(neutralizeFormula),
      receivedAt: z.string(required('受理时间')).pipe(wallClock),
      category: z.string(required('类别')).pipe(category),
      channel: text(32).optional(),
      nature: z.string().optional(),
      subCategory: text(64).optional(),
      summary: text(2000).optional(),
      district: z.string().optional(),
      street: z.string().optional(),
      community: z.string().optional(),
      unitCode: z.string().regex(/^\d{6}(\d{3}(\d{3}(\d{3})?)?)?$/, '区划代码应为 6/9/12/15 位数字').optional(),
      lng: decimal('经度').optional(),
      lat: decimal('纬度').optional(),
      reporterName: z.string().max(64).optional(),
      phone: phone.optional(),
      idNumber: idNumber.optional(),
      urgency: label(URGENCY_LABELS_IN, '紧急程度').optional(),
      status: label(STATUS_LABELS, '办理状态').optional(),
      dispatchedAt: wallClock.optional(),
      firstResponseAt: wallClock.optional(),
      dueAt: wallClock.optional(),
      closedAt: wallClock.optional(),
      handlingUnit: text(128).optional(),
      handlingDept: text(128).optional(),
      satisfaction: label(SATISFACTION_LABELS, '满意度').optional(),
      policeMatter: label(POLICE_MATTER_LABELS_IN, '警情性质').optional(),
      policeIncidentType: label(INCIDENT_TYPE_LABELS_IN, '警情类型').optional(),
      transferredToHotline: yesNo('是否转12345').optional(),
      petitionForm: label(PETITION_FORM_LABELS_IN, '信访形式').optional(),
      petitionRepeat: yesNo('是否重复信访').optional(),
      groupSize: z.string().regex(/^\d{1,5}$/, '人数应为正整数').transform(Number).refine((n) => n >= 1, '人数应为正整数').optional(),
    })
    .superRefine((row, ctx) => {
      // A day of slack for clocks and time zones of the exporting system.
      if (row.receivedAt > wallClockNow() + 86_400_000) ctx.addIssue({ code: 'custom', path: ['receivedAt'], message: '受理时间在未来' });
      for (const field of ['dispatchedAt', 'firstResponseAt', 'closedAt'] as const) {
        const at = row[field];
        if (at !== undefined && at < row.receivedAt) ctx.addIssue({ code: 'custom', path: [field], message: '时间早于受理时间' });
      }
      if ((row.lng === undefined) !== (row.lat === undefined)) ctx.addIssue({ code: 'custom', path: [row.lng === undefined ? 'lng' : 'lat'], message: '经度和纬度须同时填写' });
      if (source === 'hotline' && row.nature !== undefined && !lookupLabel(HOTLINE_NATURE_LABELS_IN, row.nature)) {
        ctx.addIssue({ code: 'custom', path: ['nature'], message: `无法识别的诉求性质: ${row.nature}（可用: ${Object.keys(HOTLINE_NATURE_LABELS_IN).join('/')}）` });
      }
    });
}
export type RowSchema = ReturnType<typeof buildRowSchema>;
export type ParsedRow = z.output<RowSchema>;

/** Channel code: known words mapped, other channel names kept as (neutralised) text. */
export function channelOf(source: Source, row: ParsedRow): string {
  if (row.channel) return lookupLabel(CHANNEL_LABELS_IN, row.channel) ?? row.channel;
  if (source === 'petition') return row.petitionForm ?? 'unspecified';
  return 'phone';
}

export function natureOf(source: Source, row: ParsedRow): { nature: string; hotlineNature: ParsedHotlineNature } {
  if (source === 'hotline') {
    const hotlineNature = row.nature ? (lookupLabel(HOTLINE_NATURE_LABELS_IN, row.nature) ?? null) : null;
    return { nature: hotlineNature ?? 'unspecified', hotlineNature };
  }
  if (source === 'police') {
    return { nature: row.policeMatter === undefined ? 'unspecified' : row.policeMatter ? 'police' : 'non_police', hotlineNature: null };
  }
  return { nature: (row.nature && (PETITION_NATURE_LABELS_IN[row.nature] ?? neutralizeFormula(row.nature).slice(0, 32))) || 'unspecified', hotlineNature: null };
}
type ParsedHotlineNature = (typeof HOTLINE_NATURE_LABELS_IN)[string] | null;

/** The state when the export has no status column: the furthest step its timestamps show. */
export function statusOf(row: ParsedRow): NonNullable<ParsedRow['status']> {
  if (row.status) return row.status;
  if (row.closedAt !== undefined) return row.satisfaction ? 'closed' : 'disposed';
  if (row.firstResponseAt !== undefined) return 'in_progress';
  if (row.dispatchedAt !== undefined) return 'dispatched';
  return 'received';
}
