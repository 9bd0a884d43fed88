import type { Source } from '@cityops/domain';
import path from 'node:path';
import { templateHeaders } from './fields.ts';
import { toHeaders, writeFixtureCsv, writeFixtureXlsx } from './fixture-rows.ts';

/** One example row per source, so an operator sees the expected notation of each column. */
const EXAMPLES: Record<Source, Record<string, string>> = {
  hotline: {
    externalId: 'GD20261015000123', receivedAt: '2026-10-15 09:30:00', channel: '电话', nature: '投诉', category: '噪音扰民', summary: '反映夜间施工噪音扰民',
    district: '锦江区', street: '春熙路街道', lng: '104.0817', lat: '30.6571', reporterName: '张三', phone: '13800000000', urgency: '一般', status: '已派单',
    dispatchedAt: '2026-10-15 10:00:00', dueAt: '2026-10-22 09:30:00', handlingUnit: '春熙路街道办事处',
  },
  police: {
    externalId: 'JJ20261015000456', receivedAt: '2026-10-15 21:05:00', channel: '电话', policeMatter: '非警情', category: '纠纷', summary: '报警称邻里因噪音发生口角',
    district: '武侯区', street: '玉林街道', lng: '104.0540', lat: '30.6290', reporterName: '李四', phone: '13900000000', urgency: '一般', status: '已处结',
    dispatchedAt: '2026-10-15 21:07:00', firstResponseAt: '2026-10-15 21:18:00', closedAt: '2026-10-15 22:00:00', handlingUnit: '玉林派出所', policeIncidentType: '纠纷', transferredToHotline: '否',
  },
  petition: {
    externalId: 'XF2026-001234', receivedAt: '2026-10-15', petitionForm: '来访', nature: '求决', category: '劳动社保', summary: '反映企业拖欠工资',
    district: '成华区', street: '猛追湾街道', reporterName: '王五', phone: '13700000000', idNumber: '510108198001011234', status: '已受理', petitionRepeat: '否', groupSize: '1',
    handlingUnit: '成华区人社局',
  },
};

/** Writes the import template of a source: its default headers and one example row (.csv as UTF-8 with BOM, or .xlsx). */
export async function writeImportTemplate(source: Source, file: string): Promise<void> {
  const headers = templateHeaders(source);
  const example = toHeaders(source, EXAMPLES[source]);
  if (path.extname(file).toLowerCase() === '.xlsx') await writeFixtureXlsx(file, headers, [example]);
  else writeFixtureCsv(file, headers, [example], 'utf8-bom');
}
