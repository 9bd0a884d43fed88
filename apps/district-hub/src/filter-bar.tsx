import { ITEMS, type Item } from '@cityops/domain/categories';
import { NATURE_LABELS, SOURCES, type Source } from '@cityops/domain/sources';
import type { ReactNode } from 'react';
import { itemLabel, sourceLabel, useI18n, type ViewFilters } from '@cityops/ui';


/**
 * Source, item and nature filters of the analyst's view. Source and item filter the map, the
 * ranking and the hexagon layers; nature (which exists only within a source) filters the event
 * list and the exports.
 */
export function FilterBar({ filters, onChange, children }: { filters: ViewFilters; onChange: (next: ViewFilters) => void; children?: ReactNode }) {
  const { t, lang } = useI18n();
  // A nature code belongs to one source (信访, 12345 and 110 each classify their own way).
  const natures = filters.source ? NATURE_LABELS[filters.source] : undefined;
  const active = !!(filters.source || filters.item || filters.nature);
  return (
    <div className="dh-filters" data-testid="filters">
      <label>
        {t('filter.source')}
        <select
          className="co-select"
          data-testid="filter-source"
          value={filters.source ?? ''}
          // A nature belongs to one source: changing the source clears it.
          onChange={(e) => onChange({ ...filters, source: (e.target.value || undefined) as Source | undefined, nature: undefined })}
        >
          <option value="">{t('filter.all')}</option>
          {SOURCES.map((s) => (
            <option key={s} value={s}>
              {sourceLabel(s, lang)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('filter.item')}
        <select
          className="co-select"
          data-testid="filter-item"
          value={filters.item ?? ''}
          onChange={(e) => onChange({ ...filters, item: (e.target.value || undefined) as Item | undefined })}
        >
          <option value="">{t('filter.all')}</option>
          {ITEMS.map((i) => (
            <option key={i} value={i}>
              {itemLabel(i, lang)}
            </option>
          ))}
        </select>
      </label>
      <label title={t('filter.natureHint')}>
        {t('filter.nature')}
        <select
          className="co-select"
          data-testid="filter-nature"
          value={filters.nature ?? ''}
          disabled={!natures}
          onChange={(e) => onChange({ ...filters, nature: e.target.value || undefined })}
        >
          <option value="">{t('filter.all')}</option>
          {Object.entries(natures ?? {}).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {active ? (
        <button type="button" className="co-button co-button-small co-button-ghost" onClick={() => onChange({})}>
          {t('filter.clear')}
        </button>
      ) : null}
      {children}
    </div>
  );
}
