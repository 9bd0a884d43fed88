import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { numberRenderings, numericTokens } from '@cityops/reports';
import type { ReportData } from '@cityops/reports/report-data';

/**
 * Test helpers for the report's consistency checks (not used in production): the numeric and
 * string leaves of a ReportData, the text of a DOCX, and the numbers a document may print.
 */
export function leaves(value: unknown, at = ''): { path: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((entry, i) => leaves(entry, `${at}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, entry]) => leaves(entry, at ? `${at}.${key}` : key));
  return [{ path: at, value }];
}

/** Every numeric string a document built from `data` may contain, normalised (see format.ts). */
export function allowedNumericTokens(data: ReportData): Set<string> {
  const allowed = new Set<string>();
  for (const leaf of leaves(data)) {
    if (typeof leaf.value === 'number') for (const text of numberRenderings(leaf.value)) allowed.add(text);
    if (typeof leaf.value === 'string') for (const token of numericTokens(leaf.value)) allowed.add(token);
  }
  return allowed;
}

/** The text runs of word/document.xml, one per line (so digits of neighbouring runs never merge). */
export function docxText(docx: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cityops-docx-'));
  try {
    const file = path.join(dir, 'r.docx');
    writeFileSync(file, docx);
    const xml = execFileSync('unzip', ['-p', file, 'word/document.xml'], { maxBuffer: 64 * 1024 * 1024 }).toString('utf8');
    return [...xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)].map((m) => decodeXml(m[1]!)).join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The visible text of the print HTML (tags and data URIs removed), one element per line. */
export function htmlText(html: string): string {
  return decodeXml(html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<img[^>]*>/g, '').replace(/<title>[\s\S]*?<\/title>/, '').replace(/<[^>]+>/g, '\n'));
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Numeric tokens of `text` that no ReportData number or string accounts for. */
export function strayNumbers(text: string, data: ReportData): string[] {
  const allowed = allowedNumericTokens(data);
  return numericTokens(text).filter((token) => !allowed.has(token));
}
