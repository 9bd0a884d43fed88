import { DomainError } from '../errors.ts';

/**
 * Asia/Shanghai wall-clock time.
 *
 * Convention (the same as the `events` table, DuckDB TIMESTAMP without zone): a wall-clock
 * instant is a plain `Date` whose **UTC fields** read as the Shanghai local time, e.g.
 * 2026-02-13 10:00 in Chengdu is `new Date(Date.UTC(2026, 1, 13, 10, 0))`. Every function in
 * this folder reads and writes only the `getUTC*` fields, so results do not depend on the
 * process time zone (tests run under TZ=UTC and TZ=Asia/Shanghai). Shanghai has had no
 * daylight saving since 1991, so adding hours as milliseconds is exact.
 *
 * Convert real instants only at the edges, with `wallClockFromInstant` / `instantFromWallClock`.
 */
export type WallClock = Date;

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

/** Builds a wall-clock value; `month` is 1-based (1 = January), unlike `Date`. */
export function wallClock(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): WallClock {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second));
}

const WALL_CLOCK_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses 'YYYY-MM-DD', 'YYYY-MM-DD HH:mm' or 'YYYY-MM-DDTHH:mm[:ss]'; a zone suffix is refused on purpose. */
export function parseWallClock(text: string): WallClock {
  const match = WALL_CLOCK_PATTERN.exec(text.trim());
  if (!match) throw new DomainError('BAD_INPUT', `不是有效的北京时间: ${text}`);
  const [, y, mo, d, h, mi, s] = match;
  const value = wallClock(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  // Reject rollovers such as 2026-02-30 that Date.UTC would silently accept.
  if (dayKeyOf(value) !== `${y}-${mo}-${d}`) throw new DomainError('BAD_INPUT', `不存在的日期: ${text}`);
  return value;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** 'YYYY-MM-DD' of a wall-clock value (the key used by the holiday tables). */
export function dayKeyOf(value: WallClock): string {
  return `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
}

/** 'YYYY-MM-DD HH:mm' for messages and logs. */
export function formatWallClock(value: WallClock): string {
  return `${dayKeyOf(value)} ${pad(value.getUTCHours())}:${pad(value.getUTCMinutes())}`;
}

/** 00:00 of the same wall-clock day. */
export function startOfDay(value: WallClock): WallClock {
  return new Date(Math.floor(value.getTime() / DAY_MS) * DAY_MS);
}

export function addDays(value: WallClock, days: number): WallClock {
  return new Date(value.getTime() + days * DAY_MS);
}

/** Day of week of a wall-clock value: 0 = Sunday … 6 = Saturday. */
export function weekdayOf(value: WallClock): number {
  return value.getUTCDay();
}

/** A real instant (e.g. `new Date()` or an ISO string with a zone) → Shanghai wall clock. */
export function wallClockFromInstant(instant: Date): WallClock {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS);
}

/** Shanghai wall clock → the real instant, for APIs that speak UTC. */
export function instantFromWallClock(value: WallClock): Date {
  return new Date(value.getTime() - SHANGHAI_OFFSET_MS);
}

export function assertValidWallClock(value: unknown, what: string): asserts value is WallClock {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new DomainError('BAD_INPUT', `${what}不是有效的时间`);
  }
}
