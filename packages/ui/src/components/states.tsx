import type { ReactNode } from 'react';
import { classifyApiError } from '../api/trpc-client.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';

export function LoadingState({ label }: { label?: string }) {
  const { t } = useI18n();
  return (
    <div className="co-state co-state-loading" role="status">
      <span className="co-spinner" aria-hidden />
      {label ?? t('state.loading')}
    </div>
  );
}

export function EmptyState({ label }: { label?: string }) {
  const { t } = useI18n();
  return <div className="co-state co-state-empty">{label ?? t('state.empty')}</div>;
}

const ERROR_MESSAGES: Record<ReturnType<typeof classifyApiError>, MessageKey> = {
  forbidden: 'state.forbidden',
  unauthorized: 'state.unauthorized',
  not_found: 'state.notFound',
  network: 'state.network',
  other: 'state.error',
};

/** The user-facing message for an API error; the server's refusal is shown as 无权访问该区域. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const kind = classifyApiError(error);
  return (
    <div className={`co-state co-state-error co-state-${kind}`} role="alert" data-error-kind={kind}>
      <div>{t(ERROR_MESSAGES[kind])}</div>
      {onRetry && kind !== 'forbidden' ? (
        <button type="button" className="co-button co-button-small" onClick={onRetry}>
          {t('state.retry')}
        </button>
      ) : null}
    </div>
  );
}

interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  refetch: () => unknown;
}

/** Renders loading / error / empty states of a query, or `children(data)`. */
export function QueryView<T>({
  query,
  isEmpty,
  children,
}: {
  query: QueryLike<T>;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.isPending || query.data === undefined) return <LoadingState />;
  if (isEmpty?.(query.data)) return <EmptyState />;
  return <>{children(query.data)}</>;
}
