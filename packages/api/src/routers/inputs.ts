import { z } from 'zod';

export const unitCodeInput = z.string().regex(/^(\d{4}|\d{6}|\d{9}|\d{12}|\d{15})$/, '区划代码格式不正确');
export const monthInput = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');
export const dayInput = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD');
