import type { Layer, PickingInfo } from '@deck.gl/core';
import { EMERGING_CATEGORIES, EMERGING_CATEGORY_LABELS, type EmergingCategory } from '@cityops/domain/index-method/emerging';
import type { EmergingCell } from '../api/api-contract.ts';
import type { Rgb } from '../theme.ts';
import { buildH3CellLayer } from './hotspot-layers.ts';

/**
 * Colours of the emerging hot-spot categories: hot patterns in reds/oranges/magentas, cold ones in
 * blues/cyans (the same pattern a shade apart on each side), "no pattern" a faint grey — after
 * Esri's Emerging Hot Spot Analysis legend, adapted so every category stays distinguishable.
 */
export const EMERGING_CATEGORY_COLORS: Record<EmergingCategory, Rgb> = {
  new_hot: [255, 59, 48],
  consecutive_hot: [228, 87, 46],
  intensifying_hot: [183, 28, 28],
  persistent_hot: [216, 27, 96],
  diminishing_hot: [255, 138, 101],
  sporadic_hot: [255, 183, 77],
  oscillating_hot: [186, 104, 200],
  historical_hot: [161, 136, 127],
  new_cold: [30, 136, 229],
  consecutive_cold: [57, 73, 171],
  intensifying_cold: [13, 71, 161],
  persistent_cold: [0, 131, 143],
  diminishing_cold: [100, 181, 246],
  sporadic_cold: [128, 222, 234],
  oscillating_cold: [121, 134, 203],
  historical_cold: [144, 164, 174],
  no_pattern: [189, 189, 189],
};

export const EMERGING_HOT_CATEGORIES = EMERGING_CATEGORIES.filter((c) => c.endsWith('_hot'));
export const EMERGING_COLD_CATEGORIES = EMERGING_CATEGORIES.filter((c) => c.endsWith('_cold'));

export function emergingCategoryLabel(category: EmergingCategory, lang: 'zh' | 'en'): string {
  return EMERGING_CATEGORY_LABELS[category][lang];
}

/** Emerging categories on H3 hexagons; cells with no pattern stay faint so the patterns stand out. */
export function buildEmergingHexLayer(id: string, cells: readonly EmergingCell[]): Layer {
  return buildH3CellLayer(`${id}-emerging`, cells, (d) => [...EMERGING_CATEGORY_COLORS[d.category], d.category === 'no_pattern' ? 70 : 225]);
}

export function emergingTooltip(info: PickingInfo, lang: 'zh' | 'en', hotLabel: string, coldLabel: string): string | null {
  const cell = info.object as EmergingCell | undefined;
  if (!cell || typeof cell.cell !== 'string' || !('category' in cell)) return null;
  const trend = cell.trend ? ` · Mann–Kendall z = ${cell.trend.z.toFixed(2)}` : '';
  return `${emergingCategoryLabel(cell.category, lang)}\n${hotLabel} ${cell.hotMonths} · ${coldLabel} ${cell.coldMonths}${trend}`;
}
