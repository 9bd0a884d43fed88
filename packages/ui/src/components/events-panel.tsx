import { useEffect, useState, type ReactNode } from 'react';
import { PETITION_CHANNEL_LABELS, SOURCE_LABELS, URGENCY_LABELS } from '@cityops/domain/sources';
import { EVENT_STATUS_LABELS, RETURN_VISIT_LABELS } from '@cityops/domain/event-schema';
import { departmentOf } from '@cityops/domain/departments';

/** A code in Chinese when the domain names it, else the code itself. */
function labelOf(labels: Readonly<Record<string, string>>, code: string | null | undefined): string | null {
  if (!code) return null;
  return labels[code] ?? code;
}
const CHANNEL_LABELS: Readonly<Record<string, string>> = { ...PETITION_CHANNEL_LABELS, phone: '电话', web: '网站', app: '移动端', wechat: '微信', sms: '短信', '110': '110 报警' };
import type { EventFilter } from '../api/api-contract.ts';
import { exportUrl, useEventDetail, useEventList } from '../api/event-queries.ts';
import { formatCount } from '../format.ts';
import { useI18n, type MessageKey } from '../i18n.tsx';
import { EmptyState, ErrorState, LoadingState } from './states.tsx';

const PAGE_SIZE = 50;

/** Export links of the current view: the server applies the same filters and scope. */
export function ExportLinks({ table, filter, testId }: { table: 'children' | 'events'; filter: EventFilter; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className="co-export" data-testid={testId}>
      {(['csv', 'xlsx'] as const).map((format) => (
        <a key={format} className="co-button co-button-small co-button-ghost" href={exportUrl(table, format, filter)} download data-testid={`${testId ?? 'export'}-${format}`}>
          {t(format === 'csv' ? 'export.csv' : 'export.xlsx')}
        </a>
      ))}
    </span>
  );
}

/**
 * The events behind a number: the filtered `events.list`, newest first, 50 a page, with the
 * export of exactly this list; a row opens its detail.
 */
