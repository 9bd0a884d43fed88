import { useCallback, useEffect, useMemo, useState } from 'react';
import { levelOfCode } from '@cityops/domain/units';
import {
  ChartPanel,
  ChildRankingPanel,
  AppHeader,
  Breadcrumbs,
  ChoroplethMap,
  ErrorState,
  LIGHT_THEME,
  Panel,
  buildEventPointsLayer,
  eventPointTooltip,
  markEventPoints,
  useEventPoints,
  itemLabel,
  sourceLabel,
  type EventPoint,
  type Lang,
  SourceKpiTiles,
  buildRankingOption,
  buildTrendOption,
  childBoundaryUrl,
  formatMonth,
  formatPercent,
  useChildVolumes,
  useDrillPath,
  useI18n,
  useKpis,
  useMonthlyVolumes,
  useMonths,
  useUnit,
  homeUnitCode,
  type SessionUser,
} from '@cityops/ui';
import { BASEMAP_STYLE_URL } from './env.ts';
import { WorkOrderDrawer } from './work-order-drawer.tsx';
import { WorkOrderQueue } from './work-order-queue.tsx';
import { useOpenOrderMarkers } from './use-map-overlay.ts';

const theme = LIGHT_THEME;

/**
 * A street office's desk: the work-order queue, its communities (and their grids) on a map,
 * ranked, with the trend. A grid worker (网格员, on a tablet) gets the same desk over their own
 * grid: the server scopes them to their grids, not to the community above.
 */
