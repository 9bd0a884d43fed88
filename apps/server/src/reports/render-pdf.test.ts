import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@cityops/db';
import { DEFAULT_API_CONFIG, DEMO_PASSWORD, LiveBus, LoginThrottle, appRouter, createContextInner, memoryCookieJar, seedDemoUsers, type ApiDeps } from '@cityops/api';
import { REPORT_DEMO_MONTH, openReportFixtureDb } from '@cityops/api/reports/report-fixture';
import { writeReport } from '../commands/report.ts';
import { SESSION_COOKIE } from '../cookies.ts';
import { createReportDownloadHandler } from './download-route.ts';
import { createPdfRenderer, type PdfRenderer } from './render-pdf.ts';


/** Mean and variance of a binary PGM (pdftoppm -gray). */
function pgmStats(file: string): { mean: number; variance: number; inked: number } {
  const buf = readFileSync(file);
  const header = buf.subarray(0, 64).toString('latin1').split(/\s+/);
  const [w, h] = [Number(header[1]), Number(header[2])];
  const pixels = buf.subarray(buf.length - w * h);
  let sum = 0;
  let sq = 0;
  let inked = 0;
  for (const p of pixels) {
    sum += p;
    sq += p * p;
    if (p < 200) inked += 1;
  }
  const mean = sum / pixels.length;
  return { mean, variance: sq / pixels.length - mean * mean, inked: inked / pixels.length };
}

describe('the city report in every format (real Chromium)', () => {
  let db: Database;
  let cleanup: () => void;
  let out: string;
  let pdf: PdfRenderer;
  beforeAll(async () => {
    ({ db, cleanup } = await openReportFixtureDb('pdf'));
    out = mkdtempSync(path.join(tmpdir(), 'cityops-report-out-'));
    pdf = createPdfRenderer();
  }, 400_000);
  afterAll(async () => {
    await pdf?.close();
    cleanup?.();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes DOCX, PDF and XLSX; PDF pages are not blank, Chinese is extractable and fonts are embedded', async () => {
    const result = await writeReport(db, { month: REPORT_DEMO_MONTH, unitCode: '5101', formats: ['docx', 'pdf', 'xlsx'], outDir: out, actor: 'test', pdf, reportDate: '2026-11-05' });
    expect(result.files.map((f) => path.extname(f)).sort()).toEqual(['.docx', '.pdf', '.xlsx']);
    expect(result.archived).toHaveLength(3);
    const pdfFile = result.files.find((f) => f.endsWith('.pdf'))!;
    expect(path.basename(pdfFile)).toBe('成都市社情分析综合报告-成都市-2026年10月.pdf');
    expect(readFileSync(pdfFile).subarray(0, 5).toString()).toBe('%PDF-');

    const text = execFileSync('pdftotext', ['-layout', pdfFile, '-']).toString('utf8');
    for (const phrase of ['成都市社情分析综合报告', '一、总体情况', '社情指数', '工单办理绩效', '方法说明', '锦江区']) expect(text).toContain(phrase);
    const fonts = execFileSync('pdffonts', [pdfFile]).toString('utf8').split('\n').slice(2).filter(Boolean);
    // Chromium embeds the glyphs it used (as Type 3 subsets) with a ToUnicode map: emb = yes, uni = yes on every font.
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter((line) => !/\byes\s+(yes|no)\s+yes\s+\d+\s+\d+\s*$/.test(line))).toEqual([]);

    execFileSync('pdftoppm', ['-r', '30', '-gray', pdfFile, path.join(out, 'page')]);
    const pages = readdirSync(out).filter((f) => f.startsWith('page') && f.endsWith('.pgm'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    for (const page of pages) {
      const stats = pgmStats(path.join(out, page));
      expect(stats.variance, page).toBeGreaterThan(100);
      expect(stats.inked, page).toBeGreaterThan(0.005);
    }
  }, 120_000);

  it('downloads an archived report over HTTP only within the session’s scope, and audits it', async () => {
    await seedDemoUsers(db);
    const deps: ApiDeps = { db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(), liveBus: new LiveBus() };
    const login = async (username: string) => {
      const jar = memoryCookieJar(null);
      await appRouter.createCaller(createContextInner({ ...deps, user: null, cookies: jar })).auth.login({ username, password: DEMO_PASSWORD });
      return `${SESSION_COOKIE}=${encodeURIComponent(jar.token!)}`;
    };
    const city = await writeReport(db, { month: REPORT_DEMO_MONTH, unitCode: '5101', formats: ['xlsx'], outDir: out, actor: 'test' });
    const app = express();
    app.get('/api/reports/:id/download', createReportDownloadHandler(deps));
    const server: Server = await new Promise((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)); });
    try {
      const port = (server.address() as { port: number }).port;
      const url = `http://127.0.0.1:${port}/api/reports/${encodeURIComponent(city.archived[0]!.id)}/download`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { cookie: await login('jinjiang') } })).status).toBe(403);
      const ok = await fetch(url, { headers: { cookie: await login('city') } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toContain('spreadsheetml');
      expect(decodeURIComponent(ok.headers.get('content-disposition')!)).toContain('成都市社情分析综合报告-成都市-2026年10月.xlsx');
      const body = Buffer.from(await ok.arrayBuffer());
      expect(body.equals(readFileSync(city.files[0]!))).toBe(true);
      expect((await fetch(url.replace(city.archived[0]!.id, 'RPT-none'), { headers: { cookie: await login('city') } })).status).toBe(404);
      const audit = await db.all<{ actor: string; detail: string }>(`SELECT actor, detail FROM audit_log WHERE action = 'report.download' ORDER BY id`);
      expect(audit.map((a) => a.actor)).toEqual(['jinjiang', 'city']);
      expect(JSON.parse(audit[0]!.detail)).toMatchObject({ refused: 'FORBIDDEN' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
