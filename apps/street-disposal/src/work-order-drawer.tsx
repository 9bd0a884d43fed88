import { useEffect, useState } from 'react';
import {
  ASSIGNEE_KIND_LABELS,
  WORK_ORDER_ACTION_LABELS,
  WORK_ORDER_ORIGIN_LABELS,
  WORK_ORDER_STATE_LABELS,
  type WorkOrderActionType,
} from '@cityops/domain/workflow/work-order-types';
import { RETURN_VISIT_LABELS, RETURN_VISIT_RESULTS, type ReturnVisitResult } from '@cityops/domain/event-schema';
import { DEPARTMENTS, type DepartmentCode } from '@cityops/domain/departments';
import {
  ErrorState,
  LoadingState,
  isConflictError,
  itemLabel,
  useI18n,
  useWorkOrder,
  useWorkOrderTransition,
  type WorkOrderDetail,
} from '@cityops/ui';
import { ACTION_FIELDS, buildActionInput, type ActionForm } from './action-input.ts';
import { SlaBadge } from './work-order-queue.tsx';

const DEPARTMENT_NAMES = new Map<string, string>(DEPARTMENTS.map((d) => [d.code, d.zh]));

const EMPTY_FORM: ActionForm = { text: '', assignee: 'grid', department: DEPARTMENTS[0]!.code as DepartmentCode, visitResult: 'satisfied', newDue: '' };

function holderLabel(assignee: WorkOrderDetail['order']['assignee']): string {
  if (!assignee) return '—';
  if (assignee.kind === 'department') return DEPARTMENT_NAMES.get(assignee.code) ?? assignee.code;
  return `${ASSIGNEE_KIND_LABELS[assignee.kind]} ${assignee.code}`;
}

