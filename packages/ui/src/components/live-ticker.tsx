import { WORK_ORDER_ACTION_LABELS, type WorkOrderActionType } from '@cityops/domain/workflow/work-order-types';
import { useI18n, itemLabel, sourceLabel, type MessageKey } from '../i18n.tsx';
import type { LiveMessage } from '../api/api-contract.ts';
import type { LiveStatus } from '../api/use-live-stream.ts';

const KIND_LABELS: Record<LiveMessage['kind'], MessageKey> = { event: 'live.event', alert: 'live.alert', work_order: 'live.workOrder' };

function unitCodeOf(message: LiveMessage): string {
  return message.kind === 'event' ? message.streetCode : message.unitCode;
}

function timeOf(message: LiveMessage): string {
  return new Date(message.publishedAt).toLocaleTimeString('zh-CN', { hour12: false, timeZone: 'Asia/Shanghai' });
}

/**
 * The live feed, newest first; new lines slide in at the top. `unitName` resolves a unit code
 * (a street or grid) to a readable name; the caller knows which names it has loaded.
 */
export function LiveTicker({ messages, status, unitName }: { messages: LiveMessage[]; status: LiveStatus; unitName: (code: string) => string }) {
  const { t, lang } = useI18n();
  return (
    <div className="co-ticker" data-testid="live-ticker" data-status={status}>
      <div className={`co-ticker-status co-ticker-${status}`}>
        {status === 'error' ? t('live.error') : status === 'connecting' ? t('live.connecting') : messages.length ? null : t('live.waiting')}
      </div>
      <ul className="co-ticker-list">
        {messages.map((m) => (
          <li key={`${m.kind}-${m.id}-${m.publishedAt}`} className={`co-ticker-line co-ticker-${m.kind}`} data-testid="live-ticker-line">
            <span className="co-ticker-time">{timeOf(m)}</span>
            <span className="co-ticker-kind">{t(KIND_LABELS[m.kind])}</span>
            {m.kind === 'event' ? <span className="co-ticker-source">{sourceLabel(m.source, lang)}</span> : null}
            <span className="co-ticker-item">{itemLabel(m.item, lang)}</span>
            <span className="co-ticker-unit">{unitName(unitCodeOf(m))}</span>
            <span className="co-ticker-text">{m.kind === 'event' ? m.summary : m.kind === 'alert' ? m.title : (WORK_ORDER_ACTION_LABELS[m.action as WorkOrderActionType] ?? m.action)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
