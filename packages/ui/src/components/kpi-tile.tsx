import { formatChange, relativeChange } from '../format.ts';

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
}: {
  label: string;
  value: string;
  unit?: string;
  changes?: KpiChange[];
  accent?: string;
  footer?: string;
}) {
  return (
    <div className="co-kpi" style={accent ? { borderTopColor: accent } : undefined}>
      <div className="co-kpi-label">{label}</div>
      <div className="co-kpi-value">
        {value}
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
