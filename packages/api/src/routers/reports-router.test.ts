import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CODE, type UnitCode } from '@cityops/domain';
import type { Database } from '@cityops/db';
import { readArchivedReport } from '@cityops/db/reports-archive';
import { LoginThrottle } from '../auth/login-throttle.ts';
import type { SessionUser } from '../auth/session-user.ts';
import { DEFAULT_API_CONFIG, createContextInner } from '../context.ts';
import { LiveBus } from '../live/live-bus.ts';
import { REPORT_DEMO_MONTH, openReportFixtureDb } from '../reports/report-fixture.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { reportsRouter } from './reports-router.ts';


const createCaller = createCallerFactory(router({ reports: reportsRouter }));
const user = (role: SessionUser['role'], unitCode: string, departmentCode: SessionUser['departmentCode'] = null): SessionUser => ({
  username: `${role}-${unitCode}`, displayName: role, role, unitCode: unitCode as UnitCode, departmentCode, gridCodes: null, canSeePersonalData: false,
});

describe('reports router', () => {
  let db: Database;
  let cleanup: () => void;
  const caller = (u: SessionUser | null) => createCaller(createContextInner({ db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(), liveBus: new LiveBus(), user: u }));
  beforeAll(async () => {
    ({ db, cleanup } = await openReportFixtureDb('router'));
  }, 400_000);
  afterAll(() => cleanup?.());

  async function waitFor(c: ReturnType<typeof caller>, jobId: string) {
    const stages: string[] = [];
    for (let i = 0; i < 600; i += 1) {
      const status = await c.reports.status({ jobId });
      if (!stages.includes(status.stage)) stages.push(status.stage);
      expect(status.progress).toBeGreaterThanOrEqual(0);
      expect(status.progress).toBeLessThanOrEqual(1);
      if (status.done) return { status, stages };
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('report job did not finish');
  }

  it('generates a district report as a job with Chinese progress stages, archives it and audits it', async () => {
    const analyst = caller(user('district_analyst', '510104'));
    const { jobId } = await analyst.reports.generate({ month: REPORT_DEMO_MONTH, unitCode: '510104', formats: ['docx', 'xlsx'] });
    const { status, stages } = await waitFor(analyst, jobId);
    expect(status.failed, status.error ?? '').toBe(false);
    expect(status.progress).toBe(1);
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(stages.join('')).toMatch(/[\u4e00-\u9fff]/);
    expect(status.files.map((f) => f.format).sort()).toEqual(['docx', 'xlsx']);
    expect(status.files[0]!.url).toMatch(/^\/api\/reports\/.+\/download$/);

    // Listed for its scope (and the city), not for a neighbouring district or a department.
    const listed = await analyst.reports.list({ unitCode: '510104' });
    expect(listed.map((r) => r.id).sort()).toEqual(status.files.map((f) => f.id).sort());
    expect(listed[0]).toMatchObject({ month: REPORT_DEMO_MONTH, unitName: '锦江区', indexStatus: 'published', snapshotRevision: 1, methodVersion: expect.any(String) });
    expect(await caller(user('city_commander', CITY_CODE)).reports.list({})).toHaveLength(2);
    expect(await caller(user('district_analyst', '510105')).reports.list({})).toEqual([]);
    expect(await caller(user('department_officer', CITY_CODE, 'D01')).reports.list({})).toEqual([]);
    await expect(caller(user('district_analyst', '510105')).reports.list({ unitCode: '510104' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // The archived bytes are the job's, by sha256; another scope cannot read them.
    const docx = status.files.find((f) => f.format === 'docx')!;
    const { content, report } = await readArchivedReport(db, { role: 'district_analyst', unitCode: '510104' as UnitCode, items: null, departmentCode: null, gridCodes: null, canSeePersonalData: false }, docx.id);
    expect(report.sha256).toBe(docx.sha256);
    expect(content.subarray(0, 2).toString()).toBe('PK');
    await expect(readArchivedReport(db, { role: 'district_analyst', unitCode: '510105' as UnitCode, items: null, departmentCode: null, gridCodes: null, canSeePersonalData: false }, docx.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const audit = await db.all<{ actor: string; target: string; detail: string }>(`SELECT actor, target, detail FROM audit_log WHERE action = 'report.generate'`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'district_analyst-510104', target: `510104/${REPORT_DEMO_MONTH}` });
    expect(JSON.parse(audit[0]!.detail).ids.sort()).toEqual(status.files.map((f) => f.id).sort());
  }, 120_000);

  it('refuses units outside the scope, other users’ jobs, PDF without a renderer, and anonymous callers', async () => {
    const analyst = caller(user('district_analyst', '510104'));
    await expect(analyst.reports.generate({ month: REPORT_DEMO_MONTH, unitCode: '510105', formats: ['docx'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller(null).reports.list({})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const { jobId } = await analyst.reports.generate({ month: REPORT_DEMO_MONTH, unitCode: '510104', formats: ['pdf'] });
    await expect(caller(user('district_analyst', '510105')).reports.status({ jobId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { status } = await waitFor(analyst, jobId);
    expect(status).toMatchObject({ done: true, failed: true, error: expect.stringContaining('PDF') });
    expect((await analyst.reports.capabilities()).formats).toEqual(['docx', 'xlsx']);
  }, 60_000);
});
