import type { Database } from './database.ts';
import { resolveIndexMonth } from './index-store/index-read.ts';
import { queryAvailableMonths } from './queries/months.ts';
import { ensureServiceCountsFresh } from './work-orders/service-counts.ts';

export interface WarmResult {
  /** The month the dashboards open on (the latest complete month), if there is one. */
  month: string | null;
  serviceCountsRecounted: boolean;
  ms: number;
}

/**
 * Brings what the dashboards' first screens read up to date before the server takes requests,
 * so the first user after a start does not pay for it: the precomputed service counts (a demo
 * start re-times open orders, which makes them stale) and the index of the month the screens
 * open on (computed provisionally when that month is not published). Everything done here is
 * what the first read would otherwise do, with the same single-flight functions.
 */
export async function warmReadPaths(db: Database): Promise<WarmResult> {
  const started = performance.now();
  const serviceCountsRecounted = await ensureServiceCountsFresh(db);
  const month = (await queryAvailableMonths(db)).at(-1) ?? null;
  if (month) await resolveIndexMonth(db, month);
  return { month, serviceCountsRecounted, ms: performance.now() - started };
}
