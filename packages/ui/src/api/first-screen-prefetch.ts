import type { QueryClient } from '@tanstack/react-query';
import type { CityOpsApi, SessionUser } from './api-contract.ts';
import { childVolumesQuery, kpisQuery, meQuery, monthlyVolumesQuery, monthsQuery } from './queries.ts';
import { boundariesQuery } from '../map/use-boundaries.ts';
import { childBoundaryUrl } from '../map/geo-utils.ts';

export interface FirstScreenPlan {
  /** Boundary files the first screen draws besides the user's own units (e.g. the context layer). */
  contextUrls?: (user: SessionUser) => readonly (string | null)[];
}

/**
 * Starts the first screen's queries as soon as the bundle runs, before React renders: the session,
 * then the months, then the latest month's KPIs, unit volumes and the 12-month trend, plus the
 * boundaries. Without it the chain waited on each render — and the map's WebGL start-up blocked
 * the main thread between them (the last answer came 5–6 s after navigation, DOMContentLoaded at
 * 1.9 s). Answers land in the react-query cache under the hooks' own keys; a failure is left to
 * the hooks, which fetch again and show their error state.
 */
export async function prefetchFirstScreen(queryClient: QueryClient, api: CityOpsApi, plan: FirstScreenPlan = {}): Promise<void> {
  try {
    const me = await queryClient.fetchQuery(meQuery(api));
    const user = me.user;
    if (!user) return;
    const urls = [childBoundaryUrl(user.unitCode), ...(plan.contextUrls?.(user) ?? [])];
    const pending: Promise<unknown>[] = urls.flatMap((url) => (url ? [queryClient.prefetchQuery(boundariesQuery(url))] : []));
    pending.push(queryClient.prefetchQuery(monthlyVolumesQuery(api, user.unitCode, 12)));
    const months = await queryClient.fetchQuery(monthsQuery(api));
    const month = months.months.at(-1);
    if (month) {
      pending.push(
        queryClient.prefetchQuery(kpisQuery(api, user.unitCode, month)),
        queryClient.prefetchQuery(childVolumesQuery(api, user.unitCode, month)),
      );
    }
    await Promise.all(pending);
  } catch {
    // The hooks ask again and show the error where it belongs.
  }
}
