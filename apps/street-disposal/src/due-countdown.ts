/**
 * Wall-clock text from the server ('YYYY-MM-DD HH:mm:ss', Asia/Shanghai) → epoch ms, and the
 * desk's countdown to a due time. Pure, so it can be tested without a browser.
 */
export function wallClockToEpoch(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}+08:00`);
}

export interface Countdown {
  overdue: boolean;
  /** e.g. '2天3小时', '45分钟' (zh) or '2d 3h', '45m' (en). */
  text: string;
}

export function dueCountdown(dueAt: string, nowMs: number, lang: 'zh' | 'en'): Countdown {
  const diff = wallClockToEpoch(dueAt) - nowMs;
  const minutes = Math.floor(Math.abs(diff) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const zh = days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时${mins}分` : `${mins}分钟`;
  const en = days > 0 ? `${days}d ${hours}h` : hours > 0 ? `${hours}h ${mins}m` : `${mins}m`;
  return { overdue: diff < 0, text: lang === 'zh' ? zh : en };
}
