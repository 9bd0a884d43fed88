import { DomainError, ITEMS, SOURCES, type Item, type Source } from '@cityops/domain';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The fields an import row (a spreadsheet line or a pushed JSON item) may carry, named once in
 * English. A file's headers are mapped onto these by a column mapping; the push API uses these
 * names directly, so both paths go through the same row schema.
 */
export const IMPORT_FIELDS = [
  'externalId', 'receivedAt', 'channel', 'nature', 'category', 'subCategory', 'summary',
  'district', 'street', 'community', 'unitCode', 'lng', 'lat',
  'reporterName', 'phone', 'idNumber', 'urgency', 'status',
  'dispatchedAt', 'firstResponseAt', 'dueAt', 'closedAt', 'handlingUnit', 'handlingDept', 'satisfaction',
  'policeMatter', 'policeIncidentType', 'transferredToHotline',
  'petitionForm', 'petitionRepeat', 'groupSize',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

/** Fields without which a row is refused (location is checked separately: coordinates or a unit). */
export const REQUIRED_FIELDS: readonly ImportField[] = ['externalId', 'receivedAt', 'category'];

/**
 * The header each field has in the per-source templates (the first name is what the
 * template writes; the rest are aliases seen in real exports). Order = template column order.
 */
export const DEFAULT_HEADERS: Record<Source, Partial<Record<ImportField, readonly string[]>>> = {
  hotline: {
    externalId: ['工单编号', '工单号', '诉求编号'],
    receivedAt: ['受理时间', '来电时间', '登记时间'],
    channel: ['来源渠道', '受理渠道'],
    nature: ['诉求性质', '诉求目的'],
    category: ['诉求类型', '诉求分类', '问题类别'],
    subCategory: ['诉求子类', '二级分类'],
    summary: ['诉求内容', '来电内容'],
    district: ['所属区县', '区县', '所属区（市）县'],
    street: ['所属街道', '街道（乡镇）', '街道'],
    community: ['所属社区', '社区（村）', '社区'],
    unitCode: ['区划代码'],
    lng: ['经度'],
    lat: ['纬度'],
    reporterName: ['来电人', '诉求人'],
    phone: ['联系电话', '来电号码'],
    idNumber: ['身份证号', '证件号码'],
    urgency: ['紧急程度'],
    status: ['办理状态', '工单状态'],
    dispatchedAt: ['派单时间', '交办时间'],
    firstResponseAt: ['签收时间', '首次响应时间'],
    dueAt: ['办理时限', '办结时限'],
    closedAt: ['办结时间', '完成时间'],
    handlingUnit: ['承办单位'],
    handlingDept: ['责任部门'],
    satisfaction: ['满意度', '回访结果'],
  },
  police: {
    externalId: ['接警编号', '警情编号', '接警单号'],
    receivedAt: ['接警时间', '报警时间'],
    channel: ['报警方式', '接警方式'],
    policeMatter: ['警情性质', '是否警情'],
    category: ['警情类别', '报警类别'],
    subCategory: ['警情细类'],
    summary: ['简要警情', '警情内容', '报警内容'],
    district: ['管辖区县', '所属区县'],
    street: ['所属街道', '街道（乡镇）'],
    community: ['所属社区', '社区（村）'],
    unitCode: ['区划代码'],
    lng: ['发案地经度', '经度'],
    lat: ['发案地纬度', '纬度'],
    reporterName: ['报警人'],
    phone: ['报警电话', '联系电话'],
    idNumber: ['身份证号', '证件号码'],
    urgency: ['紧急程度', '警情级别'],
    status: ['处警状态', '办理状态'],
    dispatchedAt: ['派警时间', '派单时间'],
    firstResponseAt: ['到场时间', '签收时间'],
    dueAt: ['处置时限', '办理时限'],
    closedAt: ['处结时间', '办结时间'],
    handlingUnit: ['处警单位', '承办单位'],
    policeIncidentType: ['警情类型'],
    transferredToHotline: ['是否转12345', '转网络理政'],
    satisfaction: ['回访结果', '满意度'],
  },
  petition: {
    externalId: ['信访件编号', '信访编号', '信访件号'],
    receivedAt: ['登记时间', '受理时间', '来信来访时间'],
    petitionForm: ['信访形式', '信访方式'],
    nature: ['信访目的'],
    category: ['问题类别', '内容分类'],
    subCategory: ['问题子类'],
    summary: ['信访事项', '诉求内容', '主要诉求'],
    district: ['问题属地', '所属区县'],
    street: ['所属街道', '街道（乡镇）'],
    community: ['所属社区', '社区（村）'],
    unitCode: ['区划代码'],
    lng: ['经度'],
    lat: ['纬度'],
    reporterName: ['信访人', '姓名'],
    phone: ['联系电话'],
    idNumber: ['身份证号', '证件号码'],
    urgency: ['紧急程度'],
    status: ['办理状态'],
    dispatchedAt: ['交办时间', '转送时间'],
    firstResponseAt: ['受理告知时间'],
    dueAt: ['办理期限'],
    closedAt: ['办结时间'],
    handlingUnit: ['责任单位', '承办单位'],
    handlingDept: ['责任部门'],
    petitionRepeat: ['是否重复信访', '初重件'],
    groupSize: ['来访人数', '人数'],
    satisfaction: ['满意度', '评价结果'],
  },
};

/**
 * A mapping file for exports with other headers (JSON):
 *   { "columns": { "<header in the file>": "<field>" , … },
 *     "categories": { "<the export's category name>": "<one of the 16 items>" , … } }
 * Columns not mentioned fall back to the source's default headers; categories extend the
 * source's own category map (packages/domain/src/categories.ts).
 */
export const mappingFileSchema = z
  .object({
    columns: z.record(z.string().min(1), z.enum(IMPORT_FIELDS)).default({}),
    categories: z.record(z.string().min(1), z.enum(ITEMS)).default({}),
  })
  .strict();
export type MappingFile = z.infer<typeof mappingFileSchema>;

export interface ColumnMapping {
  /** Field → index of the column that carries it. */
  fieldColumns: Partial<Record<ImportField, number>>;
  /** Headers that map to no field (reported, not imported). */
  ignoredHeaders: string[];
  /** Required fields without a column (the import is refused before reading any row). */
  missingRequired: ImportField[];
}

/** Compares headers loosely: exports differ in full-width brackets, spaces and trailing asterisks of required columns. */
export function normalizeHeader(header: string): string {
  return header
    .replace(/^\uFEFF/, '')
    .replace(/[\s*＊]/g, '')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .toLowerCase();
}

export function resolveColumnMapping(source: Source, headers: readonly string[], mapping?: MappingFile): ColumnMapping {
  const lookup = new Map<string, ImportField>();
  for (const [field, names] of Object.entries(DEFAULT_HEADERS[source]) as [ImportField, readonly string[]][]) {
    for (const name of names) lookup.set(normalizeHeader(name), field);
  }
  // English field names are accepted too (a file written by another program, or the push API's names).
  for (const field of IMPORT_FIELDS) lookup.set(normalizeHeader(field), field);
  for (const [header, field] of Object.entries(mapping?.columns ?? {})) lookup.set(normalizeHeader(header), field);

  const fieldColumns: Partial<Record<ImportField, number>> = {};
  const ignoredHeaders: string[] = [];
  headers.forEach((header, index) => {
    const field = lookup.get(normalizeHeader(header));
    // The first column wins when two headers map to one field (e.g. 经度 and 发案地经度).
    if (field && fieldColumns[field] === undefined) fieldColumns[field] = index;
    else if (header.trim() !== '') ignoredHeaders.push(header);
  });
  const missingRequired = REQUIRED_FIELDS.filter((field) => fieldColumns[field] === undefined);
  return { fieldColumns, ignoredHeaders, missingRequired };
}

export function readMappingFile(path: string): MappingFile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new DomainError('BAD_INPUT', `映射文件不是有效的 JSON / mapping file is not valid JSON: ${path}: ${(error as Error).message}`);
  }
  const parsed = mappingFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new DomainError('BAD_INPUT', `映射文件格式有误 / invalid mapping file ${path}: ${problems}`);
  }
  return parsed.data;
}

/** The template's header row for a source: the first name of each field. */
export function templateHeaders(source: Source): string[] {
  return Object.values(DEFAULT_HEADERS[source]).map((names) => names![0]!);
}

export function isSource(value: string): value is Source {
  return (SOURCES as readonly string[]).includes(value);
}

export type CategoryMap = Readonly<Record<string, Item>>;
