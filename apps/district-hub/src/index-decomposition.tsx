import { useMemo, useState } from 'react';
import { decompositionSteps, previousMonth, type Breakdown } from './decomposition-steps.ts';
import {
  EChart,
  EmptyState,
  ErrorState,
  LIGHT_THEME,
  LoadingState,
  Panel,
  buildWaterfallOption,
  formatMonth,
  useI18n,
  useIndexDecomposition,
} from '@cityops/ui';

const theme = LIGHT_THEME;

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
