import { useMemo } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { levelOfCode } from '@cityops/domain/units';
import { useApi } from './api-provider.tsx';
import type { CityOpsApi, ViewFilters } from './api-contract.ts';

/** react-query hooks over the tRPC client, one per procedure the dashboards read. */

/**
 * While another month of the same unit loads (time playback, month picker), keep showing the
 * previous month instead of flashing a spinner; a different unit never shows stale numbers.
 */
function sameUnitPlaceholder<T>(unitCode: string | undefined) {
  return (previous: T | undefined, previousQuery: { queryKey: readonly unknown[] } | undefined) =>
    previousQuery?.queryKey[1] === unitCode ? previous : undefined;
}

/*
 * Query options shared by the hooks and `prefetchFirstScreen` (first-screen-prefetch.ts), so a
 * prefetched answer lands under exactly the key the hook reads.
 */
export const meQuery = (api: CityOpsApi) => ({ queryKey: ['auth.me'], queryFn: () => api.auth.me.query(), staleTime: Infinity });
export const monthsQuery = (api: CityOpsApi) => ({ queryKey: ['overview.months'], queryFn: () => api.overview.months.query() });
export const monthlyVolumesQuery = (api: CityOpsApi, unitCode: string, months: number) => ({
  queryKey: ['overview.monthlyVolumes', unitCode, months],
  queryFn: () => api.overview.monthlyVolumes.query({ unitCode, months }),
});
export const childVolumesQuery = (api: CityOpsApi, unitCode: string, month: string, filters?: ViewFilters) => {
  const extra = { ...(filters?.source ? { source: filters.source } : {}), ...(filters?.item ? { item: filters.item } : {}) };
  return {
    queryKey: ['overview.childVolumes', unitCode, month, extra],
    queryFn: () => api.overview.childVolumes.query({ unitCode, month, ...extra }),
  };
};
export const kpisQuery = (api: CityOpsApi, unitCode: string, month: string) => ({
  queryKey: ['overview.kpis', unitCode, month],
  queryFn: () => api.overview.kpis.query({ unitCode, month }),
});

export const topItemsQuery = (api: CityOpsApi, unitCode: string, month: string, limit: number) => ({
  queryKey: ['overview.topItems', unitCode, month, limit],
  queryFn: () => api.overview.topItems.query({ unitCode, month, limit }),
});

export function useMe() {
  const api = useApi();
  return useQuery(meQuery(api));
}

export function useLogin() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => api.auth.login.mutate(input),
    onSuccess: async () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth.me' });
      await queryClient.invalidateQueries({ queryKey: ['auth.me'] });
    },
  });
}

export function useLogout() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.auth.logout.mutate(),
    onSettled: async () => {
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth.me' });
      await queryClient.invalidateQueries({ queryKey: ['auth.me'] });
    },
  });
}

export const unitQuery = (api: CityOpsApi, code: string) => ({ queryKey: ['geo.unit', code], queryFn: () => api.geo.unit.query({ code }) });

export function useUnit(code: string | undefined) {
  const api = useApi();
  return useQuery({ ...unitQuery(api, code!), enabled: !!code });
}

export function useChildUnits(code: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['geo.children', code],
    queryFn: () => api.geo.children.query({ code: code! }),
    enabled: !!code,
  });
}

export function useMonths() {
  const api = useApi();
  return useQuery(monthsQuery(api));
}

export function useMonthlyVolumes(unitCode: string | undefined, months = 12) {
  const api = useApi();
  return useQuery({ ...monthlyVolumesQuery(api, unitCode!, months), enabled: !!unitCode });
}

export function useChildVolumes(unitCode: string | undefined, month: string | undefined, filters?: ViewFilters) {
  const api = useApi();
  return useQuery({
    ...childVolumesQuery(api, unitCode!, month!, filters),
    enabled: !!unitCode && !!month,
    placeholderData: sameUnitPlaceholder(unitCode),
  });
}

/**
 * The rows a map and a ranking colour for a unit: its children's volumes, or for a grid (which
 * has none) the grid's own row, read from its community's children so that the view's filters
 * and the rate per 10,000 residents come out exactly as for every other unit. For a caller who
 * may read the community (analysts); a grid worker, scoped to their grids, is not.
 */
export function useMapVolumes(unitCode: string | undefined, month: string | undefined, filters?: ViewFilters) {
  const leaf = !!unitCode && levelOfCode(unitCode) === 'grid';
  const query = useChildVolumes(leaf ? unitCode.slice(0, 12) : unitCode, month, filters);
  const data = useMemo(() => (leaf ? query.data?.filter((row) => row.code === unitCode) : query.data), [leaf, query.data, unitCode]);
  // A grid's siblings (its community's grids), for ranking the grid among them.
  const siblings = leaf ? query.data : undefined;
  return { leaf, data, siblings, error: query.error, isPending: query.isPending, refetch: query.refetch };
}

export function useKpis(unitCode: string | undefined, month: string | undefined) {
  const api = useApi();
  return useQuery({
    ...kpisQuery(api, unitCode!, month!),
    enabled: !!unitCode && !!month,
    placeholderData: sameUnitPlaceholder(unitCode),
  });
}

export function useTopItems(unitCode: string | undefined, month: string | undefined, limit = 10) {
  const api = useApi();
  return useQuery({
    ...topItemsQuery(api, unitCode!, month!, limit),
    enabled: !!unitCode && !!month,
    placeholderData: sameUnitPlaceholder(unitCode),
  });
}
