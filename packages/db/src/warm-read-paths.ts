import type { Database } from './database.ts';
import { resolveIndexMonth } from './index-store/index-read.ts';
import { shiftMonth } from './index-store/months.ts';
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
 * open on and of the months it is compared with (computed provisionally when not published).
 * Everything done here is what the first read would otherwise do, with the same single-flight
 * functions.
 */
export async function warmReadPaths(db: Database): Promise<WarmResult> {
  const started = performance.now();
  const serviceCountsRecounted = await ensureServiceCountsFresh(db);
  const available = await queryAvailableMonths(db);
  const month = available.at(-1) ?? null;
  // The month itself and the months its ranking and unit cards compare against (环比, 同比):
  // a comparison month that is not published is computed provisionally on first read.
  if (month) for (const m of [month, shiftMonth(month, -1), shiftMonth(month, -12)]) if (available.includes(m)) await resolveIndexMonth(db, m);
  return { month, serviceCountsRecounted, ms: performance.now() - started };
}
