import { SOURCES, type Source } from '@cityops/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_HEADERS, IMPORT_FIELDS, templateHeaders, type ImportField } from './fields.ts';
import { buildValidRows, readFixtureUnits, seededRandom } from './fixture-rows.ts';
import { UnitLocator } from './locate.ts';
import { createRowNormalizer } from './normalize-row.ts';
import type { RawRow } from './row-schema.ts';
import { createTempWarehouse, UNITS_CSV, type TempWarehouse } from './test-helpers.ts';

/** Values that sit on or just past a rule of the row schema or the event schema, or look like something else. */
const TRICKY = [
  '', ' ', 'constructor', '__proto__', 'toString', '=1+1', '+86', '-5', '@SUM(A1)', '\tx', "'quoted",
  'x'.repeat(32), 'x'.repeat(33), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(2000), 'x'.repeat(2001),
  '0', '1', '5', '99999', '123456', '是', '否', 'yes', 'N', '√', 'normal', 'NORMAL', 'urgent', '紧急', ' 紧急', '加急', '复杂',
  'closed', 'disposed', '已办结', '已回访关闭', '已派单', '满意', 'satisfied', '不满意', 'consult', '投诉', '咨询', '表扬',
  '电话', '网站', 'app', '来信', '来访', 'online', '网上信访', '警情', '非警情', '刑事', '交通事故', 'traffic', '求决', '申诉',
  '2025-01-01', '2025-01-01 00:00:00', '2024-12-31 23:59:59', '2025-06-30 12:00', '2099-12-31 23:59:59', '1999-12-31', '2025/2/30',
  '2025年3月15日 9时12分', '20250315091233', '2025-03-15T09:12:33Z', '2025-03-15T09:12:33+09:00', '45000', '45000.5', '36525', 'abc',
  '104.06', '30.66', '102.9', '105.0', '105.01', '29.99', '31.5', '-104.06', '1e3', '104.', '.5', 'NaN', 'Infinity',
  '5101', '510104', '510105', '510104001', '510104001001', '510104001001001', '51010400100100', '999999',
  '锦江区', '武侯区', '春熙路街道', '成都市锦江区', '不存在的街道', '13800001111', '138-0000-1111', '(028) 8765 4321', '123', '1'.repeat(16),
  '110101199001011234', '11010119900101123x', '110101900101123', '11010119900101123', '环境保护', '城市管理', '水电气', '市场监管', '未知类别',
];

function rawOf(source: Source, row: Record<string, unknown>): RawRow {
  const headers = templateHeaders(source);
  const fields = Object.keys(DEFAULT_HEADERS[source]) as ImportField[];
  const raw: RawRow = {};
  fields.forEach((field, index) => {
    const value = row[headers[index]!];
    if (value !== undefined && String(value).trim() !== '') raw[field] = String(value).trim();
  });
  return raw;
}

describe('fast row path', () => {
  let warehouse: TempWarehouse;
  let locator: UnitLocator;
  beforeAll(async () => {
    warehouse = await createTempWarehouse('cityops-fast-row-');
    locator = await UnitLocator.load(warehouse.db);
  });
  afterAll(() => warehouse.cleanup());

  it.each(SOURCES)('gives the schemas’ answer for valid, invalid and mutated %s rows', (source) => {
    const units = readFixtureUnits(UNITS_CSV);
    const fast = createRowNormalizer({ source, locator, categories: { 自定义类别: 'environment' } });
    const reference = createRowNormalizer({ source, locator, categories: { 自定义类别: 'environment' }, reference: true });
    const random = seededRandom(source.length * 7919);
    const rows = buildValidRows(source, units, 400, 11, { startMs: Date.UTC(2025, 0, 1), coordinateShare: 0.6 }).map((row) => rawOf(source, row));
    let compared = 0;
    let accepted = 0;
    let refused = 0;
    const check = (raw: RawRow) => {
      const expected = reference({ ...raw });
      expect(fast({ ...raw }), JSON.stringify(raw)).toEqual(expected);
      compared += 1;
      if (expected.ok) accepted += 1;
      else refused += 1;
    };
    for (const raw of rows) {
      check(raw);
      // One to three cells changed (or emptied) at a time, any field of any source.
      for (let k = 0; k < 6; k += 1) {
        const mutated: RawRow = { ...raw };
        const changes = 1 + Math.floor(random() * 3);
        for (let c = 0; c < changes; c += 1) {
          const field = IMPORT_FIELDS[Math.floor(random() * IMPORT_FIELDS.length)]!;
          if (random() < 0.15) delete mutated[field];
          else mutated[field] = TRICKY[Math.floor(random() * TRICKY.length)]!;
        }
        check(mutated);
      }
    }
    // Every value of the list in every field once, on a valid row.
    for (const field of IMPORT_FIELDS) for (const value of TRICKY) check({ ...rows[0]!, [field]: value });
    check({ ...rows[1]!, category: '自定义类别' });
    expect(compared).toBeGreaterThan(2800 + IMPORT_FIELDS.length * TRICKY.length);
    // Both outcomes well represented, or the comparison would prove little.
    expect(accepted).toBeGreaterThan(600);
    expect(refused).toBeGreaterThan(600);
  });

  it('refuses a category named like an Object.prototype member as unmapped (it crashed the petition path)', () => {
    const units = readFixtureUnits(UNITS_CSV);
    const normalize = createRowNormalizer({ source: 'petition', locator });
    const raw = rawOf('petition', buildValidRows('petition', units, 1, 5, { startMs: Date.UTC(2025, 0, 1) })[0]!);
    const result = normalize({ ...raw, category: 'toString' });
    expect(result).toEqual({ ok: false, problems: [{ field: 'category', reason: '类别未映射到16个事项: toString' }], unmappedCategory: 'toString' });
  });
});
