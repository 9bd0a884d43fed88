import { SOURCE_CATEGORY_MAP, type Source } from '@cityops/domain';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readFileSync, writeFileSync } from 'node:fs';
import gcoord from 'gcoord';
import { DEFAULT_HEADERS, templateHeaders } from './fields.ts';

/**
 * Synthetic department exports for fixtures, tests and the benchmark: rows that look like what
 * the 12345, 110 and petition systems export (their own headers, category names and codes),
 * placed on real Chengdu streets and communities from data/geo/units.csv. Deterministic.
 */
export type FixtureRow = Record<string, string | number | Date | { formula: string }>;

export interface FixtureUnits {
  streets: { code: string; name: string; district: string; lng: number; lat: number }[];
  communities: Map<string, { name: string; lng: number; lat: number }[]>;
}

export function readFixtureUnits(unitsCsv: string, districts?: readonly string[]): FixtureUnits {
  const lines = readFileSync(unitsCsv, 'utf8').trim().split('\n').slice(1);
  const names = new Map<string, string>();
  const rows = lines.map((line) => {
    const [code, name, level, parent, , , lng, lat] = line.split(',');
    names.set(code!, name!);
    return { code: code!, name: name!, level: level!, parent: parent!, lng: Number(lng), lat: Number(lat) };
  });
  const streets = rows
    .filter((row) => row.level === 'street' && (!districts || districts.includes(row.parent)))
    .map((row) => ({ code: row.code, name: row.name, district: names.get(row.parent)!, lng: row.lng, lat: row.lat }));
  const communities = new Map<string, { name: string; lng: number; lat: number }[]>();
  for (const row of rows) {
    if (row.level !== 'community') continue;
    const list = communities.get(row.parent) ?? [];
    list.push({ name: row.name, lng: row.lng, lat: row.lat });
    communities.set(row.parent, list);
  }
  return { streets, communities };
}

/** mulberry32: a small seeded PRNG, so fixtures are byte-identical on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
export const wallClockText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

const SUMMARIES: Record<Source, readonly string[]> = {
  hotline: ['反映小区楼下烧烤店油烟扰民', '咨询新生儿医保办理流程', '投诉商家预付卡无法退费', '反映道路井盖缺失存在安全隐患', '反映小区停水超过24小时', '建议增设公交站台遮雨棚', '投诉物业公司乱收停车费', '反映夜间施工噪音扰民'],
  police: ['报警称店内发生纠纷', '报警称电动车被盗', '报警称路口两车剐蹭', '报警称楼道有烟雾', '报警称老人走失', '报警称邻居噪音扰民'],
  petition: ['反映拆迁安置补偿标准不合理', '反映企业拖欠农民工工资', '反映小区违章搭建长期未处理', '反映学校择校收费问题', '反映土地流转费用未兑现'],
};
const FAMILY = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
const STATUSES = ['已受理', '已派单', '办理中', '已办结', '已回访关闭'] as const;

export interface FixtureRowOptions {
  /** First received time (wall clock, ms as UTC fields). */
  startMs: number;
  /** Share of rows carrying coordinates (the rest are located by street/community). */
  coordinateShare?: number;
  /** Coordinates written in this system (the import converts them back with --crs). */
  crs?: 'wgs84' | 'gcj02' | 'bd09';
  idPrefix?: string;
  /** Write dates as Date cells (XLSX) instead of text. */
  dateCells?: boolean;
}