/** One order: facts, the actions its state allows, and the audit history (newest first). */
export function WorkOrderDrawer({ id, gridCode, onClose }: { id: string; gridCode: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const detail = useWorkOrder(id);
  const transition = useWorkOrderTransition();
  const [pending, setPending] = useState<WorkOrderActionType | null>(null);
  const [form, setForm] = useState<ActionForm>(EMPTY_FORM);
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    setPending(null);
    setForm(EMPTY_FORM);
    setNotice(null);
  }, [id]);

  const submit = (type: WorkOrderActionType) => {
    const order = detail.data?.order;
    if (!order) return;
    const action = buildActionInput(type, order.version, form, gridCode);
    if ('missing' in action) {
      setNotice({ kind: 'error', text: `${t(action.missing === 'newDue' ? 'wo.newDue' : action.missing === 'feedback' ? 'wo.feedback' : 'wo.reason')}?` });
      return;
    }
    setNotice(null);
    transition.mutate(
      { id: order.id, action },
      {
        onSuccess: () => {
          setPending(null);
          setForm(EMPTY_FORM);
          setNotice({ kind: 'ok', text: `${WORK_ORDER_ACTION_LABELS[type]} · ${t('wo.done')}` });
        },
        onError: (error) => {
          // A conflict means our version is stale: the hook refetches, the operator retries on fresh data.
          setNotice({ kind: 'error', text: isConflictError(error) ? t('wo.conflict') : error.message });
          if (isConflictError(error)) void detail.refetch();
        },
      },
    );
  };

  const onAction = (type: WorkOrderActionType) => {
    if (ACTION_FIELDS[type].length === 0) submit(type);
    else {
      setPending(type);
      setNotice(null);
    }
  };

  return (
    <aside className="sd-drawer" role="dialog" aria-label={t('wo.detail')} data-testid="work-order-drawer">
      <header className="sd-drawer-header">
        <h2>
          {t('wo.detail')} · {id}
        </h2>
        <button type="button" className="co-link-button" onClick={onClose}>
          {t('wo.close')} ✕
        </button>
      </header>
      {detail.error ? (
        <ErrorState error={detail.error} onRetry={() => void detail.refetch()} />
      ) : !detail.data ? (
        <LoadingState />
      ) : (
        <div className="sd-drawer-body">
          <div className="sd-drawer-status">
            <SlaBadge status={detail.data.slaStatus} />
            <strong>{WORK_ORDER_STATE_LABELS[detail.data.order.state]}</strong>
            <span className="sd-muted">v{detail.data.order.version}</span>
          </div>
          <p className="sd-drawer-summary">{detail.data.order.summary}</p>
          <dl className="sd-facts">
            <dt>{t('wo.item')}</dt>
            <dd>{itemLabel(detail.data.order.item, lang)}</dd>
            <dt>{t('wo.origin')}</dt>
            <dd>{WORK_ORDER_ORIGIN_LABELS[detail.data.order.origin]}</dd>
            <dt>{t('wo.holder')}</dt>
            <dd>{holderLabel(detail.data.order.assignee)}</dd>
            <dt>{t('wo.grid')}</dt>
            <dd>{gridCode}</dd>
            <dt>{t('wo.createdAt')}</dt>
            <dd>{detail.data.order.createdAt.slice(0, 16)}</dd>
            <dt>{t('wo.due')}</dt>
            <dd>{detail.data.order.dueAt.slice(0, 16)}</dd>
          </dl>

          <h3>{t('wo.actions')}</h3>
          {detail.data.allowedActions.length ? (
            <div className="sd-actions" data-testid="work-order-actions">
              {detail.data.allowedActions.map((type) => (
                <button
                  key={type}
                  type="button"
                  className={`co-button co-button-small ${pending === type ? 'is-active' : ''}`}
                  disabled={transition.isPending}
                  onClick={() => onAction(type)}
                >
                  {WORK_ORDER_ACTION_LABELS[type]}
                </button>
              ))}
            </div>
          ) : (
            <p className="sd-muted">{t('wo.noActions')}</p>
          )}
          {pending ? <ActionFormView type={pending} form={form} setForm={setForm} busy={transition.isPending} onSubmit={() => submit(pending)} onCancel={() => setPending(null)} /> : null}
          {notice ? (
            <div className={`sd-notice sd-notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
            </div>
          ) : null}

          <h3>{t('wo.history')}</h3>
          <ol className="sd-history" data-testid="work-order-history">
            {[...detail.data.order.history].reverse().map((record) => (
              <li key={record.version}>
                <div className="sd-history-head">
                  <strong>{WORK_ORDER_ACTION_LABELS[record.action]}</strong>
                  <span className="sd-muted">{record.at.slice(0, 16)}</span>
                </div>
                <div className="sd-muted">
                  {record.fromState ? `${WORK_ORDER_STATE_LABELS[record.fromState]} → ` : ''}
                  {WORK_ORDER_STATE_LABELS[record.toState]} · {record.actor.username}
                </div>
                {record.reason ? <div>{record.reason}</div> : null}
              </li>
            ))}
          </ol>
        </div>
      )}
    </aside>
  );
}

function ActionFormView({
  type,
  form,
  setForm,
  busy,
  onSubmit,
  onCancel,
}: {
  type: WorkOrderActionType;
  form: ActionForm;
  setForm: (form: ActionForm) => void;
  busy: boolean;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const fields = ACTION_FIELDS[type];
  const textLabel = fields.includes('feedback') ? t('wo.feedback') : t('wo.reason');
  return (
    <form
      className="sd-action-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      <div className="sd-action-title">{WORK_ORDER_ACTION_LABELS[type]}</div>
      {fields.includes('assignee') ? (
        <label>
          {t('wo.assignee')}
          <select value={form.assignee} onChange={(e) => setForm({ ...form, assignee: e.target.value })}>
            <option value="grid">{t('wo.ownGrid')}</option>
            {DEPARTMENTS.map((d) => (
              <option key={d.code} value={d.code}>
                {d.zh}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fields.includes('departments') ? (
        <label>
          {t('wo.departments')}
          <select value={form.department} onChange={(e) => setForm({ ...form, department: e.target.value as DepartmentCode })}>
            {DEPARTMENTS.map((d) => (
              <option key={d.code} value={d.code}>
                {d.zh}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fields.includes('visitResult') ? (
        <label>
          {t('wo.visitResult')}
          <select value={form.visitResult} onChange={(e) => setForm({ ...form, visitResult: e.target.value as ReturnVisitResult })}>
            {RETURN_VISIT_RESULTS.map((r) => (
              <option key={r} value={r}>
                {RETURN_VISIT_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {fields.includes('newDue') ? (
        <label>
          {t('wo.newDue')}
          <input type="datetime-local" value={form.newDue} onChange={(e) => setForm({ ...form, newDue: e.target.value })} />
        </label>
      ) : null}
      {fields.some((f) => f === 'reason' || f === 'feedback' || f === 'note') ? (
        <label>
          {textLabel}
          <textarea rows={3} maxLength={2000} value={form.text} onChange={(e) => setForm({ ...form, text: e.target.value })} />
        </label>
      ) : null}
      <div className="sd-action-buttons">
        <button type="submit" className="co-button co-button-small" disabled={busy}>
          {busy ? t('wo.submitting') : t('wo.submit')}
        </button>
        <button type="button" className="co-link-button" onClick={onCancel}>
          {t('wo.cancel')}
        </button>
      </div>
    </form>
  );
}
