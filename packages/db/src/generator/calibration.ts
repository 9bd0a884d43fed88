import { ITEMS, SOURCES, type Item, type Source } from '@cityops/domain';

/**
 * Calibration of the demo data to Chengdu's published figures (see /work/shared/BRIEF.md):
 * 12345 4.66 M/yr (2020), 110 5.7 M/yr (2022), petitions at a much lower volume; March 2018
 * 12345 mix: 市场监管 13.68 %, 住房 12.85 %, 环境 10.12 %; 110: ~55 % non-police, 1.07 M traffic.
 * Numbers not published are plausible guesses and are marked so.
 */
export const ANNUAL_VOLUME_AT_SCALE_1: Record<Source, number> = {
  hotline: 4_700_000,
  police: 5_700_000,
  petition: 200_000, // guess: petitions are a small fraction of the other two streams
};

/** Chengdu's 2020 census population: per-capita rates are calibrated against it. */
export const CHENGDU_POPULATION = 20_937_757;

export type DistrictType = 'core' | 'suburban' | 'outer';
export const DISTRICT_TYPES: readonly DistrictType[] = ['core', 'suburban', 'outer'];

/** 中心城区 (5 old districts), 近郊区 (the 7 newer districts), 远郊县市 (the rest). */
export function districtTypeOf(districtCode: string): DistrictType {
  const suffix = Number(districtCode.slice(4, 6));
  if (suffix >= 4 && suffix <= 8) return 'core';
  if (suffix >= 12 && suffix <= 18) return 'suburban';
  return 'outer';
}

/** Per-capita demand relative to the city mean, before normalisation (guess: denser → more calls). */
export const DISTRICT_TYPE_RATE: Record<Source, Record<DistrictType, number>> = {
  hotline: { core: 1.3, suburban: 1.0, outer: 0.65 },
  police: { core: 1.35, suburban: 1.0, outer: 0.7 },
  petition: { core: 0.9, suburban: 1.1, outer: 1.15 },
};

/** Index into the SQL lookup tables; order of SOURCES. */
export const SOURCE_INDEX: Record<Source, number> = Object.fromEntries(SOURCES.map((s, i) => [s, i])) as Record<Source, number>;
export const ITEM_INDEX: Record<Item, number> = Object.fromEntries(ITEMS.map((item, i) => [item, i])) as Record<Item, number>;

type ItemMix = Partial<Record<Item, number>>;

/** 12345 item mix, March 2018 shares for the top three; the rest spread plausibly. */
const HOTLINE_MIX: ItemMix = {
  market: 13.68, housing: 12.85, environment: 10.12, urban_management: 10, transport: 8, labor: 7,
  utilities: 7, education_culture: 6, health: 5, planning_construction: 5, civil_affairs: 4,
  public_security: 3, disputes: 2, agriculture: 1.5, safety: 1.5, government_services: 3.35,
};
/** 110 mix: traffic ≈ 1.07/5.7 ≈ 19 %; public security the largest; help and disputes next. */
const POLICE_MIX: ItemMix = {
  public_security: 30, transport: 19, disputes: 15, civil_affairs: 12, environment: 6, urban_management: 3,
  market: 3, labor: 3, housing: 2, utilities: 2, safety: 2, health: 1, education_culture: 0.5,
  agriculture: 0.5, planning_construction: 0.5, government_services: 0.5,
};
/** Petition mix (guess from typical 信访 bulletins: land, housing, labour, legal matters). */
const PETITION_MIX: ItemMix = {
  planning_construction: 18, housing: 15, labor: 14, disputes: 12, agriculture: 6, civil_affairs: 6,
  urban_management: 5, environment: 5, health: 4, education_culture: 4, public_security: 4, market: 3,
  transport: 2, safety: 1, utilities: 1, government_services: 0,
};
const BASE_MIX: Record<Source, ItemMix> = { hotline: HOTLINE_MIX, police: POLICE_MIX, petition: PETITION_MIX };