export function EventsPanel({ filter, title, onClose, actions }: { filter: EventFilter; title: string; onClose: () => void; actions?: ReactNode }) {
  const { t, lang } = useI18n();
  const [page, setPage] = useState(0);
  const [openId, setOpenId] = useState<string | null>(null);
  const filterKey = JSON.stringify(filter);
  useEffect(() => {
    setPage(0);
    setOpenId(null);
  }, [filterKey]);
  const list = useEventList(filter, page, PAGE_SIZE);
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  let body;
  if (list.error) body = <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  else if (!list.data) body = <LoadingState />;
  else if (list.data.rows.length === 0) body = <EmptyState />;
  else
    body = (
      <table className="co-events-table" data-testid="events-table">
        <thead>
          <tr>
            <th>{t('events.receivedAt')}</th>
            <th>{t('events.source')}</th>
            <th>{t('events.item')}</th>
            <th>{t('events.nature')}</th>
            <th>{t('events.summary')}</th>
            <th>{t('events.status')}</th>
          </tr>
        </thead>
        <tbody>
          {list.data.rows.map((row) => (
            <tr key={row.id} onClick={() => setOpenId(row.id)} className={row.id === openId ? 'is-selected' : ''} data-testid="event-row" data-source={row.source} data-item={row.item}>
              <td className="co-nowrap">{row.receivedAt.slice(5, 16)}</td>
              <td className="co-nowrap">{SOURCE_LABELS[row.source][lang]}</td>
              <td className="co-nowrap">{row.itemLabel}</td>
              <td className="co-nowrap">{row.natureLabel ?? '—'}</td>
              <td className="co-events-summary">{row.summary ?? '—'}</td>
              <td className="co-nowrap">{labelOf(EVENT_STATUS_LABELS, row.status) ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );

  return (
    <aside className="co-events-panel" role="dialog" aria-label={t('events.title')} data-testid="events-panel">
      <header className="co-events-header">
        <div>
          <h2>{t('events.title')}</h2>
          <div className="co-muted" data-testid="events-title">
            {title} · {t('events.total')} <b data-testid="events-total">{list.data ? formatCount(total, lang) : '…'}</b> {t('events.unitCases')}
          </div>
        </div>
        <div className="co-events-actions">
          {actions}
          <ExportLinks table="events" filter={filter} testId="export-events" />
          <button type="button" className="co-link-button" onClick={onClose}>
            {t('events.close')}
          </button>
        </div>
      </header>
      <div className="co-events-body">{body}</div>
      <footer className="co-events-pager">
        <button type="button" className="co-button co-button-small co-button-ghost" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
          {t('events.prev')}
        </button>
        <span data-testid="events-page">
          {page + 1} / {pages}
        </span>
        <button type="button" className="co-button co-button-small co-button-ghost" disabled={page + 1 >= pages} onClick={() => setPage((p) => p + 1)} data-testid="events-next">
          {t('events.next')}
        </button>
      </footer>
      {openId ? <EventDetailDrawer id={openId} onClose={() => setOpenId(null)} /> : null}
    </aside>
  );
}

const DETAIL_FIELDS: [MessageKey, (d: NonNullable<ReturnType<typeof useEventDetail>['data']>) => string | null][] = [
  ['events.receivedAt', (d) => d.receivedAt],
  ['events.channel', (d) => labelOf(CHANNEL_LABELS, d.channel)],
  ['events.item', (d) => d.itemLabel],
  ['events.subCategory', (d) => d.subCategory],
  ['events.nature', (d) => d.natureLabel],
  ['events.urgency', (d) => labelOf(URGENCY_LABELS, d.urgency)],
  ['events.status', (d) => labelOf(EVENT_STATUS_LABELS, d.status)],
  ['events.place', (d) => d.gridCode],
  ['events.handlingUnit', (d) => d.handlingUnit],
  ['events.handlingDepartment', (d) => (d.handlingDepartment ? (departmentOf(d.handlingDepartment)?.zh ?? d.handlingDepartment) : null)],
  ['events.dispatchedAt', (d) => d.dispatchedAt],
  ['events.firstResponseAt', (d) => d.firstResponseAt],
  ['events.dueAt', (d) => d.dueAt],
  ['events.closedAt', (d) => d.closedAt],
  ['events.returnVisit', (d) => labelOf(RETURN_VISIT_LABELS, d.returnVisitResult)],
  ['events.satisfaction', (d) => d.satisfaction],
];

/** One event from `events.detail`: personal data as the server sent it (masked unless the role may see it). */
export function EventDetailDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const detail = useEventDetail(id);
  const d = detail.data;
  return (
    <div className="co-event-drawer" data-testid="event-drawer">
      <header className="co-events-header">
        <h2>
          {t('events.detail')} {d ? <span className="co-muted">{d.externalId}</span> : null}
        </h2>
        <button type="button" className="co-link-button" onClick={onClose}>
          {t('events.close')}
        </button>
      </header>
      <div className="co-events-body">
        {detail.error ? (
          <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
        ) : !d ? (
          <LoadingState />
        ) : (
          <>
            <div className="co-event-source">{SOURCE_LABELS[d.source][lang]}</div>
            <p className="co-event-summary">{d.summary ?? '—'}</p>
            <dl className="co-facts">
              {DETAIL_FIELDS.map(([key, pick]) => (
                <div key={key} className="co-fact">
                  <dt>{t(key)}</dt>
                  <dd>{pick(d) ?? '—'}</dd>
                </div>
              ))}
            </dl>
            <h3>{t('events.reporter')}</h3>
            <div className={`co-pii-note ${d.personalDataVisible ? 'is-visible' : ''}`} data-testid="pii-note" data-visible={String(d.personalDataVisible)}>
              {t(d.personalDataVisible ? 'events.piiVisible' : 'events.piiMasked')}
            </div>
            <dl className="co-facts" data-testid="event-reporter">
              <div className="co-fact">
                <dt>{t('events.reporterName')}</dt>
                <dd data-testid="reporter-name">{d.reporter.name ?? '—'}</dd>
              </div>
              <div className="co-fact">
                <dt>{t('events.reporterPhone')}</dt>
                <dd data-testid="reporter-phone">{d.reporter.phone ?? '—'}</dd>
              </div>
              <div className="co-fact">
                <dt>{t('events.reporterId')}</dt>
                <dd data-testid="reporter-id">{d.reporter.idNumber ?? '—'}</dd>
              </div>
            </dl>
          </>
        )}
      </div>
    </div>
  );
}
