import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import {
  ChartPanel,
  ChildRankingPanel,
  AppHeader,
  Breadcrumbs,
  ChoroplethMap,
  ErrorState,
  LIGHT_THEME,
  LoadingState,
  Panel,
  SourceKpiTiles,
  useEmergingHotspots,
  buildRankingOption,
  buildTrendOption,
  childBoundaryUrl,
  formatMonth,
  useChildVolumes,
  useDrillPath,
  useI18n,
  useKpis,
  useMonthlyVolumes,
  useMonths,
  useHotspots,
  useUnit,
  type SessionUser,
  type ViewFilters,
} from '@cityops/ui';
import { BASEMAP_STYLE_URL } from './env.ts';
import { IndexRankingList } from './index-ranking.tsx';
import { IndexDecompositionPanel } from './index-decomposition.tsx';
import { FilterBar } from './filter-bar.tsx';

type MapMode = 'choropleth' | 'hotspots' | 'emerging';
const MAP_MODE_LABEL = { choropleth: 'map.layer.choropleth', hotspots: 'map.layer.hotspots', emerging: 'map.layer.emerging' } as const;
const MAP_MODE_TITLE = { choropleth: 'map.title.children', hotspots: 'map.title.hotspots', emerging: 'map.title.emerging' } as const;

// deck.gl geo-layers + h3-js load only when the analyst switches to the hexagon layer.
const HotspotMap = lazy(() => import('@cityops/ui/hotspots').then((m) => ({ default: m.HotspotMap })));

const theme = LIGHT_THEME;

