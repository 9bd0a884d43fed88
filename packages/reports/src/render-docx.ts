import {
  AlignmentType, BorderStyle, Document, Footer, ImageRun, Packer, PageNumber, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType,
} from 'docx';
import { rasterise, renderCharts, type RasterImage } from './charts.ts';
import { renderMapImage } from './map-image.ts';
import { buildBlocks, cellText, type Block, type ReportImages } from './report-document.ts';
import type { ReportData } from './report-data.ts';
import type { ReportTable } from './report-tables.ts';

/**
 * The Word report in the layout of a Chinese official document (GB/T 9704 in spirit): a red
 * header title, issuing unit and date above a red rule, headings 一、二、三 in 黑体, body in
 * 仿宋 at 16 pt-ish (三号) with two-character first-line indent, tables and charts.
 */
export interface RenderOptions {
  /** Pre-rendered images (to share them between formats); rendered here when absent. Word rasterises them. */
  images?: ReportImages;
  boundariesDir?: string;
}

const RED = 'C00000';
const BODY_FONT = { ascii: 'Times New Roman', eastAsia: '仿宋_GB2312', hAnsi: 'Times New Roman' };
const HEI = { ascii: 'Times New Roman', eastAsia: '黑体', hAnsi: 'Times New Roman' };
const KAI = { ascii: 'Times New Roman', eastAsia: '楷体_GB2312', hAnsi: 'Times New Roman' };
const TITLE_FONT = { ascii: 'Times New Roman', eastAsia: '方正小标宋简体', hAnsi: 'Times New Roman' };

/** The report's charts and map as SVG (cheap: tens of ms). */
export function reportImages(data: ReportData, opts: { boundariesDir?: string | undefined } = {}): ReportImages {
  return { charts: renderCharts(data), map: renderMapImage(data, opts) };
}

/** The same images with their PNGs, rasterised concurrently. */
export async function rasteriseImages(images: ReportImages): Promise<ReportImages<RasterImage>> {
  const [charts, map] = await Promise.all([rasterise(images.charts), rasterise(images.map ? [images.map] : [])]);
  return { charts, map: map[0] ?? null };
}

function headerBlock(data: ReportData): Paragraph[] {
  const m = data.meta;
  return [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 400, after: 200 }, children: [new TextRun({ text: '成都市社情分析综合报告', font: TITLE_FONT, size: 52, bold: true, color: RED })] }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 300 }, children: [new TextRun({ text: `（${m.unitName}　${m.monthLabel}）`, font: KAI, size: 32 })] }),
    new Paragraph({
      spacing: { after: 400 },
      border: { bottom: { color: RED, style: BorderStyle.SINGLE, size: 18, space: 6 } },
      tabStops: [{ type: 'right', position: 9000 }],
      children: [new TextRun({ text: m.issuingUnit, font: BODY_FONT, size: 28 }), new TextRun({ text: `\t${m.reportDateLabel}`, font: BODY_FONT, size: 28 })],
    }),
  ];
}

function tableOf(t: ReportTable): Table {
  const cell = (text: string, header: boolean, right: boolean) =>
    new TableCell({
      shading: header ? { type: ShadingType.CLEAR, fill: 'F2DCDB', color: 'auto' } : undefined,
      margins: { top: 40, bottom: 40, left: 80, right: 80 },
      children: [new Paragraph({ alignment: right ? AlignmentType.RIGHT : AlignmentType.CENTER, children: [new TextRun({ text, font: header ? HEI : BODY_FONT, size: 18, bold: header })] })],
    });
  const rows = [
    new TableRow({ tableHeader: true, children: t.columns.map((c) => cell(c.header, true, false)) }),
    ...t.rows.map((row) => new TableRow({ children: row.map((value, i) => cell(cellText(value, t.columns[i]!.kind), false, t.columns[i]!.kind !== 'text')) })),
  ];
  if (t.total) rows.push(new TableRow({ children: t.total.cells.map((value, i) => cell(cellText(value, t.columns[i]!.kind), false, i > 0 && t.columns[i]!.kind !== 'text')) }));
  return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows });
}

function blockToDocx(block: Block, pngOf: (key: string) => Buffer): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'heading':
      return [new Paragraph({ spacing: { before: 240, after: 120 }, indent: { firstLine: block.level === 1 ? 640 : 640 }, children: [new TextRun({ text: block.text, font: block.level === 1 ? HEI : KAI, size: 32, bold: block.level === 2 })] })];
    case 'paragraph':
      return [new Paragraph({ spacing: { line: 560, lineRule: 'exact' }, indent: { firstLine: 640 }, alignment: AlignmentType.JUSTIFIED, children: [new TextRun({ text: block.text, font: BODY_FONT, size: 32 })] })];
    case 'note':
      return [new Paragraph({ spacing: { after: 120 }, children: [new TextRun({ text: block.text, font: KAI, size: 21, color: '555555' })] })];
    case 'table':
      return [
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 200, after: 80 }, children: [new TextRun({ text: block.caption, font: HEI, size: 21 })] }),
        tableOf(block.table),
        new Paragraph({ children: [] }),
      ];
    case 'image': {
      const width = 600;
      const height = Math.round((block.image.height / block.image.width) * width);
      return [
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type: 'png', data: pngOf(block.image.key), transformation: { width, height }, altText: { title: block.image.title, description: block.image.title, name: block.image.key } })] }),
        new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [new TextRun({ text: block.caption, font: HEI, size: 21 })] }),
      ];
    }
  }
}

export async function renderDocx(data: ReportData, opts: RenderOptions = {}): Promise<Buffer> {
  const images = await rasteriseImages(opts.images ?? reportImages(data, { boundariesDir: opts.boundariesDir }));
  const pngs = new Map([...images.charts, ...(images.map ? [images.map] : [])].map((image) => [image.key, image.png]));
  const blocks = buildBlocks(data, images);
  const doc = new Document({
    creator: data.meta.issuingUnit,
    title: `${data.meta.title}（${data.meta.monthLabel}）`,
    description: `方法版本 ${data.meta.index.methodVersion}`,
    styles: { default: { document: { run: { font: BODY_FONT, size: 32 } } } },
    sections: [
      {
        properties: { page: { margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        footers: {
          default: new Footer({ children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], size: 28 })] })] }),
        },
        children: [...headerBlock(data), ...blocks.flatMap((block) => blockToDocx(block, (key) => pngs.get(key)!))],
      },
    ],
  });
  return Packer.toBuffer(doc);
}