export function StreetScreen({ user }: { user: SessionUser }) {
  const { t, lang } = useI18n();
  const grids = user.gridCodes ?? [];
  const rootCode = homeUnitCode(user);
  const root = useMemo(() => ({ code: rootCode, name: rootCode === user.unitCode ? user.unitName : rootCode }), [rootCode, user.unitCode, user.unitName]);
  const { path, current, select, reset } = useDrillPath(root);
  const [openOrder, setOpenOrder] = useState<{ id: string; gridCode: string } | null>(null);
  const currentUnit = useUnit(current.code);

  const months = useMonths();
  const month = months.data?.months.at(-1);
  // A grid has no children: its desk colours and ranks the grid itself (count from its KPIs).
  const leaf = levelOfCode(current.code) === 'grid';
  const childVolumes = useChildVolumes(leaf ? undefined : current.code, month);
  const volumes = useMonthlyVolumes(current.code, 12);
  const kpis = useKpis(current.code, month);
  const leafRows = useMemo(() => {
    if (!leaf || !kpis.data || !currentUnit.data) return undefined;
    const count = kpis.data.reduce((sum, r) => sum + r.count, 0);
    const population = currentUnit.data.population;
    return [{ code: current.code, name: currentUnit.data.name, level: 'grid' as const, population, count, ratePer10k: population > 0 ? (count / population) * 10_000 : null }];
  }, [leaf, kpis.data, currentUnit.data, current.code]);
  const children = leaf ? { data: leafRows, isPending: !leafRows, error: kpis.error ?? currentUnit.error } : childVolumes;
  // Stable across renders: the map rebuilds its layers when the codes it keeps change.
  const onlyCodes = useMemo(() => (leaf ? [current.code] : undefined), [leaf, current.code]);

  const drillable = current.code.length < 12;
  const onUnitClick = useCallback(
    (code: string, name: string) => {
      if (drillable) select({ code, name });
    },
    [drillable, select],
  );
  const rankingRows = useMemo(
    () => (children.data ?? []).map((r) => ({ code: r.code, name: r.name, value: r.count })),
    [children.data],
  );
  const rankingOption = useMemo(
    () => buildRankingOption(rankingRows, { lang, theme, limit: 12, valueName: t('table.count') }),
    [rankingRows, lang, t],
  );
  const trendOption = useMemo(() => buildTrendOption(volumes.data ?? [], { lang, theme }), [volumes.data, lang]);
  const refused = [childVolumes.error, currentUnit.error].find(Boolean);
  const [showOrders, setShowOrders] = useState(true);
  const [showPoints, setShowPoints] = useState(true);
  const points = useEventPoints(showPoints && month ? { unitCode: current.code, month } : null);
  const pointLayer = useMemo(() => (points.data?.rows.length ? buildEventPointsLayer(`points-${current.code}`, points.data.rows) : null), [points.data, current.code]);
  useEffect(() => {
    markEventPoints(showPoints ? (points.data?.rows.length ?? 0) : 0);
  }, [showPoints, points.data]);
  const openOrderFromMap = useCallback((id: string, gridCode: string) => setOpenOrder({ id, gridCode }), []);
  // A grid worker's orders are those of the grid on screen; a street's, all of the street's.
  const ordersUnit = grids.length ? current.code : root.code;
  const orderMarkers = useOpenOrderMarkers(ordersUnit, lang, openOrderFromMap);
  const overlayLayers = useMemo(
    () => [...(showPoints && pointLayer ? [pointLayer] : []), ...(showOrders ? [orderMarkers.layer] : [])],
    [showPoints, pointLayer, showOrders, orderMarkers.layer],
  );

  return (
    <div className="sd-screen">
      <AppHeader title={t('app.streetDisposal')} subtitle={month ? `${current.name} · ${formatMonth(month, lang)}` : current.name} user={user}>
        <Breadcrumbs items={path} onSelect={(code) => select(path.find((c) => c.code === code)!)} />
        {grids.length > 1 ? (
          <select className="co-select" aria-label={t('nav.grid')} value={current.code} onChange={(e) => reset({ code: e.target.value, name: e.target.value })} data-testid="grid-select">
            {grids.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        ) : null}
      </AppHeader>
      {refused ? (
        <div className="sd-refused">
          <ErrorState error={refused} />
          <button type="button" className="co-button" onClick={() => select(root)}>
            {t('nav.backToRoot')}
          </button>
        </div>
      ) : (
        <div className="sd-body">
          <WorkOrderQueue unitCode={ordersUnit} selectedId={openOrder?.id ?? null} onSelect={(id, gridCode) => setOpenOrder({ id, gridCode })} />
          <Panel
            title={`${current.name} · ${t(leaf ? 'map.title.ownCount' : 'map.title.childrenCount')}`}
            className="sd-map"
            extra={
              <div className="sd-layer-switches">
                <label className="sd-layer-switch">
                  <input type="checkbox" checked={showPoints} onChange={(e) => setShowPoints(e.target.checked)} data-testid="toggle-event-points" />
                  {t('map.eventPoints')}（{points.data?.rows.length ?? 0}{points.data?.truncated ? '+' : ''}）
                </label>
                <label className="sd-layer-switch">
                  <input type="checkbox" checked={showOrders} onChange={(e) => setShowOrders(e.target.checked)} data-testid="toggle-open-orders" />
                  {t('map.openOrders')}（{orderMarkers.count}）
                </label>
              </div>
            }
          >
            <ChoroplethMap
              theme={theme}
              parentCode={leaf ? current.code.slice(0, 12) : current.code}
              onlyCodes={onlyCodes}
              rows={children.data}
              rowsError={children.error}
              metric="count"
              legendTitle={t('table.count')}
              onUnitClick={onUnitClick}
              overlayLayers={overlayLayers}
              overlayTooltip={(info) => orderMarkers.tooltip(info) ?? eventPointTooltip(info, lang)}
              contextUrl={childBoundaryUrl(current.code.slice(0, 6))}
              basemapStyleUrl={BASEMAP_STYLE_URL}
            />
          </Panel>
          <div className="sd-side">
            <SourceKpiTiles
              className="sd-kpis"
              rows={kpis.data}
              error={kpis.error}
              theme={theme}
              footer={(r) => `${t('kpi.completionRate')} ${formatPercent(r.completionRate)}`}
            />
            <ChildRankingPanel
              title={t('chart.rankingCount')}
              className="sd-ranking"
              query={children}
              option={rankingOption}
              theme={theme}
              ariaLabel={t('chart.ranking')}
              rows={rankingRows}
              onUnitClick={onUnitClick}
            />
            <ChartPanel title={t('chart.trend')} className="sd-trend" query={volumes} option={trendOption} theme={theme} ariaLabel={t('chart.trend')} />
          </div>
        </div>
      )}
      {openOrder ? <WorkOrderDrawer id={openOrder.id} gridCode={openOrder.gridCode} onClose={() => setOpenOrder(null)} /> : null}
    </div>
  );
}
