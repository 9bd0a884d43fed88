/**
 * Parsing of the cell values department exports contain: Chinese labels, several date
 * notations, Excel serial dates, yes/no words. Pure functions; they return undefined for a
 * value they cannot read so the row schema can say which column is wrong.
 */

/**
 * Spreadsheet-formula injection (OWASP "CSV injection"): a cell starting with = + - @ (or a
 * tab / carriage return that some spreadsheet programs skip) is executed when the file is
 * opened. Prefixing an apostrophe makes every spreadsheet program treat it as text. Idempotent:
 * an already neutralised value starts with ' and is left alone, so re-imports do not stack quotes.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const MS_PER_DAY = 86_400_000;
/** Excel's day 0 is 1899-12-30 (the 1900 leap-year bug included); 25569 = days to 1970-01-01. */
const EXCEL_EPOCH_OFFSET_DAYS = 25_569;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export type WallClockResult = { ok: true; ms: number } | { ok: false; reason: string };

const DATE_TIME =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+(\d{1,2})\s*[:时：]\s*(\d{1,2})(?:\s*[:分：]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$/;

/**
 * Reads a timestamp as Asia/Shanghai wall-clock time, returned as milliseconds of a Date whose
 * UTC fields are the wall-clock fields (how the warehouse stores TIMESTAMP without zone).
 * Accepts 2025-03-15 09:12[:33], 2025/3/15 9:12, 2025年3月15日 9时12分, 20250315091233,
 * ISO 8601 with an offset (converted to +08:00), and Excel serial day numbers.
 */
export function parseWallClock(text: string): WallClockResult {
  const value = text.trim();
  if (/^\d{5}(\.\d+)?$/.test(value)) {
    const serial = Number(value);
    // 36526 = 2000-01-01, 73051 = 2100-01-01: outside is not a date of a case.
    if (serial < 36_526 || serial >= 73_051) return { ok: false, reason: `日期序号超出范围: ${value}` };
    return { ok: true, ms: Math.round((serial - EXCEL_EPOCH_OFFSET_DAYS) * MS_PER_DAY / 1000) * 1000 };
  }
  const fields = isoFields(value);
  const match = fields ? null : (DATE_TIME.exec(value) ?? COMPACT.exec(value));
  if (!fields && !match) return { ok: false, reason: `无法识别的日期格式: ${value}` };
  const [year, month, day, hour = 0, minute = 0, second = 0] = fields ?? (match!.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part))) as number[]);
  if (year! < 2000 || year! > 2099) return { ok: false, reason: `年份不合理: ${value}` };
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth(year!, month!)) return { ok: false, reason: `日期不存在: ${value}` };
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: `时间不存在: ${value}` };
  let ms = Date.UTC(year!, month! - 1, day!, hour, minute, second);
  const zone = match?.[7];
  if (zone) {
    // An explicit offset: convert the instant to Shanghai wall-clock time.
    const offsetMs = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2))) * 60_000;
    ms = ms - offsetMs + SHANGHAI_OFFSET_MS;
  }
  return { ok: true, ms };
}

/**
 * The fields of 'YYYY-MM-DD HH:MM:SS' (what exports and the templates write), read by hand: the
 * regular expressions cost ~1.5 µs a cell, five cells a row. Anything else → undefined (the
 * regular expressions decide). DATE_TIME reads this form to the same numbers.
 */
function isoFields(value: string): number[] | undefined {
  if (value.length !== 19 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || value.charCodeAt(10) !== 32 || value.charCodeAt(13) !== 58 || value.charCodeAt(16) !== 58) return undefined;
  // No closures here: tsx (esbuild keepNames) names every function created, per call.
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  const month = twoDigits(value, 5);
  const day = twoDigits(value, 8);
  const hour = twoDigits(value, 11);
  const minute = twoDigits(value, 14);
  const second = twoDigits(value, 17);
  if (Number.isNaN(year + month + day + hour + minute + second)) return undefined;
  return [year, month, day, hour, minute, second];
}

/** The number of two ASCII digits at `at`; NaN when either is not one. */
function twoDigits(value: string, at: number): number {
  const high = value.charCodeAt(at) - 48;
  const low = value.charCodeAt(at + 1) - 48;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : NaN;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days of a month 1–12 (Gregorian leap years), without a Date per call. */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}

/** Now as Shanghai wall-clock milliseconds (same convention as parseWallClock). */
export function wallClockNow(): number {
  return Date.now() + SHANGHAI_OFFSET_MS;
}

