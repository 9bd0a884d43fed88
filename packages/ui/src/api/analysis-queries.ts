import { useQuery } from '@tanstack/react-query';
import type { Item } from '@cityops/domain/categories';
import type { Source } from '@cityops/domain/sources';
import { useApi } from './api-provider.tsx';
import type { CityOpsApi, ViewFilters } from './api-contract.ts';

/** react-query hooks for alerts, Gi* hotspots and the index ranking. */

export function useAlerts(unitCode: string | undefined, from: string, to: string, limit = 50) {
  const api = useApi();
  return useQuery({
    queryKey: ['alerts.list', unitCode, from, to, limit],
    queryFn: () => api.alerts.list.query({ unitCode: unitCode!, from, to, limit }),
    enabled: !!unitCode,
  });
}

/** Source and item as the API takes them (undefined keys left out, so the query key stays stable). */
function sourceItem(filters: ViewFilters | undefined): { source?: Source; item?: Item } {
  return { ...(filters?.source ? { source: filters.source } : {}), ...(filters?.item ? { item: filters.item } : {}) };
}

export function useHotspots(unitCode: string | undefined, month: string | undefined, enabled = true, filters?: ViewFilters) {
  const api = useApi();
  const extra = sourceItem(filters);
  return useQuery({
    queryKey: ['hotspots.gi', unitCode, month, extra],
    queryFn: () => api.hotspots.gi.query({ unitCode: unitCode!, month: month!, ...extra }),
    enabled: enabled && !!unitCode && !!month,
  });
}

/** Emerging hot spots over the 12 months up to `month` (Esri's space-time categories). */
export function useEmergingHotspots(unitCode: string | undefined, month: string | undefined, enabled = true, filters?: ViewFilters) {
  const api = useApi();
  const extra = sourceItem(filters);
  return useQuery({
    queryKey: ['hotspots.emerging', unitCode, month, extra],
    queryFn: () => api.hotspots.emerging.query({ unitCode: unitCode!, month: month!, months: 12, ...extra }),
    enabled: enabled && !!unitCode && !!month,
  });
}

/** The score change of one unit from `compareTo` to `month`, split by pillar, item and indicator. */
/** Query options shared with `prefetchFirstScreen`. */
export const indexDecompositionQuery = (api: CityOpsApi, code: string, month: string, compareTo: string) => ({
  queryKey: ['index.decomposition', code, month, compareTo],
  queryFn: () => api.index.decomposition.query({ code, month, compareTo }),
});

export function useIndexDecomposition(code: string | undefined, month: string | undefined, compareTo: string | undefined) {
  const api = useApi();
  return useQuery({
    ...indexDecompositionQuery(api, code!, month!, compareTo!),
    enabled: !!code && !!month && !!compareTo && month !== compareTo,
  });
}

/** Query options shared with `prefetchFirstScreen`. */
export const indexRankingQuery = (api: CityOpsApi, unitCode: string, month: string) => ({
  queryKey: ['index.ranking', unitCode, month],
  queryFn: () => api.index.ranking.query({ unitCode, month }),
});

export const indexUnitQuery = (api: CityOpsApi, code: string, month: string) => ({
  queryKey: ['index.unit', code, month],
  queryFn: () => api.index.unit.query({ code, month }),
});

/** One unit's index for a month (score, band, changes), as the caller may see it. */
export function useIndexUnit(code: string | undefined, month: string | undefined, enabled = true) {
  const api = useApi();
  return useQuery({ ...indexUnitQuery(api, code!, month!), enabled: enabled && !!code && !!month });
}

export function useIndexRanking(unitCode: string | undefined, month: string | undefined) {
  const api = useApi();
  return useQuery({ ...indexRankingQuery(api, unitCode!, month!), enabled: !!unitCode && !!month });
}
