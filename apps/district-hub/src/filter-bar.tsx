import { ITEMS, type Item } from '@cityops/domain/categories';
import { HOTLINE_NATURE_LABELS, POLICE_NATURE_LABELS, SOURCES, type Source } from '@cityops/domain/sources';
import { itemLabel, sourceLabel, useI18n, type ViewFilters } from '@cityops/ui';

/** Natures the events carry, per source (12345's own classification; 110's 警情/非警情); petitions have none. */
export const NATURES_BY_SOURCE: Partial<Record<Source, Record<string, string>>> = {
  hotline: HOTLINE_NATURE_LABELS,
  police: POLICE_NATURE_LABELS,
};

/**
 * Source, item and nature filters of the analyst's view. Source and item filter the map, the
 * ranking and the hexagon layers; nature (which exists only within a source) filters the event
 * list and the exports.
 */
export function FilterBar({ filters, onChange }: { filters: ViewFilters; onChange: (next: ViewFilters) => void }) {
  const { t, lang } = useI18n();
  const natures = filters.source ? NATURES_BY_SOURCE[filters.source] : undefined;
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
    </div>
  );
}
