import { useQuery } from '@tanstack/react-query';
import { HttpError } from '../api/trpc-client.ts';
import type { BoundaryCollection } from './geo-utils.ts';

/** Query options for one boundary file (shared with `prefetchFirstScreen`). */
export const boundariesQuery = (url: string | null) => ({
  queryKey: ['boundaries', url],
  staleTime: Infinity,
  gcTime: 30 * 60_000,
  queryFn: async ({ signal }: { signal: AbortSignal }): Promise<BoundaryCollection> => {
    const response = await fetch(url!, { signal, credentials: 'include' });
    if (!response.ok) throw new HttpError(response.status, url!);
    return (await response.json()) as BoundaryCollection;
  },
});

/** Static boundary GeoJSON from the server (cached for the session: boundaries do not change). */
export function useBoundaries(url: string | null) {
  return useQuery({ ...boundariesQuery(url), enabled: !!url });
}
