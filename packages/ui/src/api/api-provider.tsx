import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createContext, useContext, useState, type ReactNode } from 'react';
import type { CityOpsApi } from './api-contract.ts';
import { classifyApiError, createApiClient } from './trpc-client.ts';

const ApiContext = createContext<CityOpsApi | null>(null);

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 60_000,
        refetchOnWindowFocus: false,
        // Retrying a refusal or a missing unit only delays the message the user needs.
        retry: (failureCount, error) => {
          const kind = classifyApiError(error);
          if (kind === 'forbidden' || kind === 'unauthorized' || kind === 'not_found') return false;
          return failureCount < 2;
        },
      },
    },
  });
}

/** Provides the tRPC client and a react-query cache to a dashboard. */
export function ApiProvider({ children, api, queryClient: given }: { children: ReactNode; api?: CityOpsApi; queryClient?: QueryClient }) {
  const [queryClient] = useState(() => given ?? createQueryClient());
  const [client] = useState(() => api ?? createApiClient());
  return (
    <QueryClientProvider client={queryClient}>
      <ApiContext.Provider value={client}>{children}</ApiContext.Provider>
    </QueryClientProvider>
  );
}

export function useApi(): CityOpsApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi() outside <ApiProvider>');
  return api;
}
