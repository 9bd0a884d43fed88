import { useMemo, useState } from 'react';
import { PILLAR_LABELS, PILLARS } from '@cityops/domain/index-method/indicators';
import type { ItemGroup } from '@cityops/domain/index-method/decompose';
import {
  EChart,
  EmptyState,
  ErrorState,
  LIGHT_THEME,
  LoadingState,
  Panel,
  buildWaterfallOption,
  formatMonth,
  itemLabel,
  useI18n,
  useIndexDecomposition,
  type IndexDecomposition,
  type WaterfallStep,
} from '@cityops/ui';

type Breakdown = 'pillar' | 'item';
const theme = LIGHT_THEME;
/** Items beyond this many (by size of contribution) are summed into one bar. */
const MAX_ITEM_BARS = 7;

/** The month before 'YYYY-MM'. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Waterfall steps by pillar or by item (largest contributions first, the rest summed). */
export function decompositionSteps(d: IndexDecomposition, breakdown: Breakdown, lang: 'zh' | 'en', otherLabel: string, processLabel: string): WaterfallStep[] {
  if (breakdown === 'pillar') return PILLARS.map((p) => ({ key: p, label: PILLAR_LABELS[p][lang], value: d.pillars[p] ?? 0 }));
  const entries = (Object.entries(d.items) as [ItemGroup, number][]).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  const shown = entries.slice(0, MAX_ITEM_BARS);
  const rest = entries.slice(MAX_ITEM_BARS).reduce((sum, [, v]) => sum + v, 0);
  const steps = shown.map(([item, value]) => ({ key: item, label: item === 'process' ? processLabel : itemLabel(item, lang), value }));
  return entries.length > MAX_ITEM_BARS ? [...steps, { key: '__rest', label: otherLabel, value: rest }] : steps;
}

/**
 * "Why did it drop?" — the selected unit's index this month against a comparison month (the
 * previous one by default), as a waterfall by pillar or by item whose bars add up to the change.
 */
export function IndexDecompositionPanel({ code, month, months }: { code: string; month: string | undefined; months: readonly string[] }) {
  const { t, lang } = useI18n();
  const [breakdown, setBreakdown] = useState<Breakdown>('pillar');
  const [pickedCompare, setPickedCompare] = useState<string | null>(null);
  const defaultCompare = month ? previousMonth(month) : undefined;
  const compareTo = pickedCompare && pickedCompare !== month ? pickedCompare : defaultCompare && months.includes(defaultCompare) ? defaultCompare : undefined;
  const decomposition = useIndexDecomposition(code, month, compareTo);
  const d = decomposition.data;
  const option = useMemo(() => {
    if (!d) return null;
    const steps = decompositionSteps(d, breakdown, lang, lang === 'zh' ? '其他' : 'Other', t('decomp.process'));
    return buildWaterfallOption(
      { label: `${t('decomp.start')}`, value: d.scoreBefore },
      steps,
      { label: `${t('decomp.end')}`, value: d.scoreAfter },
      { lang, theme, digits: 2 },
    );
  }, [d, breakdown, lang, t]);

  let body;
  if (!month || !compareTo) body = <EmptyState label={t('decomp.noPrevious')} />;
  else if (decomposition.error) body = <ErrorState error={decomposition.error} onRetry={() => void decomposition.refetch()} />;
  else if (!d || !option) body = <LoadingState />;
  else
    body = (
      <>
        <div className="dh-decomp-summary" data-testid="decomposition-summary">
          <span>
            {t('decomp.before')} <b>{d.scoreBefore.toFixed(1)}</b>
          </span>
          <span>
            {t('decomp.after')} <b>{d.scoreAfter.toFixed(1)}</b>
          </span>
          <span className={d.change < 0 ? 'co-down-bad' : 'co-up-good'}>
            {t('decomp.change')} <b>{`${d.change > 0 ? '+' : ''}${d.change.toFixed(2)}`}</b>
          </span>
        </div>
        {!d.comparable ? <div className="dh-index-note">{t('decomp.notComparable')}</div> : null}
        {!d.complete ? <div className="dh-index-note">{t('decomp.incomplete')}</div> : null}
        <div className="dh-decomp-chart" data-testid="decomposition-chart">
          <EChart option={option} theme={theme} ariaLabel={t('decomp.title')} />
        </div>
      </>
    );

  return (
    <Panel
      title={t('decomp.title')}
      className="dh-decomp-panel"
      extra={
        <div className="dh-decomp-controls" data-testid="decomposition">
          <div className="dh-toggle" role="group">
            {(['pillar', 'item'] as const).map((b) => (
              <button
                key={b}
                type="button"
                className={`co-button co-button-small ${breakdown === b ? 'is-active' : 'co-button-ghost'}`}
                aria-pressed={breakdown === b}
                onClick={() => setBreakdown(b)}
              >
                {t(b === 'pillar' ? 'decomp.byPillar' : 'decomp.byItem')}
              </button>
            ))}
          </div>
          <label className="dh-compare">
            {t('decomp.compareTo')}
            <select className="co-select" value={compareTo ?? ''} onChange={(e) => setPickedCompare(e.target.value)} data-testid="decomposition-compare">
              {months
                .filter((m) => m !== month)
                .slice()
                .reverse()
                .map((m) => (
                  <option key={m} value={m}>
                    {formatMonth(m, lang)}
                  </option>
                ))}
            </select>
          </label>
        </div>
      }
    >
      {body}
    </Panel>
  );
}
