import { useEffect, useState, type FormEvent } from 'react';
import { ITEMS, type Item } from '@cityops/domain/categories';
import { DEPARTMENTS, leadDepartmentFor } from '@cityops/domain/departments';
import { URGENCIES, URGENCY_LABELS, type Urgency } from '@cityops/domain/sources';
import { classifyApiError, itemLabel, useChildUnits, useCreateWorkOrder, useI18n, type GeoUnit, type MessageKey } from '@cityops/ui';

/** What an alert (or nothing) pre-fills. */
export interface DispatchSeed {
  unitCode?: string | undefined;
  item?: Item | undefined;
  summary?: string | undefined;
  sourceRef?: string | undefined;
}

type Target = 'district' | 'department';
const LEVELS: { length: number; label: MessageKey }[] = [
  { length: 6, label: 'dispatch.district' },
  { length: 9, label: 'dispatch.street' },
  { length: 12, label: 'dispatch.community' },
  { length: 15, label: 'dispatch.grid' },
];

/** The server's own message (they are Chinese) unless the network failed. */
function errorMessage(error: unknown, t: (key: MessageKey) => string): string {
  const kind = classifyApiError(error);
  if (kind === 'network') return t('state.network');
  if (kind === 'forbidden') return `${t('dispatch.forbidden')}（${(error as Error).message}）`;
  return error instanceof Error && error.message ? error.message : t('state.error');
}

