import { useMemo } from 'react';
import { ALERT_SEVERITY_LABELS, type AlertSeverity } from '@cityops/domain/index-method/early-warning';
import type { DispatchSeed } from './dispatch-dialog.tsx';
import { EmptyState, ErrorState, LoadingState, itemLabel, useAlerts, useI18n, type AlertRow, type MessageKey } from '@cityops/ui';

const KIND_LABELS: Record<AlertRow['kind'], MessageKey> = { statistical: 'alerts.statistical', sensor: 'alerts.sensor', escalation: 'alerts.escalation' };

/** 'YYYY-MM-DD' `days` before `day` (calendar arithmetic in UTC, no time zone involved). */
function daysBefore(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - days);
  return date.toISOString().slice(0, 10);
}

/** The last day of 'YYYY-MM'. */
function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Alerts of the 30 days up to the end of the latest month with data, newest first. */
export function RecentAlerts({
  unitCode,
  month,
  unitName,
  onDispatch,
}: {
  unitCode: string;
  month: string | undefined;
  unitName: (code: string) => string;
  /** Offers 派单 on each alert, pre-filled with its place, item and title. */
  onDispatch?: (seed: DispatchSeed) => void;
}) {
  const { t, lang } = useI18n();
  const to = month ? monthEnd(month) : '';
  const alerts = useAlerts(month ? unitCode : undefined, daysBefore(to || '2000-01-31', 30), to, 50);
  const rows = useMemo(() => [...(alerts.data ?? [])].sort((a, b) => (a.day < b.day ? 1 : a.day > b.day ? -1 : 0)), [alerts.data]);
  if (alerts.error) return <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (!month || alerts.isPending) return <LoadingState />;
  return (
    <div className="cc-alerts" data-testid="recent-alerts">
      {rows.length === 0 ? (
        <EmptyState />
      ) : (
        <ul className="cc-alert-list">
          {rows.map((a) => {
            const severity = ALERT_SEVERITY_LABELS[a.severity as AlertSeverity];
            return (
              <li key={a.id} className="cc-alert" data-testid="alert-row">
                <span className="cc-alert-severity" style={{ background: severity?.color ?? '#888' }}>
                  {severity?.[lang] ?? a.severity}
                </span>
                <span className="cc-alert-day">{a.day.slice(5)}</span>
                <span>{t(KIND_LABELS[a.kind])}</span>
                <span>{itemLabel(a.item, lang)}</span>
                <span>{unitName(a.unitCode)}</span>
                <span className="cc-alert-title">{a.title}</span>
                {onDispatch ? (
                  <button
                    type="button"
                    className="co-button co-button-small cc-alert-dispatch"
                    onClick={() => onDispatch({ unitCode: a.unitCode, item: a.item, summary: a.title, sourceRef: a.id.slice(0, 64) })}
                  >
                    {t('dispatch.fromAlert')}
                  </button>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
