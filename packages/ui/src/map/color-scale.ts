import type { Rgb } from '../theme.ts';

/** A classed colour scale: `breaks[i]` is the lower bound of class i+1. */
export interface ColorScale {
  breaks: number[];
  colors: Rgb[];
  colorOf: (value: number | null | undefined) => Rgb | null;
  /** The one value every unit has, when they all have the same (one unit, or all equal). */
  single?: number;
}

/**
 * Quantile classes over the observed values (each class holds about the same number of
 * units — robust when one district dwarfs the others), with breaks rounded to 2 significant
 * digits so the legend reads cleanly. Duplicate breaks collapse, so few distinct values
 * give fewer classes rather than empty ones.
 */
export function buildQuantileScale(values: readonly number[], ramp: readonly Rgb[]): ColorScale {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const distinct = [...new Set(finite)];
  const breaks: number[] = [];
  if (distinct.length <= ramp.length) {
    // Few distinct values: one class each.
    breaks.push(...distinct.slice(1));
  } else {
    const min = distinct[0]!;
    for (let i = 1; i < ramp.length; i++) {
      const rounded = roundSignificant(finite[Math.floor((i * finite.length) / ramp.length)]!, 2);
      const previous = breaks.length ? breaks[breaks.length - 1]! : min;
      if (rounded > previous) breaks.push(rounded);
    }
  }
  // Spread the used colours over the whole ramp so two classes are not both pale. One class
  // (one unit, or all equal) says nothing high or low: the ramp's middle colour, so a single
  // grid with no cases is not painted as the hottest one.
  const used = breaks.length + 1;
  const colors = Array.from({ length: used }, (_, i) =>
    ramp[used === 1 ? Math.floor((ramp.length - 1) / 2) : Math.round((i * (ramp.length - 1)) / (used - 1))]!,
  );
  const colorOf = (value: number | null | undefined): Rgb | null => {
    if (value === null || value === undefined || !Number.isFinite(value)) return null;
    let index = 0;
    while (index < breaks.length && value >= breaks[index]!) index++;
    return colors[index]!;
  };
  return { breaks, colors, colorOf, ...(distinct.length === 1 ? { single: distinct[0]! } : {}) };
}

export function roundSignificant(value: number, digits: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}

/** Legend rows: "< b0", "b0 – b1", …, "≥ bn"; one class reads its value (or "—" without one). */
export function legendEntries(scale: ColorScale, format: (v: number) => string): { color: Rgb; label: string }[] {
  const { breaks, colors } = scale;
  if (breaks.length === 0) return colors[0] ? [{ color: colors[0], label: scale.single === undefined ? '—' : format(scale.single) }] : [];
  return colors.map((color, i) => {
    if (i === 0) return { color, label: `< ${format(breaks[0]!)}` };
    if (i === breaks.length) return { color, label: `≥ ${format(breaks[i - 1]!)}` };
    return { color, label: `${format(breaks[i - 1]!)} – ${format(breaks[i]!)}` };
  });
}
