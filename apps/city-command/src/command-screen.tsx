import { useMemo, useState } from 'react';
import {
  AppHeader,
  ChoroplethMap,
  DARK_THEME,
  EChart,
  ErrorState,
  KpiTile,
  LoadingState,
  EmptyState,
  Panel,
  buildCompositionOption,
  buildIndexGaugeOption,
  formatSigned,
  buildTopItemsOption,
  buildTrendOption,
  formatCount,
  formatMonth,
  formatPercent,
  sourceLabel,
  useChildVolumes,
  useI18n,
  useKpis,
  useMonthlyVolumes,
  useMonths,
  useStageFit,
  useTopItems,
  useIndexUnit,
  useFirstPaintDone,
  useLiveStream,
  LiveTicker,
  isKioskMode,
  kioskPeriodMs,
  useAutoRefresh,
  useRotation,
  OfflineBanner,
  type KpiRow,
  type SessionUser,
} from '@cityops/ui';
import { BASEMAP_STYLE_URL } from './env.ts';
import { Clock } from './clock.tsx';
import { RecentAlerts } from './recent-alerts.tsx';
import { DispatchDialog, type DispatchSeed } from './dispatch-dialog.tsx';

const theme = DARK_THEME;
const FONT_SCALE = 1.25;
const KIOSK = isKioskMode();
/** A kiosk's view rotation and data refresh (URL `rotate=`/`refresh=` seconds; 30 s and 5 min by default). */
const ROTATE_MS = kioskPeriodMs('rotate', 30_000);
const REFRESH_MS = kioskPeriodMs('refresh', 5 * 60_000);
/** Map views a kiosk rotates through. */
const MAP_VIEWS = [
  { metric: 'ratePer10k', title: 'map.title.districts' },
  { metric: 'count', title: 'map.title.districtsCount' },
] as const;

/** Design width from which a wide wall gets the four-column layout (aspect ≥ 2.78:1, e.g. 6656×1792). */
const WIDE_STAGE = 3000;

/**
 * The big screen of the city operations center, designed at 1920×1080; on a wider wall the
 * stage widens (Stage `widen`) and the map column grows with it.
 */