/** One level of the place cascade: the children of `parentCode`. */
function PlaceSelect({ parentCode, value, label, level, onChange }: { parentCode: string | undefined; value: string; label: string; level: number; onChange: (unit: GeoUnit | undefined) => void }) {
  const { t } = useI18n();
  const units = useChildUnits(parentCode);
  return (
    <label className="cc-field">
      <span>{label}</span>
      <select
        className="co-select"
        value={value}
        disabled={!parentCode || !units.data}
        data-testid={`dispatch-place-${level}`}
        onChange={(e) => onChange(units.data?.find((u) => u.code === e.target.value))}
      >
        <option value="">{t('dispatch.choose')}</option>
        {(units.data ?? []).map((u) => (
          <option key={u.code} value={u.code}>
            {u.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The city center's 派单 of a major event: a place (down to the grid the order is filed under),
 * the item, urgency and description, and whom to dispatch to — the district of the place or a
 * city department. One `workOrders.create` call registers, accepts and dispatches it.
 */
export function DispatchDialog({ rootCode, seed, onClose }: { rootCode: string; seed: DispatchSeed; onClose: () => void }) {
  const { t, lang } = useI18n();
  const create = useCreateWorkOrder();
  // The cascade, one code per level; an alert's unit pre-fills the levels it determines.
  const [place, setPlace] = useState<string[]>(() => LEVELS.map((level) => (seed.unitCode && seed.unitCode.length >= level.length ? seed.unitCode.slice(0, level.length) : '')));
  const [placeNames, setPlaceNames] = useState<string[]>(['', '', '', '']);
  const [item, setItem] = useState<Item>(seed.item ?? 'safety');
  const [urgency, setUrgency] = useState<Urgency>('urgent');
  const [summary, setSummary] = useState(seed.summary ?? '');
  const [target, setTarget] = useState<Target>('district');
  const [department, setDepartment] = useState<string>(() => leadDepartmentFor(seed.item ?? ('safety')));
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  useEffect(() => setDepartment(leadDepartmentFor(item)), [item]);

  const gridCode = place[3] ?? '';
  const districtCode = place[0] ?? '';
  const choose = (level: number, unit: GeoUnit | undefined) => {
    setPlace((prev) => prev.map((code, i) => (i < level ? code : i === level ? (unit?.code ?? '') : '')));
    setPlaceNames((prev) => prev.map((name, i) => (i < level ? name : i === level ? (unit?.name ?? '') : '')));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (gridCode.length !== 15 || !summary.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    create.mutate({
      origin: 'alert',
      ...(seed.sourceRef ? { sourceRef: seed.sourceRef } : {}),
      item,
      urgency,
      summary: summary.trim(),
      gridCode,
      dispatchTo: { kind: target, code: target === 'district' ? districtCode : department, ...(note.trim() ? { note: note.trim() } : {}) },
    });
  };
  const targetName = target === 'district' ? placeNames[0] || districtCode : (DEPARTMENTS.find((d) => d.code === department)?.[lang] ?? department);
  const done = create.isSuccess ? create.data.order : null;

  return (
    <div className="cc-dialog-backdrop" role="dialog" aria-modal="true" aria-label={t('dispatch.title')}>
      <form className="cc-dialog" onSubmit={submit} data-testid="dispatch-dialog">
        <header className="cc-dialog-header">
          <h2>{t('dispatch.title')}</h2>
          <button type="button" className="co-link-button" onClick={onClose}>
            {t('dispatch.close')}
          </button>
        </header>
        <fieldset className="cc-fieldset" disabled={create.isPending || !!done}>
          <legend>{t('dispatch.location')}</legend>
          <div className="cc-place">
            {LEVELS.map((level, i) => (
              <PlaceSelect
                key={level.length}
                parentCode={i === 0 ? rootCode : place[i - 1] || undefined}
                value={place[i] ?? ''}
                label={t(level.label)}
                level={i}
                onChange={(unit) => choose(i, unit)}
              />
            ))}
          </div>
          <div className="cc-row">
            <label className="cc-field">
              <span>{t('dispatch.item')}</span>
              <select className="co-select" value={item} onChange={(e) => setItem(e.target.value as Item)} data-testid="dispatch-item">
                {ITEMS.map((i) => (
                  <option key={i} value={i}>
                    {itemLabel(i, lang)}
                  </option>
                ))}
              </select>
            </label>
            <label className="cc-field">
              <span>{t('dispatch.urgency')}</span>
              <select className="co-select" value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
                {URGENCIES.map((u) => (
                  <option key={u} value={u}>
                    {URGENCY_LABELS[u]}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <label className="cc-field">
            <span>{t('dispatch.summary')}</span>
            <textarea className="co-input" rows={3} maxLength={2000} value={summary} onChange={(e) => setSummary(e.target.value)} data-testid="dispatch-summary" />
          </label>
          <div className="cc-row">
            <span className="cc-field-label">{t('dispatch.target')}</span>
            <label className="cc-radio">
              <input type="radio" name="target" checked={target === 'district'} onChange={() => setTarget('district')} data-testid="dispatch-to-district" />
              {t('dispatch.toDistrict')}
              {placeNames[0] ? `（${placeNames[0]}）` : ''}
            </label>
            <label className="cc-radio">
              <input type="radio" name="target" checked={target === 'department'} onChange={() => setTarget('department')} data-testid="dispatch-to-department" />
              {t('dispatch.toDepartment')}
            </label>
            {target === 'department' ? (
              <select className="co-select" value={department} onChange={(e) => setDepartment(e.target.value)} aria-label={t('dispatch.department')} data-testid="dispatch-department">
                {DEPARTMENTS.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d[lang]}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
          <label className="cc-field">
            <span>{t('dispatch.note')}</span>
            <input className="co-input" value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
          </label>
        </fieldset>
        {missing ? <div className="cc-notice cc-notice-error">{t('dispatch.incomplete')}</div> : null}
        {create.isError ? (
          <div className="cc-notice cc-notice-error" data-testid="dispatch-result" data-status="error">
            {t('dispatch.failed')}：{errorMessage(create.error, t)}
          </div>
        ) : null}
        {done ? (
          <div className="cc-notice cc-notice-ok" data-testid="dispatch-result" data-status="ok" data-order-id={done.id}>
            {t('dispatch.ok')}：{done.id} → {targetName}
          </div>
        ) : null}
        <div className="cc-dialog-buttons">
          {done ? (
            <button type="button" className="co-button" onClick={onClose}>
              {t('dispatch.close')}
            </button>
          ) : (
            <>
              <button type="submit" className="co-button" disabled={create.isPending} data-testid="dispatch-submit">
                {create.isPending ? t('dispatch.submitting') : t('dispatch.submit')}
              </button>
              <button type="button" className="co-button co-button-ghost" onClick={onClose}>
                {t('dispatch.cancel')}
              </button>
            </>
          )}
        </div>
      </form>
    </div>
  );
}
