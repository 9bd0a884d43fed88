import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useApi } from './api-provider.tsx';
import type { EventFilter } from './api-contract.ts';

/** react-query hooks for the events behind the numbers (list, detail, points) and the export URLs. */

/** The filter with its empty parts left out (stable query keys, clean URLs). */
export function compactFilter(filter: EventFilter): EventFilter {
  return {
    unitCode: filter.unitCode,
    month: filter.month,
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.item ? { item: filter.item } : {}),
    ...(filter.nature ? { nature: filter.nature } : {}),
  };
}

export function useEventList(filter: EventFilter | null, page: number, pageSize = 50) {
  const api = useApi();
  const input = filter ? { ...compactFilter(filter), limit: pageSize, offset: page * pageSize } : null;
  return useQuery({
    queryKey: ['events.list', input],
    queryFn: () => api.events.list.query(input!),
    enabled: !!input,
    placeholderData: keepPreviousData,
  });
}

/** Every call is audited on the server, so it is never cached across openings. */
export function useEventDetail(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['events.detail', id],
    queryFn: () => api.events.detail.query({ id: id! }),
    enabled: !!id,
    staleTime: 0,
    gcTime: 0,
  });
}

/** Event locations of a street, community or grid (the server caps them; `truncated` says so). */
export function useEventPoints(filter: Omit<EventFilter, 'nature'> | null) {
  const api = useApi();
  const input = filter ? compactFilter(filter) : null;
  if (input) delete input.nature;
  return useQuery({
    queryKey: ['events.points', input],
    queryFn: () => api.events.points.query(input!),
    enabled: !!input && input.unitCode.length >= 9,
  });
}

/** `GET /api/export/{children|events}.{csv|xlsx}` for a view (the session cookie authorises it). */
export function exportUrl(table: 'children' | 'events', format: 'csv' | 'xlsx', filter: EventFilter): string {
  const params = new URLSearchParams(Object.entries(compactFilter(filter)) as [string, string][]);
  return `/api/export/${table}.${format}?${params.toString()}`;
}