/** Rural counties raise farming and land matters, the core raises market and housing. */
const TYPE_TILT: Record<DistrictType, ItemMix> = {
  core: { market: 1.15, housing: 1.1, agriculture: 0.15, planning_construction: 0.9 },
  suburban: { agriculture: 0.8, planning_construction: 1.15 },
  outer: { agriculture: 3.5, planning_construction: 1.3, market: 0.8, transport: 0.9 },
};
/** Summer: heat, power cuts, noise and night-time disorder (guess). */
const SUMMER_TILT: ItemMix = { utilities: 1.6, environment: 1.3, public_security: 1.1, safety: 1.2 };

export type Season = 'normal' | 'summer';
export const SEASONS: readonly Season[] = ['normal', 'summer'];

export function itemMix(source: Source, type: DistrictType, season: Season): number[] {
  const base = BASE_MIX[source];
  return ITEMS.map((item) => {
    const weight = (base[item] ?? 0) * (TYPE_TILT[type][item] ?? 1) * (season === 'summer' ? SUMMER_TILT[item] ?? 1 : 1);
    return Math.max(weight, 0.05);
  });
}

/** Hour-of-day curves (relative): 12345 office-hour peaks, 110 evening peak, petitions office hours. */
export const HOUR_CURVE: Record<Source, readonly number[]> = {
  hotline: [0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.5, 1.9, 2.0, 1.9, 1.3, 1.2, 1.7, 1.8, 1.7, 1.5, 1.1, 0.9, 0.8, 0.7, 0.5, 0.3],
  police: [0.9, 0.7, 0.5, 0.4, 0.35, 0.35, 0.5, 0.8, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 1.05, 1.1, 1.15, 1.25, 1.35, 1.45, 1.5, 1.5, 1.35, 1.15],
  petition: [0.05, 0.03, 0.02, 0.02, 0.02, 0.03, 0.1, 0.3, 1.2, 2.2, 2.2, 1.8, 0.6, 0.9, 2.0, 2.0, 1.7, 0.8, 0.3, 0.25, 0.2, 0.15, 0.1, 0.08],
};

/** Monday … Sunday (ISO order). */
export const WEEKDAY_CURVE: Record<Source, readonly number[]> = {
  hotline: [1.12, 1.08, 1.05, 1.03, 1.0, 0.85, 0.87],
  police: [0.95, 0.94, 0.95, 0.97, 1.04, 1.1, 1.05],
  petition: [1.2, 1.15, 1.15, 1.1, 1.05, 0.25, 0.1],
};

/** January … December. 110 peaks in summer; everything dips around the Spring Festival month. */
export const MONTH_CURVE: Record<Source, readonly number[]> = {
  hotline: [0.92, 0.9, 1.0, 0.98, 1.0, 1.04, 1.12, 1.12, 1.02, 0.96, 0.97, 0.97],
  police: [0.9, 0.88, 0.94, 0.96, 1.0, 1.07, 1.16, 1.15, 1.04, 0.98, 0.95, 0.93],
  petition: [0.95, 0.8, 1.1, 1.05, 1.0, 1.0, 1.0, 0.95, 1.05, 0.95, 1.05, 1.1],
};

/** Year-on-year trend: 12345 use grows, 110 and petitions fall (the source material reports falls). */
export const ANNUAL_TREND: Record<Source, number> = { hotline: 0.04, police: -0.03, petition: -0.06 };

/** Spring Festival (除夕 +1 = 初一) dates; the dip spans 除夕−3 … 初一+6. */
export const SPRING_FESTIVAL: Record<number, string> = {
  2020: '2020-01-25', 2021: '2021-02-12', 2022: '2022-02-01', 2023: '2023-01-22', 2024: '2024-02-10',
  2025: '2025-01-29', 2026: '2026-02-17', 2027: '2027-02-06', 2028: '2028-01-26', 2029: '2029-02-13', 2030: '2030-02-03',
};
export const SPRING_FESTIVAL_FACTOR: Record<Source, number> = { hotline: 0.55, police: 0.85, petition: 0.2 };
/** National Day golden week (1–7 October). */
export const GOLDEN_WEEK_FACTOR: Record<Source, number> = { hotline: 0.75, police: 1.0, petition: 0.2 };

