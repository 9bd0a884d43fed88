import type { Source } from './sources.ts';

/**
 * The 16 subject items (16个社情事项) of the index. The source material names "education,
 * culture and sports (教育文体)" as one of 16 items without listing the others; this list
 * follows the top contents of Chengdu's 12345 bulletins (市场监管, 住房保障与房地产, 环境污染 …)
 * and the petition office's usual classes, merged so every source maps onto it.
 */
export const ITEMS = [
  'market',
  'housing',
  'environment',
  'urban_management',
  'transport',
  'public_security',
  'labor',
  'education_culture',
  'health',
  'civil_affairs',
  'utilities',
  'planning_construction',
  'agriculture',
  'disputes',
  'safety',
  'government_services',
] as const;
export type Item = (typeof ITEMS)[number];

export const ITEM_LABELS: Record<Item, { zh: string; en: string }> = {
  market: { zh: '市场监管', en: 'Market supervision' },
  housing: { zh: '住房保障与房地产', en: 'Housing & real estate' },
  environment: { zh: '环境污染', en: 'Environmental pollution' },
  urban_management: { zh: '城市管理', en: 'Urban management' },
  transport: { zh: '交通运输', en: 'Transport' },
  public_security: { zh: '社会治安', en: 'Public security' },
  labor: { zh: '劳动保障', en: 'Labour & social security' },
  education_culture: { zh: '教育文体', en: 'Education, culture & sports' },
  health: { zh: '医疗卫生', en: 'Health' },
  civil_affairs: { zh: '民政服务', en: 'Civil affairs' },
  utilities: { zh: '水电气讯', en: 'Utilities' },
  planning_construction: { zh: '规划建设', en: 'Planning & construction' },
  agriculture: { zh: '农业农村', en: 'Agriculture & rural' },
  disputes: { zh: '矛盾纠纷', en: 'Disputes' },
  safety: { zh: '安全生产与消防', en: 'Work safety & fire' },
  government_services: { zh: '政务服务及其他', en: 'Government services & other' },
};

/** Items whose cases are utilities emergencies (24 h SLA by default). */
export const UTILITY_ITEMS: readonly Item[] = ['utilities'];

/**
 * Each source's own classification → item. Keys are the names used in the source systems'
 * exports; importers report names not found here instead of dropping them.
 */
export const SOURCE_CATEGORY_MAP: Record<Source, Record<string, Item>> = {
  hotline: {
    市场监管: 'market',
    消费维权: 'market',
    食品药品: 'market',
    住房保障与房地产: 'housing',
    房地产: 'housing',
    物业管理: 'housing',
    环境污染: 'environment',
    环境保护: 'environment',
    噪音扰民: 'environment',
    城市管理: 'urban_management',
    市容环卫: 'urban_management',
    交通运输: 'transport',
    公共交通: 'transport',
    公共安全: 'public_security',
    社会治安: 'public_security',
    劳动和社会保障: 'labor',
    劳动保障: 'labor',
    教育: 'education_culture',
    文化体育: 'education_culture',
    教育文体: 'education_culture',
    卫生健康: 'health',
    医疗卫生: 'health',
    民政: 'civil_affairs',
    社会保障与救助: 'civil_affairs',
    水电气: 'utilities',
    供水供电供气: 'utilities',
    通信: 'utilities',
    城乡建设: 'planning_construction',
    规划国土: 'planning_construction',
    农业农村: 'agriculture',
    邻里纠纷: 'disputes',
    安全生产: 'safety',
    消防安全: 'safety',
    政务服务: 'government_services',
    其他: 'government_services',
  },
  police: {
    刑事案件: 'public_security',
    治安案件: 'public_security',
    交通事故: 'transport',
    交通拥堵: 'transport',
    火灾: 'safety',
    求助: 'civil_affairs',
    纠纷: 'disputes',
    噪音: 'environment',
    市场经营: 'market',
    劳资纠纷: 'labor',
    水电气故障: 'utilities',
    其他: 'government_services',
  },
  petition: {
    城乡建设: 'planning_construction',
    国土资源: 'planning_construction',
    住房: 'housing',
    劳动社保: 'labor',
    农村农业: 'agriculture',
    教育文体: 'education_culture',
    卫生计生: 'health',
    民政: 'civil_affairs',
    环境保护: 'environment',
    商贸市场: 'market',
    交通能源: 'transport',
    政法: 'public_security',
    涉法涉诉: 'disputes',
    安全生产: 'safety',
    城市管理: 'urban_management',
    组织人事: 'government_services',
    其他: 'government_services',
  },
};

export function mapSourceCategory(source: Source, name: string): Item | undefined {
  return SOURCE_CATEGORY_MAP[source][name.trim()];
}
