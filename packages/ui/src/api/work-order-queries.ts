import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useApi } from './api-provider.tsx';
import type { WorkOrderActionInput, WorkOrderCreateInput, WorkOrderListInput } from './api-contract.ts';

/** react-query hooks for the street desk's work orders. */

export function useWorkOrders(input: WorkOrderListInput, options: { refetchInterval?: number } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: ['workOrders.list', input],
    queryFn: () => api.workOrders.list.query(input),
    staleTime: 15_000,
    ...(options.refetchInterval ? { refetchInterval: options.refetchInterval } : {}),
  });
}

export function useWorkOrder(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: ['workOrders.byId', id],
    queryFn: () => api.workOrders.byId.query({ id: id! }),
    enabled: !!id,
    staleTime: 0,
  });
}

/** One transition; afterwards (success or conflict) the order and the queue are read again. */
export function useWorkOrderTransition() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; action: WorkOrderActionInput }) => api.workOrders.transition.mutate(input),
    onSettled: async (_data, _error, input) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['workOrders.byId', input.id] }),
        queryClient.invalidateQueries({ queryKey: ['workOrders.list'] }),
      ]);
    },
  });
}

/** Registers an order (and, with `dispatchTo`, accepts and dispatches it in the same call). */
export function useCreateWorkOrder() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: WorkOrderCreateInput) => api.workOrders.create.mutate(input),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['workOrders.list'] }),
  });
}

/** The server refused a transition because the order changed since the desk read it (optimistic locking). */
export function isConflictError(error: unknown): boolean {
  return error instanceof TRPCClientError && (error.data as { code?: string } | undefined)?.code === 'CONFLICT';
}