/** 'YYYY-MM-DD HH:MM:SS' of a wall-clock millisecond value (what DuckDB casts to TIMESTAMP). */
export function formatWallClock(ms: number): string {
  // Hand-built: called for every timestamp of every imported row (toISOString + slice +
  // replace cost several allocations each; a Date and its six getters ~1.5 µs). The civil date
  // from the day number: H. Hinnant, "chrono-compatible low-level date algorithms"
  // (https://howardhinnant.github.io/date_algorithms.html#civil_from_days). Years are
  // 2000–2099 here (parseWallClock); others take the Date.
  const seconds = Math.floor(Math.trunc(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 1000 && year <= 9999)) return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  const inDay = seconds - days * 86_400;
  const hour = Math.floor(inDay / 3600);
  const minute = Math.floor((inDay - hour * 3600) / 60);
  return `${year}-${pad2(month)}-${pad2(day)} ${pad2(hour)}:${pad2(minute)}:${pad2(inDay - hour * 3600 - minute * 60)}`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** Cell text of an exceljs Date (exceljs decodes Excel serials as UTC: the UTC fields are the wall clock). */
export function excelDateText(date: Date): string {
  return formatWallClock(date.getTime());
}

const YES = new Set(['是', 'y', 'yes', 'true', '1', '√', '已转', '重复', '重复访', '重复件']);
const NO = new Set(['否', 'n', 'no', 'false', '0', '×', '未转', '初次', '初信初访', '初访', '初件']);

export function parseYesNo(text: string): boolean | undefined {
  const value = text.trim().toLowerCase();
  if (YES.has(value)) return true;
  if (NO.has(value)) return false;
  return undefined;
}

/** Looks a label up in a table of label → code, also accepting the code itself. */
export function lookupLabel<T extends string>(table: Readonly<Record<string, T>>, text: string): T | undefined {
  const value = text.trim();
  return table[value] ?? (Object.values(table) as T[]).find((code) => code === value.toLowerCase());
}

export const STATUS_LABELS: Readonly<Record<string, 'received' | 'dispatched' | 'in_progress' | 'disposed' | 'closed'>> = {
  已受理: 'received', 待受理: 'received', 已登记: 'received', 待派单: 'received', 已接警: 'received',
  已派单: 'dispatched', 已交办: 'dispatched', 已转办: 'dispatched', 已派警: 'dispatched',
  办理中: 'in_progress', 处理中: 'in_progress', 已签收: 'in_progress', 已到场: 'in_progress', 处置中: 'in_progress',
  已办结: 'disposed', 已完成: 'disposed', 已处结: 'disposed', 已答复: 'disposed',
  已回访关闭: 'closed', 已回访: 'closed', 已关闭: 'closed', 已归档: 'closed', 已评价: 'closed',
};

/** Order of the states, to ignore an older export arriving after a newer one. */
export const STATUS_RANK = { received: 0, dispatched: 1, in_progress: 2, disposed: 3, closed: 4 } as const;

export const SATISFACTION_LABELS: Readonly<Record<string, 'satisfied' | 'basically_satisfied' | 'dissatisfied'>> = {
  满意: 'satisfied', 非常满意: 'satisfied', 基本满意: 'basically_satisfied', 一般: 'basically_satisfied', 不满意: 'dissatisfied', 非常不满意: 'dissatisfied',
};

export const URGENCY_LABELS_IN: Readonly<Record<string, 'emergency' | 'urgent' | 'normal' | 'complex'>> = {
  紧急: 'emergency', 特急: 'emergency', 加急: 'urgent', 急: 'urgent', 一般: 'normal', 普通: 'normal', 平件: 'normal', 复杂: 'complex', 疑难: 'complex',
};

export const HOTLINE_NATURE_LABELS_IN: Readonly<Record<string, 'consult' | 'help' | 'complaint' | 'suggestion' | 'report' | 'praise'>> = {
  咨询: 'consult', 求助: 'help', 投诉: 'complaint', 反映: 'complaint', 建议: 'suggestion', 举报: 'report', 表扬: 'praise',
};

export const PETITION_NATURE_LABELS_IN: Readonly<Record<string, string>> = {
  求决: 'request', 申诉: 'appeal', 检举控告: 'accusation', 控告: 'accusation', 检举: 'accusation', 意见建议: 'suggestion', 建议: 'suggestion',
};

export const PETITION_FORM_LABELS_IN: Readonly<Record<string, 'letter' | 'visit' | 'online'>> = {
  来信: 'letter', 来访: 'visit', 走访: 'visit', 网上信访: 'online', 网信: 'online', 网上: 'online',
};

export const POLICE_MATTER_LABELS_IN: Readonly<Record<string, boolean>> = { 警情: true, 非警情: false, 非警务: false, 警务: true, 是: true, 否: false };

export const INCIDENT_TYPE_LABELS_IN: Readonly<Record<string, 'criminal' | 'public_order' | 'traffic' | 'fire' | 'rescue' | 'dispute' | 'other'>> = {
  刑事: 'criminal', 刑事案件: 'criminal', 治安: 'public_order', 治安案件: 'public_order', 交通: 'traffic', 交通事故: 'traffic', 交通拥堵: 'traffic',
  火灾: 'fire', 救助: 'rescue', 求助: 'rescue', 纠纷: 'dispute', 劳资纠纷: 'dispute', 其他: 'other',
};

/** Channel words → the codes the generator uses; unknown channels are kept as text (exports invent new ones). */
export const CHANNEL_LABELS_IN: Readonly<Record<string, string>> = {
  电话: 'phone', 热线: 'phone', '12345热线': 'phone', 来电: 'phone', 网站: 'web', 网络: 'web', 市长信箱: 'web', 门户网站: 'web',
  app: 'app', 客户端: 'app', 天府市民云: 'app', 微信: 'wechat', 小程序: 'wechat', 短信: 'sms',
  来信: 'letter', 来访: 'visit', 网上信访: 'online',
};
