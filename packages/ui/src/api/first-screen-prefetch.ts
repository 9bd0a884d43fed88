import type { QueryClient } from '@tanstack/react-query';
import type { CityOpsApi } from './api-contract.ts';
import { childVolumesQuery, kpisQuery, meQuery, monthlyVolumesQuery, monthsQuery, topItemsQuery, unitQuery } from './queries.ts';
import { boundariesQuery } from '../map/use-boundaries.ts';
import { indexDecompositionQuery, indexRankingQuery } from './analysis-queries.ts';
import { BOOT_MISS, bootRequestsIssued, firstScreenBoundaryUrls, firstScreenCalls, hasBootAnswer, homeUnitCode, takeBootAnswer, type FirstScreenCall, type FirstScreenPlan } from './first-screen-boot.ts';

export type { FirstScreenPlan } from './first-screen-boot.ts';
export { homeUnitCode } from './first-screen-boot.ts';

type AnyQuery = { queryKey: readonly unknown[]; queryFn: () => Promise<unknown> };

/** The hook's own query options for one first-screen call (so the answer lands under the hook's key). */
export function firstScreenQuery(api: CityOpsApi, [path, input]: FirstScreenCall): AnyQuery {
  const i = input as { unitCode: string; code: string; month: string; months: number; limit: number; compareTo: string };
  switch (path) {
    case 'overview.monthlyVolumes':
      return monthlyVolumesQuery(api, i.unitCode, i.months);
    case 'overview.kpis':
      return kpisQuery(api, i.unitCode, i.month);
    case 'overview.childVolumes':
      return childVolumesQuery(api, i.unitCode, i.month);
    case 'overview.topItems':
      return topItemsQuery(api, i.unitCode, i.month, i.limit);
    case 'index.decomposition':
      return indexDecompositionQuery(api, i.code, i.month, i.compareTo);
    case 'index.ranking':
      return indexRankingQuery(api, i.unitCode, i.month);
    case 'geo.unit':
      return unitQuery(api, i.code);
    default:
      throw new Error(`no query for first-screen call ${path}`);
  }
}

/**
 * A query whose first answer may already be on its way: requested by the app's boot module
 * (first-screen-boot.ts) before the bundle ran. A missing or failed boot answer asks the server.
 */
function booted<Q extends { queryKey: readonly unknown[]; queryFn: (...args: never[]) => Promise<unknown> }>(query: Q, path: string, input?: unknown): Q {
  const answer = takeBootAnswer(path, input);
  if (!answer) return query;
  const { queryFn } = query;
  let taken = false;
  return { ...query, queryFn: (async (...args: never[]) => {
    // Once only: a refetch through these options (e.g. auth.me after signing in) asks the server.
    if (taken) return queryFn(...args);
    taken = true;
    const data = await answer;
    return data === BOOT_MISS ? queryFn(...args) : data;
  }) as Q['queryFn'] };
}

/**
 * The booted months; if the boot's answer failed, the server is asked only for a signed-in user
 * (signed out, the boot's months call was refused and asking again would only log another 401).
 */
function bootedMonthsIfSignedIn(api: CityOpsApi, me: Promise<{ user: unknown }>) {
  const base = monthsQuery(api);
  const answer = takeBootAnswer('overview.months');
  let taken = false;
  return {
    ...base,
    retry: false,
    queryFn: async () => {
      if (taken) return base.queryFn();
      taken = true;
      const data = await answer;
      if (data !== BOOT_MISS && data !== undefined) return data as Awaited<ReturnType<typeof base.queryFn>>;
      if (!(await me).user) throw new Error('signed out');
      return base.queryFn();
    },
  };
}

/**
 * Starts the first screen's queries as soon as the bundle runs, before React renders: the session,
 * then the months, then `firstScreenCalls` (the boot module's own list: the latest month's KPIs,
 * unit volumes, the 12-month trend and what the plan adds), plus the boundaries. Without it the
 * chain waited on each render — and the map's WebGL start-up blocked the main thread between them
 * (the last answer came 5–6 s after navigation, DOMContentLoaded at 1.9 s). Answers land in the
 * react-query cache under the hooks' own keys; a failure is left to the hooks, which fetch again
 * and show their error state. Answers the boot module fetched (`bootFirstScreen`, before the
 * bundle was parsed) are used instead of asking again.
 */
export async function prefetchFirstScreen(queryClient: QueryClient, api: CityOpsApi, plan: FirstScreenPlan = {}): Promise<void> {
  try {
    // The session (and the months, if the boot asked for them beside it) synchronously, so the
    // hooks rendering next find them in flight; without a boot the months wait for a signed-in user.
    const mePending = queryClient.fetchQuery(booted(meQuery(api), 'auth.me'));
    const months = () => queryClient.fetchQuery(booted(monthsQuery(api), 'overview.months'));
    const monthsEarly = hasBootAnswer('overview.months') ? queryClient.fetchQuery(bootedMonthsIfSignedIn(api, mePending)) : null;
    monthsEarly?.catch(() => undefined);
    const me = await mePending;
    // The boot asks for the rest once the session and months came: take its answers after that.
    await bootRequestsIssued();
    const user = me.user;
    if (!user) return;
    const unitCode = homeUnitCode(user);
    const pending: Promise<unknown>[] = firstScreenBoundaryUrls(unitCode, plan).map((url) => queryClient.prefetchQuery(booted(boundariesQuery(url), 'boundaries', url)));
    const { months: monthList } = await (monthsEarly ?? months());
    for (const call of firstScreenCalls(unitCode, monthList, plan).flat()) {
      pending.push(queryClient.prefetchQuery(booted(firstScreenQuery(api, call), call[0], call[1])));
    }
    await Promise.all(pending);
  } catch {
    // The hooks ask again and show the error where it belongs.
  }
}
