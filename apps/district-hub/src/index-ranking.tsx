import { EmptyState, ErrorState, LoadingState, useI18n, useIndexRanking } from '@cityops/ui';

/**
 * The children's social condition index, best first, with the city-wide rank and its interval
 * (5th–95th percentile of the rank under resampling): two units whose intervals overlap are not
 * reliably in that order, which a bare rank hides.
 */
export function IndexRankingList({ unitCode, month, onSelect }: { unitCode: string; month: string | undefined; onSelect: (code: string, name: string) => void }) {
  const { t, lang } = useI18n();
  const ranking = useIndexRanking(unitCode, month);
  if (ranking.error) return <ErrorState error={ranking.error} onRetry={() => void ranking.refetch()} />;
  if (!month || ranking.isPending) return <LoadingState />;
  const units = ranking.data.units;
  if (!units.length) return <EmptyState />;
  const rankOf = units[0]!.rankOf;
  return (
    <div className="dh-index" data-testid="index-ranking">
      {ranking.data.source.status !== 'published' ? <div className="dh-index-note">{t('index.provisional')}</div> : null}
      <table className="dh-index-table">
        <thead>
          <tr>
            <th>{t('table.unit')}</th>
            <th>{t('index.score')}</th>
            <th>{t('index.rank')}</th>
            <th>{t('index.interval')}</th>
          </tr>
        </thead>
        <tbody>
          {units.map((u) => {
            const interval = u.rankInterval;
            return (
              <tr key={u.code} onClick={() => onSelect(u.code, u.name)} data-testid="index-ranking-row">
                <td>{u.name}</td>
                <td>
                  <span className="dh-band" style={{ background: u.band.color }}>
                    {lang === 'zh' ? u.band.zh : u.band.en}
                  </span>{' '}
                  {u.score.toFixed(1)}
                </td>
                <td>
                  {u.rank}/{u.rankOf}
                </td>
                <td>
                  {interval ? (
                    <div className="dh-interval" title={`${Math.round(interval.p5)}–${Math.round(interval.p95)}`}>
                      <span className="dh-interval-text">
                        {Math.round(interval.p5)}–{Math.round(interval.p95)}
                      </span>
                      <span className="dh-interval-track">
                        <span
                          className="dh-interval-bar"
                          style={{ left: `${(interval.p5 / rankOf) * 100}%`, width: `${Math.max(1, ((interval.p95 - interval.p5) / rankOf) * 100)}%` }}
                        />
                        <span className="dh-interval-rank" style={{ left: `${(u.rank / rankOf) * 100}%` }} />
                      </span>
                    </div>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
