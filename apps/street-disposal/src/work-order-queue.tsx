import { useEffect, useMemo, useState } from 'react';
import { SLA_STATUS_LABELS, SLA_STATUSES, type SlaStatus } from '@cityops/domain/workflow/sla';
import { WORK_ORDER_STATE_LABELS } from '@cityops/domain/workflow/work-order-types';
import { EmptyState, ErrorState, LoadingState, Panel, itemLabel, useI18n, useWorkOrders } from '@cityops/ui';
import { dueCountdown } from './due-countdown.ts';

const OPEN = new Set<SlaStatus>(['on_track', 'due_soon', 'overdue']);

/** Re-renders every 30 s so countdowns move without refetching. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function SlaBadge({ status }: { status: SlaStatus }) {
  return (
    <span className={`sd-sla sd-sla-${status}`} data-testid="sla-badge">
      {SLA_STATUS_LABELS[status]}
    </span>
  );
}

/** The street's work orders, nearest deadline first, filterable by SLA status. */
export function WorkOrderQueue({ unitCode, selectedId, onSelect }: { unitCode: string; selectedId: string | null; onSelect: (id: string, gridCode: string) => void }) {
  const { t, lang } = useI18n();
  const [slaStatus, setSlaStatus] = useState<SlaStatus | undefined>(undefined);
  const orders = useWorkOrders({ unitCode, orderBy: 'due', limit: 100, ...(slaStatus ? { slaStatus } : {}) }, { refetchInterval: 60_000 });
  const now = useNow();
  const counts = orders.data?.bySlaStatus;
  // The server sorts by due time; open orders come before finished ones so the to-do list leads.
  const rows = useMemo(() => {
    const all = orders.data?.rows ?? [];
    return [...all.filter((r) => OPEN.has(r.slaStatus)), ...all.filter((r) => !OPEN.has(r.slaStatus))];
  }, [orders.data]);

  const filters = (
    <div className="sd-filters" role="tablist">
      <button type="button" className={`sd-chip ${slaStatus ? '' : 'is-active'}`} onClick={() => setSlaStatus(undefined)}>
        {t('wo.filter.all')}
      </button>
      {SLA_STATUSES.map((s) => (
        <button key={s} type="button" className={`sd-chip sd-chip-${s} ${slaStatus === s ? 'is-active' : ''}`} onClick={() => setSlaStatus(s)}>
          {SLA_STATUS_LABELS[s]} {counts ? counts[s] : ''}
        </button>
      ))}
    </div>
  );

  return (
    <Panel title={t('wo.queue')} extra={orders.data ? `${t('wo.total')} ${orders.data.total}` : undefined} className="sd-queue">
      {filters}
      {orders.error ? (
        <ErrorState error={orders.error} onRetry={() => void orders.refetch()} />
      ) : orders.isPending ? (
        <LoadingState />
      ) : !rows.length ? (
        <EmptyState />
      ) : (
        <ul className="sd-queue-list" data-testid="work-order-queue">
          {rows.map((row) => {
            const open = OPEN.has(row.slaStatus);
            const countdown = dueCountdown(row.dueAt, now, lang);
            return (
              <li key={row.id}>
                <button
                  type="button"
                  className={`sd-queue-row ${selectedId === row.id ? 'is-selected' : ''}`}
                  data-testid="work-order-row"
                  onClick={() => onSelect(row.id, row.gridCode)}
                >
                  <div className="sd-queue-line">
                    <SlaBadge status={row.slaStatus} />
                    <span className="sd-queue-item">{itemLabel(row.item, lang)}</span>
                    <span className="sd-queue-state">{WORK_ORDER_STATE_LABELS[row.state]}</span>
                  </div>
                  <div className="sd-queue-summary">{row.summary}</div>
                  <div className="sd-queue-meta">
                    <span>{row.id}</span>
                    <span className={open && countdown.overdue ? 'sd-overdue' : ''}>
                      {open ? `${countdown.overdue ? t('wo.overdueBy') : t('wo.remaining')} ${countdown.text}` : `${t('wo.due')} ${row.dueAt.slice(0, 16)}`}
                    </span>
                  </div>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </Panel>
  );
}
