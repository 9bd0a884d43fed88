import { chromium, type Browser } from 'playwright-core';

/**
 * HTML → PDF with the system Chromium (never a downloaded browser). Chromium embeds the fonts
 * it used (Noto CJK) into the PDF. A renderer keeps one browser for many reports and is closed
 * by its owner; `renderPdf` is the one-shot form.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PdfRendererOptions {
  executablePath?: string;
}

export interface PdfRenderer {
  render(html: string): Promise<Buffer>;
  /** Starts Chromium now (in the background) so the first `render` does not wait for its launch. */
  warm(): void;
  close(): Promise<void>;
}

const FOOTER = `<div style="width:100%;text-align:center;font-size:9pt;font-family:'Noto Sans CJK SC',sans-serif;color:#444">— <span class="pageNumber"></span> —</div>`;

export function createPdfRenderer(opts: PdfRendererOptions = {}): PdfRenderer {
  let browser: Promise<Browser> | null = null;
  const launch = () => (browser ??= chromium.launch({ executablePath: opts.executablePath ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true }));
  return {
    warm() {
      // A failed launch is reported by the render that awaits it.
      launch().catch(() => undefined);
    },
    async render(html) {
      const context = await (await launch()).newContext();
      try {
        const page = await context.newPage();
        // The page is self-contained (images are data URIs): no network is needed or allowed.
        await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
        await page.setContent(html, { waitUntil: 'load' });
        await page.evaluate(() => document.fonts.ready);
        const pdf = await page.pdf({
          format: 'A4',
          printBackground: true,
          preferCSSPageSize: true,
          displayHeaderFooter: true,
          headerTemplate: '<div></div>',
          footerTemplate: FOOTER,
        });
        return Buffer.from(pdf);
      } finally {
        await context.close();
      }
    },
    async close() {
      if (browser) await (await browser).close();
      browser = null;
    },
  };
}

export async function renderPdf(html: string, opts: PdfRendererOptions = {}): Promise<Buffer> {
  const renderer = createPdfRenderer(opts);
  try {
    return await renderer.render(html);
  } finally {
    await renderer.close();
  }
}
