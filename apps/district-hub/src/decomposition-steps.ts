import { ITEM_LABELS } from '@cityops/domain/categories';
import { PILLAR_LABELS, PILLARS } from '@cityops/domain/index-method/indicators';
import type { ItemGroup } from '@cityops/domain/index-method/decompose';
import type { IndexDecomposition, WaterfallStep } from '@cityops/ui';

export type Breakdown = 'pillar' | 'item';
/** Items beyond this many (by size of contribution) are summed into one bar. */
const MAX_ITEM_BARS = 7;

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Waterfall steps by pillar or by item (largest contributions first, the rest summed into one bar). */
export function decompositionSteps(d: IndexDecomposition, breakdown: Breakdown, lang: 'zh' | 'en', otherLabel: string, processLabel: string): WaterfallStep[] {
  if (breakdown === 'pillar') return PILLARS.map((p) => ({ key: p, label: PILLAR_LABELS[p][lang], value: d.pillars[p] ?? 0 }));
  const entries = (Object.entries(d.items) as [ItemGroup, number][]).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const shown = entries.slice(0, MAX_ITEM_BARS);
  const rest = entries.slice(MAX_ITEM_BARS).reduce((sum, [, v]) => sum + v, 0);
  const steps = shown.map(([item, value]) => ({ key: item, label: item === 'process' ? processLabel : ITEM_LABELS[item][lang], value }));
  return entries.length > MAX_ITEM_BARS ? [...steps, { key: '__rest', label: otherLabel, value: rest }] : steps;
}
