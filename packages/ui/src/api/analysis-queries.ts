import { useQuery } from '@tanstack/react-query';
import { useApi } from './api-provider.tsx';

/** react-query hooks for alerts, Gi* hotspots and the index ranking. */

export function useAlerts(unitCode: string | undefined, from: string, to: string, limit = 50) {
  const api = useApi();
  return useQuery({
    queryKey: ['alerts.list', unitCode, from, to, limit],
    queryFn: () => api.alerts.list.query({ unitCode: unitCode!, from, to, limit }),
    enabled: !!unitCode,
  });
}

export function useHotspots(unitCode: string | undefined, month: string | undefined, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: ['hotspots.gi', unitCode, month],
    queryFn: () => api.hotspots.gi.query({ unitCode: unitCode!, month: month! }),
    enabled: enabled && !!unitCode && !!month,
  });
}

export function useIndexRanking(unitCode: string | undefined, month: string | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ['index.ranking', unitCode, month],
    queryFn: () => api.index.ranking.query({ unitCode: unitCode!, month: month! }),
    enabled: !!unitCode && !!month,
  });
}