/** The district analyst's desk: one district's units on a map, ranked, with their trend. */
export function HubScreen({ user }: { user: SessionUser }) {
  const { t, lang } = useI18n();
  const root = useMemo(() => ({ code: user.unitCode, name: user.unitName }), [user.unitCode, user.unitName]);
  const { path, current, select, rename } = useDrillPath(root);
  const currentUnit = useUnit(current.code);
  useEffect(() => {
    if (currentUnit.data) rename(currentUnit.data.code, currentUnit.data.name);
  }, [currentUnit.data, rename]);

  const months = useMonths();
  const [pickedMonth, setPickedMonth] = useState<string | null>(null);
  const month = pickedMonth ?? months.data?.months.at(-1);
  const [playing, setPlaying] = useState(false);
  // Time playback: step through the last 12 months, then stop on the latest.
  useEffect(() => {
    const all = months.data?.months ?? [];
    if (!playing || all.length === 0) return undefined;
    const recent = all.slice(-12);
    let index = 0;
    setPickedMonth(recent[0]!);
    const timer = window.setInterval(() => {
      index += 1;
      if (index >= recent.length) {
        setPlaying(false);
        return;
      }
      setPickedMonth(recent[index]!);
    }, 1500);
    return () => window.clearInterval(timer);
  }, [playing, months.data]);
  const [filters, setFilters] = useState<ViewFilters>({});
  const children = useChildVolumes(current.code, month, filters);
  const volumes = useMonthlyVolumes(current.code, 12);
  const kpis = useKpis(current.code, month);
  const [mapMode, setMapMode] = useState<MapMode>('choropleth');
  const hotspots = useHotspots(current.code, month, mapMode === 'hotspots', filters);
  const emerging = useEmergingHotspots(current.code, month, mapMode === 'emerging', filters);
  const filtered = !!(filters.source || filters.item);

  const drillable = current.code.length < 12;
  const onUnitClick = useCallback(
    (code: string, name: string) => {
      if (drillable) select({ code, name });
    },
    [drillable, select],
  );

  const rankingRows = useMemo(
    () => (children.data ?? []).flatMap((r) => (r.ratePer10k === null ? [] : [{ code: r.code, name: r.name, value: r.ratePer10k }])),
    [children.data],
  );
  const rankingOption = useMemo(
    () => buildRankingOption(rankingRows, { lang, theme, limit: 20, valueName: t('table.rate') }),
    [rankingRows, lang, t],
  );
  const trendOption = useMemo(() => buildTrendOption(volumes.data ?? [], { lang, theme }), [volumes.data, lang]);
  const refused = [children.error, currentUnit.error].find(Boolean);

  return (
    <div className="dh-screen">
      <AppHeader title={t('app.districtHub')} subtitle={current.name} user={user}>
        <Breadcrumbs items={path} onSelect={(code) => select(path.find((c) => c.code === code)!)} />
        <label className="dh-month">
          {t('nav.month')}
          <select className="co-select" value={month ?? ''} onChange={(e) => setPickedMonth(e.target.value)}>
            {(months.data?.months ?? []).slice().reverse().map((m) => (
              <option key={m} value={m}>
                {formatMonth(m, lang)}
              </option>
            ))}
          </select>
          <button type="button" className="co-button co-button-small" onClick={() => setPlaying((p) => !p)}>
            {playing ? t('nav.pause') : t('nav.play')}
          </button>
        </label>
      </AppHeader>
      <FilterBar filters={filters} onChange={setFilters} />
      {refused ? (
        <div className="dh-refused">
          <ErrorState error={refused} />
          <button type="button" className="co-button" onClick={() => select(root)}>
            {t('nav.backToRoot')}
          </button>
        </div>
      ) : (
        <div className="dh-body">
          <SourceKpiTiles className="dh-kpis" rows={kpis.data} error={kpis.error} theme={theme} yoy />
          <Panel
            title={`${current.name} · ${t(MAP_MODE_TITLE[mapMode])}${filtered ? ` · ${t('filter.active')}` : ''}`}
            extra={
              <div className="dh-map-extra">
                {drillable && mapMode === 'choropleth' ? <span>{t('nav.drillHint')}</span> : null}
                <div className="dh-toggle" role="group">
                  {(['choropleth', 'hotspots', 'emerging'] as const).map((mode) => (
                    <button
                      key={mode}
                      type="button"
                      className={`co-button co-button-small ${mapMode === mode ? 'is-active' : 'co-button-ghost'}`}
                      aria-pressed={mapMode === mode}
                      data-testid={`map-mode-${mode}`}
                      onClick={() => setMapMode(mode)}
                    >
                      {t(MAP_MODE_LABEL[mode])}
                    </button>
                  ))}
                </div>
              </div>
            }
            className="dh-map"
          >
            {mapMode !== 'choropleth' ? (
              <Suspense fallback={<LoadingState />}>
                <HotspotMap
                  theme={theme}
                  parentCode={current.code}
                  mode={mapMode === 'hotspots' ? 'gi' : 'emerging'}
                  result={hotspots.data}
                  emerging={emerging.data}
                  error={mapMode === 'hotspots' ? hotspots.error : emerging.error}
                  onRetry={() => void (mapMode === 'hotspots' ? hotspots.refetch() : emerging.refetch())}
                  contextUrl={current.code.length >= 9 ? childBoundaryUrl(current.code.slice(0, 6)) : childBoundaryUrl('5101')}
                  basemapStyleUrl={BASEMAP_STYLE_URL}
                />
              </Suspense>
            ) : (
              <ChoroplethMap
                theme={theme}
                parentCode={current.code}
                rows={children.data}
                rowsError={children.error}
                onUnitClick={onUnitClick}
                contextUrl={current.code.length >= 9 ? childBoundaryUrl(current.code.slice(0, 6)) : childBoundaryUrl('5101')}
                basemapStyleUrl={BASEMAP_STYLE_URL}
              />
            )}
          </Panel>
          <Panel title={t('index.ranking')} className="dh-index-panel">
            <IndexRankingList unitCode={current.code} month={month} onSelect={onUnitClick} />
          </Panel>
          <ChildRankingPanel
            title={`${t('chart.ranking')}${filtered ? ` · ${t('filter.active')}` : ''}`}
            className="dh-ranking"
            query={children}
            option={rankingOption}
            theme={theme}
            ariaLabel={t('chart.ranking')}
            rows={rankingRows}
            onUnitClick={onUnitClick}
          />
          <ChartPanel title={t('chart.trend')} className="dh-trend" query={volumes} option={trendOption} theme={theme} ariaLabel={t('chart.trend')} />
          <IndexDecompositionPanel code={current.code} month={month} months={months.data?.months ?? []} />
        </div>
      )}
    </div>
  );
}
