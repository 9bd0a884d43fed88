import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, TRPCClientError } from '@trpc/client';
import type { AppRouter } from '@cityops/api';
import type { CityOpsApi } from './api-contract.ts';

/** A vanilla tRPC client: HTTP batching, and SSE for subscriptions (`live.stream`); the session lives in a cookie. */
export function createApiClient(url = '/api/trpc'): CityOpsApi {
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // EventSource reconnects by itself after a network drop.
        true: httpSubscriptionLink({ url, eventSourceOptions: () => ({ withCredentials: true }) }),
        false: httpBatchLink({
          url,
          fetch: (input, init) => fetch(input, { ...init, credentials: 'include' }),
        }),
      }),
    ],
  });
  // Assigning (not casting) makes tsc check the server's router against our contract.
  const api: CityOpsApi = client;
  return api;
}

export type ApiErrorKind = 'forbidden' | 'unauthorized' | 'not_found' | 'network' | 'other';

/** Classifies an error so the UI can say something precise (the server decides access). */
export function classifyApiError(error: unknown): ApiErrorKind {
  if (error instanceof TRPCClientError) {
    const data = (error as TRPCClientError<never>).data as { code?: string; httpStatus?: number } | undefined;
    const code = data?.code;
    if (code === 'FORBIDDEN' || data?.httpStatus === 403) return 'forbidden';
    if (code === 'UNAUTHORIZED' || data?.httpStatus === 401) return 'unauthorized';
    if (code === 'NOT_FOUND' || data?.httpStatus === 404) return 'not_found';
    if (!data) return 'network';
    return 'other';
  }
  if (error instanceof HttpError) {
    if (error.status === 403) return 'forbidden';
    if (error.status === 401) return 'unauthorized';
    if (error.status === 404) return 'not_found';
    return 'other';
  }
  if (error instanceof TypeError) return 'network';
  return 'other';
}

/** A failed static-file fetch (boundaries). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`HTTP ${status} ${url}`);
    this.name = 'HttpError';
  }
}
