import type { KpiRow } from '../api/api-contract.ts';
import { formatChange, formatCount, relativeChange } from '../format.ts';
import { sourceLabel, useI18n } from '../i18n.tsx';
import type { Theme } from '../theme.ts';
import { ErrorState } from './states.tsx';
import { SOURCES } from '@cityops/domain/sources';

export interface KpiChange {
  label: string;
  current: number;
  base: number;
}

/**
 * One headline number with its comparisons. For demand volumes a rise is bad news, so
 * rises are coloured as warnings (`co-up`) and falls as good (`co-down`).
 */
export function KpiTile({
  label,
  value,
  unit,
  changes = [],
  accent,
  footer,
  onValueClick,
  valueTitle,
}: {
  label: string;
  value: string;
  unit?: string;
  changes?: KpiChange[];
  accent?: string;
  footer?: string;
  /** Makes the number a button (e.g. to open the events behind it). */
  onValueClick?: (() => void) | undefined;
  valueTitle?: string | undefined;
}) {
  return (
    <div className="co-kpi" style={accent ? { borderTopColor: accent } : undefined}>
      <div className="co-kpi-label">{label}</div>
      <div className="co-kpi-value">
        {onValueClick ? (
          <button type="button" className="co-number-button" onClick={onValueClick} title={valueTitle} data-testid="kpi-value">
            {value}
          </button>
        ) : (
          value
        )}
        {unit ? <span className="co-kpi-unit">{unit}</span> : null}
      </div>
      {changes.length ? (
        <div className="co-kpi-changes">
          {changes.map((c) => {
            const change = relativeChange(c.current, c.base);
            const direction = change === null || change === 0 ? 'flat' : change > 0 ? 'up' : 'down';
            return (
              <span key={c.label} className={`co-kpi-change co-${direction}`}>
                {c.label} {direction === 'up' ? '▲' : direction === 'down' ? '▼' : ''}
                {formatChange(change)}
              </span>
            );
          })}
        </div>
      ) : null}
      {footer ? <div className="co-kpi-footer">{footer}</div> : null}
    </div>
  );
}

/**
 * One tile per source for a unit and month, with loading and error states — the row the district
 * and street desks share. `yoy` adds the year-on-year change; `footer` a line under the number.
 */
export function SourceKpiTiles({
  rows,
  error,
  theme,
  yoy = false,
  footer,
  onOpen,
  className,
}: {
  rows: readonly KpiRow[] | undefined;
  error: unknown;
  theme: Theme;
  yoy?: boolean;
  footer?: (row: KpiRow) => string;
  onOpen?: ((row: KpiRow) => void) | undefined;
  className: string;
}) {
  const { t, lang } = useI18n();
  return (
    <div className={className} data-testid="kpi-tiles">
      {error ? (
        <ErrorState error={error} />
      ) : !rows ? (
        // Placeholder tiles of the final size (same label, number and change lines), so the
        // panels under the row, the map among them, keep their size when the figures come.
        SOURCES.map((source) => (
          <div key={source} className="co-kpi co-kpi-pending" aria-busy="true" style={{ borderTopColor: theme.sourceColors[source] }}>
            <div className="co-kpi-label">{sourceLabel(source, lang)}</div>
            <div className="co-kpi-value">
              —<span className="co-kpi-unit">{t('kpi.unit')}</span>
            </div>
            <div className="co-kpi-changes">
              {[t('kpi.momChange'), ...(yoy ? [t('kpi.yoyChange')] : [])].map((label) => (
                <span key={label} className="co-kpi-change co-flat">
                  {label} —
                </span>
              ))}
            </div>
            {footer ? <div className="co-kpi-footer">{'\u00a0'}</div> : null}
          </div>
        ))
      ) : (
        rows.map((r) => (
          <KpiTile
            key={r.source}
            label={sourceLabel(r.source, lang)}
            value={formatCount(r.count, lang)}
            unit={t('kpi.unit')}
            accent={theme.sourceColors[r.source]}
            changes={[
              { label: t('kpi.momChange'), current: r.count, base: r.previousMonth },
              ...(yoy ? [{ label: t('kpi.yoyChange'), current: r.count, base: r.sameMonthLastYear }] : []),
            ]}
            {...(footer ? { footer: footer(r) } : {})}
            onValueClick={onOpen ? () => onOpen(r) : undefined}
            valueTitle={onOpen ? t('events.openHint') : undefined}
          />
        ))
      )}
    </div>
  );
}
