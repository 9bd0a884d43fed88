import { buildBlocks, cellText, type Block } from './report-document.ts';
import type { ReportData } from './report-data.ts';
import type { ReportTable } from './report-tables.ts';
import { reportImages, type RenderOptions } from './render-docx.ts';

/**
 * The same report as one self-contained HTML page for printing (Chromium's page.pdf turns it
 * into the PDF): the blocks of report-document.ts, charts and map inlined as SVG data URIs
 * (vector in the PDF; as <img>, so the charts' ids cannot collide), A4 print
 * CSS, CJK fonts that Chromium embeds into the PDF. One family in two weights only: every
 * extra face costs Chromium seconds of glyph embedding (Noto CJK is CFF, embedded as Type 3).
 */
const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[ch]!);

const CSS = `
@page { size: A4; margin: 25mm 22mm 22mm 25mm; }
* { box-sizing: border-box; }
body { font-family: 'Noto Sans CJK SC', sans-serif; font-size: 12pt; line-height: 1.75; color: #111; margin: 0; }
.red-title { text-align: center; color: #c00000; font-weight: bold; font-size: 28pt; letter-spacing: 2pt; margin: 8mm 0 3mm; }
.subtitle { text-align: center; font-size: 15pt; margin: 0 0 6mm; }
.issuer { display: flex; justify-content: space-between; font-size: 13pt; border-bottom: 2.5pt solid #c00000; padding-bottom: 2mm; margin-bottom: 8mm; }
h2 { font-size: 15pt; font-weight: bold; margin: 7mm 0 2mm; text-indent: 2em; }
h3 { font-size: 13.5pt; margin: 4mm 0 2mm; text-indent: 2em; font-weight: bold; }
p { text-indent: 2em; margin: 0 0 2mm; text-align: justify; }
p.note { text-indent: 0; font-size: 10pt; color: #555; }
.caption { text-align: center; font-size: 10.5pt; margin: 4mm 0 1.5mm; text-indent: 0; }
table { width: 100%; border-collapse: collapse; font-size: 8.5pt; line-height: 1.35; margin-bottom: 3mm; page-break-inside: auto; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
th { background: #f2dcdb; font-weight: bold; }
th, td { border: 0.6pt solid #888; padding: 1mm 1.5mm; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nw { white-space: nowrap; }
tr.total td { font-weight: bold; background: #fafafa; }
figure { margin: 3mm 0; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; max-height: 115mm; }
`;

function tableHtml(t: ReportTable): string {
  const head = `<thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('')}</tr></thead>`;
  const cells = (row: readonly unknown[], cls = '') =>
    `<tr${cls}>${row.map((value, i) => {
      const kind = t.columns[i]!.kind;
      const text = cellText(value as never, kind);
      const cls = kind !== 'text' && kind !== 'date' && kind !== 'month' ? ' class="num"' : text.length <= 8 ? ' class="nw"' : '';
      return `<td${cls}>${escapeHtml(text)}</td>`;
    }).join('')}</tr>`;
  const body = t.rows.map((row) => cells(row)).join('') + (t.total ? cells(t.total.cells, ' class="total"') : '');
  return `<table>${head}<tbody>${body}</tbody></table>`;
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading':
      return block.level === 1 ? `<h2>${escapeHtml(block.text)}</h2>` : `<h3>${escapeHtml(block.text)}</h3>`;
    case 'paragraph':
      return `<p>${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p class="note">${escapeHtml(block.text)}</p>`;
    case 'table':
      return `<div class="caption">${escapeHtml(block.caption)}</div>${tableHtml(block.table)}`;
    case 'image':
      return `<figure><img alt="${escapeHtml(block.image.title)}" src="data:image/svg+xml;base64,${Buffer.from(block.image.svg).toString('base64')}"><div class="caption">${escapeHtml(block.caption)}</div></figure>`;
  }
}

export function renderHtml(data: ReportData, opts: RenderOptions = {}): string {
  const images = opts.images ?? reportImages(data, { boundariesDir: opts.boundariesDir });
  const m = data.meta;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(`${m.title}（${m.monthLabel}）`)}</title><style>${CSS}</style></head>
<body>
<div class="red-title">成都市社情分析综合报告</div>
<div class="subtitle">（${escapeHtml(m.unitName)}　${escapeHtml(m.monthLabel)}）</div>
<div class="issuer"><span>${escapeHtml(m.issuingUnit)}</span><span>${escapeHtml(m.reportDateLabel)}</span></div>
${buildBlocks(data, images).map(blockHtml).join('\n')}
</body></html>`;
}