/** `count` valid rows of one source, keyed by the source's template headers. */
export function buildValidRows(source: Source, units: FixtureUnits, count: number, seed: number, options: FixtureRowOptions): FixtureRow[] {
  const random = seededRandom(seed);
  const categories = Object.keys(SOURCE_CATEGORY_MAP[source]);
  const headers = templateHeaders(source);
  const rows: FixtureRow[] = [];
  const prefix = options.idPrefix ?? { hotline: 'GD', police: 'JJ', petition: 'XF' }[source];
  for (let i = 0; i < count; i += 1) {
    const street = pick(random, units.streets);
    const community = pick(random, units.communities.get(street.code) ?? [{ name: '', lng: street.lng, lat: street.lat }]);
    const receivedMs = options.startMs + Math.floor(i * 97_000 + random() * 90_000);
    const time = (ms: number) => (options.dateCells ? new Date(ms) : wallClockText(ms));
    const stage = Math.floor(random() * STATUSES.length);
    const withPoint = random() < (options.coordinateShare ?? 0.6);
    const lng = community.lng + (random() - 0.5) * 0.004;
    const lat = community.lat + (random() - 0.5) * 0.004;
    const [x, y] = options.crs && options.crs !== 'wgs84' ? (gcoord.transform([lng, lat], gcoord.WGS84, options.crs === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09) as [number, number]) : [lng, lat];
    const phone = `1${pick(random, ['38', '39', '58', '80', '99'])}${pad(Math.floor(random() * 1e8), 8)}`;
    const values: Record<string, string | number | Date> = {
      externalId: `${prefix}${new Date(receivedMs).toISOString().slice(0, 10).replaceAll('-', '')}${pad(i + 1, 6)}`,
      receivedAt: time(receivedMs),
      category: pick(random, categories),
      summary: pick(random, SUMMARIES[source]),
      district: street.district,
      street: street.name,
      community: community.name,
      reporterName: `${pick(random, FAMILY)}${pick(random, ['先生', '女士', '某某', '小明'])}`,
      phone,
      urgency: random() < 0.08 ? '紧急' : '一般',
      status: STATUSES[stage]!,
    };
    if (withPoint) {
      values['lng'] = x.toFixed(6);
      values['lat'] = y.toFixed(6);
    }
    if (stage >= 1) values['dispatchedAt'] = time(receivedMs + 1_800_000);
    if (stage >= 2) values['firstResponseAt'] = time(receivedMs + 7_200_000);
    values['dueAt'] = time(receivedMs + 5 * 86_400_000);
    if (stage >= 3) values['closedAt'] = time(receivedMs + 3 * 86_400_000);
    if (stage === 4) values['satisfaction'] = pick(random, ['满意', '满意', '基本满意', '不满意']);
    if (source === 'hotline') {
      values['channel'] = pick(random, ['电话', '电话', '网站', '微信', '天府市民云']);
      values['nature'] = pick(random, ['投诉', '咨询', '求助', '建议', '举报']);
      values['handlingUnit'] = `${street.name}办事处`;
    } else if (source === 'police') {
      values['channel'] = '电话';
      values['policeMatter'] = random() < 0.45 ? '警情' : '非警情';
      values['handlingUnit'] = `${street.district}公安分局${street.name.replace(/街道|镇|乡/, '')}派出所`;
      values['transferredToHotline'] = random() < 0.07 ? '是' : '否';
    } else {
      values['petitionForm'] = pick(random, ['来信', '来访', '网上信访', '网上信访']);
      values['nature'] = pick(random, ['求决', '申诉', '意见建议']);
      values['petitionRepeat'] = random() < 0.2 ? '是' : '否';
      values['groupSize'] = values['petitionForm'] === '来访' && random() < 0.1 ? 5 + Math.floor(random() * 20) : 1;
      values['idNumber'] = `510104${1950 + Math.floor(random() * 50)}${pad(1 + Math.floor(random() * 12))}${pad(1 + Math.floor(random() * 28))}${pad(Math.floor(random() * 1000), 3)}${pick(random, ['1', '2', 'X'])}`;
      values['handlingUnit'] = `${street.district}信访局`;
    }
    rows.push(toHeaders(source, values, headers));
  }
  return rows;
}

/** Field-keyed values → a row keyed by the source's template headers. */
export function toHeaders(source: Source, values: Record<string, string | number | Date | { formula: string }>, headers = templateHeaders(source)): FixtureRow {
  const fields = Object.keys(DEFAULT_HEADERS[source]);
  const row: FixtureRow = {};
  fields.forEach((field, index) => {
    const value = values[field];
    if (value !== undefined) row[headers[index]!] = value;
  });
  return row;
}

function csvCell(value: FixtureRow[string] | undefined): string {
  if (value === undefined) return '';
  const text = value instanceof Date ? wallClockText(value.getTime()) : typeof value === 'object' ? `=${value.formula}` : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line (CRLF-terminated) of a fixture row. */
export function csvLineOf(headers: readonly string[], row: FixtureRow): string {
  return `${headers.map((header) => csvCell(row[header])).join(',')}\r\n`;
}

/** Writes rows as CSV: UTF-8 with BOM (what Excel and most exports write), plain UTF-8, or GBK. */
export function writeFixtureCsv(file: string, headers: readonly string[], rows: readonly (FixtureRow | Buffer)[], encoding: 'utf8' | 'utf8-bom' | 'gbk'): void {
  const encode = (text: string) => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
  const parts: Buffer[] = [];
  if (encoding === 'utf8-bom') parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  parts.push(encode(`${headers.join(',')}\r\n`));
  for (const row of rows) {
    // A Buffer is a pre-encoded line (how a row in the wrong encoding gets into a fixture).
    parts.push(Buffer.isBuffer(row) ? row : encode(csvLineOf(headers, row)));
  }
  writeFileSync(file, Buffer.concat(parts));
}

/** Streams rows into an XLSX file (rows may be a generator, so a 1 M-row file needs no 1 M-row array). */
export async function writeFixtureXlsx(file: string, headers: readonly string[], rows: Iterable<FixtureRow>): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  // Fixed document dates, so regenerated fixtures do not differ by their creation time.
  workbook.created = workbook.modified = new Date(Date.UTC(2026, 10, 1));
  const sheet = workbook.addWorksheet('导出数据');
  sheet.addRow([...headers]).commit();
  for (const row of rows) {
    const added = sheet.addRow(headers.map((header) => row[header] ?? null));
    added.eachCell((cell) => {
      if (cell.value instanceof Date) cell.numFmt = 'yyyy-mm-dd hh:mm:ss';
    });
    added.commit();
  }
  sheet.commit();
  await workbook.commit();
}
