import type { ColorScale } from './color-scale.ts';
import { legendEntries } from './color-scale.ts';
import { rgbToCss } from '../theme.ts';

/** Classed legend for a choropleth. */
export function Legend({ title, scale, format }: { title: string; scale: ColorScale; format: (v: number) => string }) {
  const entries = legendEntries(scale, format);
  if (entries.length === 0) return null;
  return (
    <div className="co-legend" aria-label={title}>
      <div className="co-legend-title">{title}</div>
      {entries.map((entry) => (
        <div key={entry.label} className="co-legend-row">
          <span className="co-legend-swatch" style={{ background: rgbToCss(entry.color) }} />
          <span>{entry.label}</span>
        </div>
      ))}
    </div>
  );
}
