import type { Item } from './categories.ts';

/**
 * City departments (市级部门运行分中心). A department officer sees the items its department
 * leads, city-wide, and the work orders assigned to it.
 */
export const DEPARTMENTS = [
  { code: 'D01', zh: '市市场监管局', en: 'Market Regulation Bureau', items: ['market'] },
  { code: 'D02', zh: '市住建局', en: 'Housing & Urban-Rural Development Bureau', items: ['housing'] },
  { code: 'D03', zh: '市生态环境局', en: 'Ecology & Environment Bureau', items: ['environment'] },
  { code: 'D04', zh: '市城管委', en: 'Urban Management Committee', items: ['urban_management'] },
  { code: 'D05', zh: '市交通运输局', en: 'Transport Bureau', items: ['transport'] },
  { code: 'D06', zh: '市公安局', en: 'Public Security Bureau', items: ['public_security'] },
  { code: 'D07', zh: '市人社局', en: 'Human Resources & Social Security Bureau', items: ['labor'] },
  { code: 'D08', zh: '市教育局', en: 'Education Bureau', items: ['education_culture'] },
  { code: 'D09', zh: '市卫健委', en: 'Health Commission', items: ['health'] },
  { code: 'D10', zh: '市民政局', en: 'Civil Affairs Bureau', items: ['civil_affairs'] },
  { code: 'D11', zh: '市水务局', en: 'Water & Utilities Bureau', items: ['utilities'] },
  { code: 'D12', zh: '市规划和自然资源局', en: 'Planning & Natural Resources Bureau', items: ['planning_construction'] },
  { code: 'D13', zh: '市农业农村局', en: 'Agriculture & Rural Affairs Bureau', items: ['agriculture'] },
  { code: 'D14', zh: '市司法局', en: 'Justice Bureau', items: ['disputes'] },
  { code: 'D15', zh: '市应急管理局', en: 'Emergency Management Bureau', items: ['safety'] },
  { code: 'D16', zh: '市网络理政办', en: 'Online Governance Office', items: ['government_services'] },
] as const satisfies readonly { code: string; zh: string; en: string; items: readonly Item[] }[];

export type DepartmentCode = (typeof DEPARTMENTS)[number]['code'];

export function departmentOf(code: string) {
  return DEPARTMENTS.find((department) => department.code === code);
}

export function leadDepartmentFor(item: Item): DepartmentCode {
  const department = DEPARTMENTS.find((d) => (d.items as readonly Item[]).includes(item));
  if (!department) throw new Error(`no department leads item ${item}`);
  return department.code;
}