/** Sub-categories and a summary phrase per item (short on purpose: they repeat millions of times). */
export const SUB_CATEGORIES: Record<Item, readonly (readonly [string, string])[]> = {
  market: [['消费纠纷', '购买商品后商家拒绝退换'], ['食品安全', '餐馆卫生状况差疑似食物变质'], ['价格投诉', '商家明码标价不实'], ['预付卡', '健身房关门预付卡无法退费']],
  housing: [['物业管理', '小区物业服务差收费不透明'], ['房屋质量', '新房墙体开裂渗水'], ['延期交房', '开发商逾期未交房'], ['租赁纠纷', '房东拒不退还押金']],
  environment: [['噪音扰民', '夜间施工噪音扰民'], ['油烟污染', '餐饮油烟直排'], ['水体污染', '河道发黑发臭'], ['异味', '附近工厂排放刺鼻气味']],
  urban_management: [['占道经营', '流动摊贩占道经营'], ['违章搭建', '楼顶违章搭建'], ['垃圾清运', '垃圾桶满溢无人清运'], ['井盖破损', '路面井盖破损']],
  transport: [['交通事故', '路口发生车辆剐蹭'], ['公交服务', '公交车未按站点停靠'], ['出租车', '出租车拒载绕路'], ['道路拥堵', '路口长期拥堵信号灯配时不合理']],
  public_security: [['盗窃', '电动车被盗'], ['诈骗', '接到冒充客服诈骗电话被骗'], ['打架斗殴', '有人在街头打架'], ['可疑人员', '小区内有可疑人员徘徊']],
  labor: [['拖欠工资', '工地拖欠农民工工资'], ['社保缴纳', '单位未依法缴纳社保'], ['劳动合同', '公司未签订劳动合同'], ['就业服务', '咨询失业登记和就业补贴']],
  education_culture: [['学位入学', '咨询学区划片和入学政策'], ['校外培训', '培训机构退费难'], ['文体设施', '社区健身器材损坏'], ['学校管理', '学校周边交通秩序混乱']],
  health: [['医疗服务', '医院就诊排队时间过长'], ['医保报销', '咨询异地医保报销'], ['疫苗接种', '咨询疫苗接种安排'], ['药品价格', '药店药品价格过高']],
  civil_affairs: [['困难救助', '家庭困难申请临时救助'], ['养老服务', '独居老人需要上门照护'], ['走失求助', '老人走失请求帮助寻找'], ['殡葬服务', '咨询殡葬补贴']],
  utilities: [['停水', '小区突然停水无通知'], ['停电', '片区停电时间过长'], ['燃气', '燃气管道疑似泄漏'], ['通信', '手机信号差宽带故障']],
  planning_construction: [['征地拆迁', '拆迁补偿标准有异议'], ['规划审批', '小区旁规划变更未公示'], ['施工管理', '工地渣土车抛洒'], ['老旧小区改造', '老旧小区改造进度慢']],
  agriculture: [['土地承包', '土地流转费用未按时支付'], ['农资质量', '购买的种子出苗率低'], ['农村道路', '村道破损无人修缮'], ['农业补贴', '咨询耕地地力保护补贴']],
  disputes: [['邻里纠纷', '楼上邻居漏水协商不成'], ['婚姻家庭', '家庭矛盾引发争吵'], ['合同纠纷', '装修合同纠纷'], ['债务纠纷', '借款到期不还']],
  safety: [['消防隐患', '楼道堆放杂物堵塞消防通道'], ['火灾', '居民楼发生火情'], ['安全生产', '工厂安全防护不到位'], ['广告牌', '高空广告牌松动有坠落危险']],
  government_services: [['办事咨询', '咨询户籍和居住证办理'], ['工作作风', '窗口工作人员态度差'], ['政策咨询', '咨询人才落户政策'], ['其他', '其他事项']],
};

export const SUMMARY_PREFIX: Record<Source, string> = { hotline: '来电反映：', police: '报警称：', petition: '信访人反映：' };

/** Common family names (only the family name survives masking). */
export const FAMILY_NAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '郑', '梁', '谢', '宋', '唐', '许', '邓', '冯', '韩', '曹'] as const;