export function CommandScreen({ user }: { user: SessionUser }) {
  const { t, lang } = useI18n();
  const fit = useStageFit();
  const unitCode = user.unitCode;
  const months = useMonths();
  const month = months.data?.months.at(-1);
  const kpis = useKpis(unitCode, month);
  const volumes = useMonthlyVolumes(unitCode, 12);
  const children = useChildVolumes(unitCode, month);
  const topItems = useTopItems(unitCode, month, 10);
  // The city's index on a gauge over the map's empty corner, drawn after the first paint (it is
  // not one of the three charts that paint counts, and an extra chart would delay it).
  const painted = useFirstPaintDone();
  const index = useIndexUnit(unitCode, month, painted);
  useAutoRefresh(KIOSK, REFRESH_MS);
  const view = MAP_VIEWS[useRotation(MAP_VIEWS.length, ROTATE_MS, KIOSK)]!;
  const live = useLiveStream(40);
  // Live messages and alerts carry street/grid codes; the screen names their district.
  const districtNames = useMemo(() => new Map((children.data ?? []).map((d) => [d.code, d.name])), [children.data]);
  const unitName = useMemo(() => (code: string) => districtNames.get(code.slice(0, 6)) ?? code, [districtNames]);

  const ctx = { lang, theme, fontScale: FONT_SCALE };
  const trendOption = useMemo(() => buildTrendOption(volumes.data ?? [], ctx), [volumes.data, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const topOption = useMemo(() => buildTopItemsOption(topItems.data ?? [], ctx), [topItems.data, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const gaugeOption = useMemo(() => {
    if (!index.data) return null;
    const band = lang === 'zh' ? index.data.band.zh : index.data.band.en;
    const mom = index.data.mom ? ` · ${t('kpi.momChange')} ${formatSigned(index.data.mom.change, 1)}` : '';
    return buildIndexGaugeOption(index.data.score, `${band}${mom}`, ctx);
  }, [index.data, lang]); // eslint-disable-line react-hooks/exhaustive-deps
  const compositionOption = useMemo(() => buildCompositionOption(kpis.data ?? [], ctx), [kpis.data, lang]); // eslint-disable-line react-hooks/exhaustive-deps

  const monthLabel = month ? formatMonth(month, lang) : '';
  // 派单 of a major event, from the header button or from an alert (pre-filled). Not in kiosk mode.
  const [dispatchSeed, setDispatchSeed] = useState<DispatchSeed | null>(null);
  // The live ticker and the alerts sit under the map on a 16:9 screen; on a wall at least
  // WIDE_STAGE design pixels wide they get a column of their own and the map the full height.
  const wide = fit.width >= WIDE_STAGE;
  const feeds = (
    <div className="cc-feeds" data-testid="cc-feeds">
      <Panel title={t('live.ticker')} className="cc-ticker">
        <LiveTicker messages={live.messages} status={live.status} unitName={unitName} />
      </Panel>
      <Panel title={t('alerts.recent')} className="cc-alerts-panel">
        <RecentAlerts unitCode={unitCode} month={month} unitName={unitName} {...(KIOSK ? {} : { onDispatch: setDispatchSeed })} />
      </Panel>
    </div>
  );
  return (
    <div className={wide ? 'cc-screen cc-wide' : 'cc-screen'}>
      <OfflineBanner />
      <AppHeader title={t('app.cityCommand')} subtitle={`${user.unitName} · ${monthLabel}`} user={user}>
        <Clock />
        {KIOSK ? null : (
          <button type="button" className="co-button cc-dispatch-button" onClick={() => setDispatchSeed({})} data-testid="dispatch-open">
            {t('dispatch.open')}
          </button>
        )}
      </AppHeader>
      {months.error ? (
        <ErrorState error={months.error} />
      ) : (
        <div className="cc-body">
          <div className="cc-left">
            <KpiColumn rows={kpis.data} error={kpis.error} />
            <Panel title={t('chart.composition')} className="cc-composition">
              {kpis.data?.length ? <EChart option={compositionOption} theme={theme} ariaLabel={t('chart.composition')} /> : <ChartState query={kpis} />}
            </Panel>
          </div>
          <div className="cc-center">
          <Panel title={`${t(view.title)} · ${monthLabel}`} className="cc-map">
            <ChoroplethMap
              theme={theme}
              parentCode={unitCode}
              rows={children.data}
              rowsError={children.error}
              metric={view.metric}
              {...(view.metric === 'count' ? { legendTitle: t('table.count') } : {})}
              basemapStyleUrl={BASEMAP_STYLE_URL}
              pixelRatio={Math.max(1, fit.scale) * (window.devicePixelRatio || 1)}
            >
              {gaugeOption ? (
                <div className="cc-index-gauge" data-testid="city-index-gauge" data-score={index.data!.score.toFixed(1)}>
                  <div className="cc-index-gauge-title">{t('chart.cityIndex')}</div>
                  <EChart option={gaugeOption} theme={theme} ariaLabel={t('chart.cityIndex')} />
                </div>
              ) : null}
            </ChoroplethMap>
          </Panel>
          {wide ? null : feeds}
          </div>
          <div className="cc-right">
            <Panel title={t('chart.trend')} className="cc-trend">
              {volumes.data?.length ? <EChart option={trendOption} theme={theme} ariaLabel={t('chart.trend')} /> : <ChartState query={volumes} />}
            </Panel>
            <Panel title={`${t('chart.topItems')} · ${monthLabel}`} className="cc-top">
              {topItems.data?.length ? <EChart option={topOption} theme={theme} ariaLabel={t('chart.topItems')} /> : <ChartState query={topItems} />}
            </Panel>
          </div>
          {wide ? feeds : null}
        </div>
      )}
      {dispatchSeed ? <DispatchDialog rootCode={unitCode} seed={dispatchSeed} onClose={() => setDispatchSeed(null)} /> : null}
    </div>
  );
}

function ChartState({ query }: { query: { error: unknown; isPending: boolean } }) {
  if (query.error) return <ErrorState error={query.error} />;
  if (query.isPending) return <LoadingState />;
  return <EmptyState />;
}

function KpiColumn({ rows, error }: { rows: KpiRow[] | undefined; error: unknown }) {
  const { t, lang } = useI18n();
  if (!rows) return error ? <ErrorState error={error} /> : <LoadingState />;
  const sum = (pick: (r: KpiRow) => number) => rows.reduce((acc, r) => acc + pick(r), 0);
  const total = { count: sum((r) => r.count), previousMonth: sum((r) => r.previousMonth), sameMonthLastYear: sum((r) => r.sameMonthLastYear) };
  const changes = (r: { count: number; previousMonth: number; sameMonthLastYear: number }) => [
    { label: t('kpi.momChange'), current: r.count, base: r.previousMonth },
    { label: t('kpi.yoyChange'), current: r.count, base: r.sameMonthLastYear },
  ];
  return (
    <div className="cc-kpis">
      <KpiTile label={t('kpi.total')} value={formatCount(total.count, lang)} unit={t('kpi.unit')} changes={changes(total)} />
      {rows.map((r) => (
        <KpiTile
          key={r.source}
          label={sourceLabel(r.source, lang)}
          value={formatCount(r.count, lang)}
          unit={t('kpi.unit')}
          accent={theme.sourceColors[r.source]}
          changes={changes(r)}
          footer={`${t('kpi.responseRate')} ${formatPercent(r.responseRate)} · ${t('kpi.completionRate')} ${formatPercent(r.completionRate)} · ${t('kpi.satisfactionRate')} ${formatPercent(r.satisfactionRate)}`}
        />
      ))}
    </div>
  );
}
