import { it, vi } from 'vitest';
import { openReportFixtureDb, REPORT_DEMO_MONTH } from '@cityops/api/reports/report-fixture';
import { writeReport } from '../commands/report.ts';
vi.mock('@cityops/db', async (importOriginal) => (await import('@cityops/api/reports/db-shim')).withDbShim(await importOriginal()));
it('demo', async () => {
  const { db, cleanup } = await openReportFixtureDb('demo');
  const r = await writeReport(db, { month: REPORT_DEMO_MONTH, unitCode: process.env['UNIT'] ?? '5101', formats: ['docx', 'pdf', 'xlsx'], outDir: '/tmp/report-demo', actor: 'demo' });
  console.log(r.files, r.seconds);
  cleanup();
}, 300_000);
