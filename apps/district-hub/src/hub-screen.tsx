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
  useMapVolumes,
  useDrillPath,
  useI18n,
  useKpis,
  useMonthlyVolumes,
  useMonths,
  useHotspots,
  useUnit,
  type SessionUser,
  type EventFilter,
  type EventPoint,
  type MonthlyVolumeRow,
  EventsPanel,
  ExportLinks,
  buildEventPointsLayer,
  eventPointTooltip,
  markEventPoints,
  sourceLabel,
  useEventPoints,
  type ViewFilters,
} from '@cityops/ui';
import { SOURCES, SOURCE_LABELS, type Source } from '@cityops/domain/sources';
import { ITEM_LABELS } from '@cityops/domain/categories';
import { hotspotResolutionOf } from '@cityops/domain/units';
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
  const { path, current, select } = useDrillPath(root);
  const currentUnit = useUnit(current.code);

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
  // A grid, the last level, colours and ranks itself (see useMapVolumes).
  const children = useMapVolumes(current.code, month, filters);
  const leaf = children.leaf;
  const volumes = useMonthlyVolumes(current.code, 12);
  const kpis = useKpis(current.code, month);
  const [pickedMapMode, setMapMode] = useState<MapMode>('choropleth');
  // Hot spots are computed down to a street (the domain's HOTSPOT_RESOLUTION); below it the map
  // is the choropleth.
  const hotspotsAvailable = hotspotResolutionOf(current.code) !== undefined;
  const mapMode = hotspotsAvailable ? pickedMapMode : 'choropleth';
  const hotspots = useHotspots(current.code, month, mapMode === 'hotspots', filters);
  const emerging = useEmergingHotspots(current.code, month, mapMode === 'emerging', filters);
  const filtered = !!(filters.source || filters.item);

  // The events behind a number (KPI tile, ranking bar, trend point), in a side panel.
  const [eventsView, setEventsView] = useState<EventsView | null>(null);
  const viewFilter: EventFilter | null = month ? { unitCode: current.code, month, ...definedFilters(filters) } : null;
  // Event locations once the view is a street or a community (street zoom).
  const points = useEventPoints(mapMode === 'choropleth' && month && current.code.length >= 9 ? { unitCode: current.code, month, ...definedFilters({ source: filters.source, item: filters.item }) } : null);
  const pointLayers = useMemo(() => (points.data?.rows.length ? [buildEventPointsLayer(`points-${current.code}`, points.data.rows)] : []), [points.data, current.code]);
  useEffect(() => {
    markEventPoints(pointLayers.length ? (points.data?.rows.length ?? 0) : 0);
  }, [pointLayers, points.data]);

  const drillable = !leaf;
  const onUnitClick = useCallback(
    (code: string, name: string) => {
      if (drillable && code !== current.code) select({ code, name });
    },
    [drillable, current.code, select],
  );
  // Stable across renders: the map rebuilds its layers when the codes it keeps change.
  const onlyCodes = useMemo(() => (leaf ? [current.code] : undefined), [leaf, current.code]);

  // A grid is ranked among its community's grids, itself highlighted.
  const ranked = leaf ? children.siblings : children.data;
  const rankingRows = useMemo(
    () => (ranked ?? []).flatMap((r) => (r.ratePer10k === null ? [] : [{ code: r.code, name: r.name, value: r.ratePer10k }])),
    [ranked],
  );
  const rankingOption = useMemo(
    () => buildRankingOption(rankingRows, { lang, theme, limit: 20, valueName: t('table.rate'), ...(leaf ? { highlightCode: current.code } : {}) }),
    [rankingRows, lang, t, leaf, current.code],
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
      {refused ? null : (
        <FilterBar filters={filters} onChange={setFilters}>
          {viewFilter ? (
            <div className="dh-filters-export">
              {leaf ? null : (
                <>
                  <span>{t('export.children')}</span>
                  {filters.nature ? <span className="co-muted">{t('filter.natureHint')}</span> : <ExportLinks table="children" filter={viewFilter} testId="export-children" />}
                </>
              )}
              <span>{t('export.events')}</span>
              <ExportLinks table="events" filter={viewFilter} testId="export-view-events" />
            </div>
          ) : null}
        </FilterBar>
      )}
      {refused ? (
        <div className="dh-refused">
          <ErrorState error={refused} />
          <button type="button" className="co-button" onClick={() => select(root)}>
            {t('nav.backToRoot')}
          </button>
        </div>
      ) : (
        <div className="dh-body">
          <SourceKpiTiles
            className="dh-kpis"
            rows={kpis.data}
            error={kpis.error}
            theme={theme}
            yoy
            onOpen={(r) => month && setEventsView({ filter: { unitCode: current.code, month, source: r.source }, title: `${current.name} · ${formatMonth(month, lang)} · ${sourceLabel(r.source, lang)}` })}
          />
          <Panel
            title={`${current.name} · ${t(leaf ? 'map.title.own' : MAP_MODE_TITLE[mapMode])}${filtered ? ` · ${t('filter.active')}` : ''}`}
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
                      disabled={mode !== 'choropleth' && !hotspotsAvailable}
                      title={mode !== 'choropleth' && !hotspotsAvailable ? t('map.hotspotsToStreet') : undefined}
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
                parentCode={leaf ? current.code.slice(0, 12) : current.code}
                onlyCodes={onlyCodes}
                rows={children.data}
                rowsError={children.error}
                onUnitClick={onUnitClick}
                overlayLayers={pointLayers}
                overlayTooltip={(info) => eventPointTooltip(info, lang)}
                contextUrl={current.code.length >= 9 ? childBoundaryUrl(current.code.slice(0, 6)) : childBoundaryUrl('5101')}
                basemapStyleUrl={BASEMAP_STYLE_URL}
              >
                {points.data?.rows.length ? (
                  <div className="dh-points-note" data-testid="event-points-note">
                    {t('map.eventPoints')} {points.data.rows.length}
                    {points.data.truncated ? ` · ${t('map.eventPointsTruncated')}` : ''}
                  </div>
                ) : null}
              </ChoroplethMap>
            )}
          </Panel>
          <Panel title={t('index.ranking')} className="dh-index-panel">
            <IndexRankingList unitCode={current.code} month={month} onSelect={onUnitClick} />
          </Panel>
          <ChildRankingPanel
            title={`${t(leaf ? 'chart.rankingSiblings' : 'chart.ranking')}${filtered ? ` · ${t('filter.active')}` : ''}`}
            className="dh-ranking"
            query={{ data: ranked, isPending: children.isPending, error: children.error }}
            option={rankingOption}
            theme={theme}
            ariaLabel={t('chart.ranking')}
            rows={rankingRows}
            // A bar opens that unit's events (with the view's filters); the panel offers the drill-down.
            onUnitClick={(code, name) =>
              month &&
              setEventsView({
                filter: { unitCode: code, month, ...definedFilters(filters) },
                title: `${name} · ${formatMonth(month, lang)}`,
                // Into a child, or across to a sibling grid.
                drill: code === current.code ? undefined : { code, name, label: t(leaf ? 'events.goTo' : 'events.drill') },
              })
            }
          />
          <ChartPanel
            title={t('chart.trend')}
            className="dh-trend"
            query={volumes}
            option={trendOption}
            theme={theme}
            ariaLabel={t('chart.trend')}
            onItemClick={(_data, _name, at) => {
              const picked = trendPoint(volumes.data ?? [], at);
              if (picked)
                setEventsView({
                  filter: { unitCode: current.code, month: picked.month, source: picked.source },
                  title: `${current.name} · ${formatMonth(picked.month, lang)} · ${sourceLabel(picked.source, lang)}`,
                });
            }}
          />
          <IndexDecompositionPanel code={current.code} month={month} months={months.data?.months ?? []} />
        </div>
      )}
      {eventsView ? (
        <EventsPanel
          filter={eventsView.filter}
          title={eventsView.title}
          onClose={() => setEventsView(null)}
          actions={
            eventsView.drill ? (
              <button
                type="button"
                className="co-button co-button-small"
                onClick={() => {
                  select({ code: eventsView.drill!.code, name: eventsView.drill!.name });
                  setEventsView(null);
                }}
              >
                {eventsView.drill.label}
              </button>
            ) : null
          }
        />
      ) : null}
    </div>
  );
}

interface EventsView {
  filter: EventFilter;
  title: string;
  drill?: { code: string; name: string; label: string } | undefined;
}

/** The filters that are set (the API and the export take absent keys, not undefined ones). */
function definedFilters(filters: ViewFilters): Omit<EventFilter, 'unitCode' | 'month'> {
  return {
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.item ? { item: filters.item } : {}),
    ...(filters.nature ? { nature: filters.nature } : {}),
  };
}

/** The month and source of a clicked trend point (same ordering as buildTrendOption). */
function trendPoint(rows: readonly MonthlyVolumeRow[], at: { seriesIndex: number; dataIndex: number }): { month: string; source: Source } | null {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const sources = SOURCES.filter((s) => rows.some((r) => r.source === s));
  const month = months[at.dataIndex];
  const source = sources[at.seriesIndex];
  return month && source ? { month, source } : null;
}
