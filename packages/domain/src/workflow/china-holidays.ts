/**
 * China's statutory public holidays and make-up working days (调休上班), one entry per year,
 * transcribed from the State Council General Office notices (国务院办公厅关于<year>年部分节假日
 * 安排的通知). A holiday span lists every day off, weekend days included; a make-up day is a
 * Saturday or Sunday that is a working day. Each year's notice comes out in Oct–Nov of the
 * year before: add the next year here (or override it per deployment with
 * `withHolidayYears`) when it is published.
 *
 * Checked against the notices' text as republished by Xinhua / gov.cn (dates and weekdays
 * agree with the calendar). Not encoded on purpose: 2024's "encouraged" rest on New Year's
 * Eve (除夕 2024-02-09) — the notice only encourages employers to grant it, so it stays a
 * working day here.
 */
export interface HolidaySpan {
  /** Chinese name of the festival, shown on calendars and in SLA explanations. */
  name: string;
  /** First day off, 'YYYY-MM-DD'. */
  from: string;
  /** Last day off (inclusive), 'YYYY-MM-DD'. */
  to: string;
}

export interface HolidayYear {
  year: number;
  /** The notice the dates come from (or the deployment's own source when overridden). */
  source: string;
  holidays: readonly HolidaySpan[];
  /** Weekend days that are working days (调休上班), 'YYYY-MM-DD'. */
  makeUpWorkdays: readonly string[];
}

export const CHINA_HOLIDAY_YEARS: readonly HolidayYear[] = [
  {
    year: 2024,
    // Document number 国办发明电〔2023〕7号 is from memory; the dates below were checked.
    source: '国务院办公厅关于2024年部分节假日安排的通知（2023年10月25日）',
    holidays: [
      { name: '元旦', from: '2024-01-01', to: '2024-01-01' },
      { name: '春节', from: '2024-02-10', to: '2024-02-17' },
      { name: '清明节', from: '2024-04-04', to: '2024-04-06' },
      { name: '劳动节', from: '2024-05-01', to: '2024-05-05' },
      { name: '端午节', from: '2024-06-10', to: '2024-06-10' },
      { name: '中秋节', from: '2024-09-15', to: '2024-09-17' },
      { name: '国庆节', from: '2024-10-01', to: '2024-10-07' },
    ],
    makeUpWorkdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12'],
  },
  {
    year: 2025,
    // First year under the revised 全国年节及纪念日放假办法 (Nov 2024): +1 day for 春节 (除夕) and 劳动节.
    source: '国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）',
    holidays: [
      { name: '元旦', from: '2025-01-01', to: '2025-01-01' },
      { name: '春节', from: '2025-01-28', to: '2025-02-04' },
      { name: '清明节', from: '2025-04-04', to: '2025-04-06' },
      { name: '劳动节', from: '2025-05-01', to: '2025-05-05' },
      { name: '端午节', from: '2025-05-31', to: '2025-06-02' },
      { name: '国庆节、中秋节', from: '2025-10-01', to: '2025-10-08' },
    ],
    makeUpWorkdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  {
    year: 2026,
    // Published by Xinhua on 2025-11-04; the document number was not in the republished text.
    source: '国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）',
    holidays: [
      { name: '元旦', from: '2026-01-01', to: '2026-01-03' },
      { name: '春节', from: '2026-02-15', to: '2026-02-23' },
      { name: '清明节', from: '2026-04-04', to: '2026-04-06' },
      { name: '劳动节', from: '2026-05-01', to: '2026-05-05' },
      { name: '端午节', from: '2026-06-19', to: '2026-06-21' },
      { name: '中秋节', from: '2026-09-25', to: '2026-09-27' },
      { name: '国庆节', from: '2026-10-01', to: '2026-10-07' },
    ],
    makeUpWorkdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
];
