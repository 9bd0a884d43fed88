import { it, vi } from 'vitest';
import { runReportBench } from '../../../../bench/report.ts';
vi.mock('@cityops/db', async (importOriginal) => (await import('@cityops/api/reports/db-shim')).withDbShim(await importOriginal()));
it('bench', async () => { console.log(JSON.stringify(await runReportBench({ scales: [Number(process.env['SCALE'] ?? 0.1)] }))); }, 1_800_000);
