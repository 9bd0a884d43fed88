import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError, departmentScope, wallClock, type Scope, type UnitCode } from '@cityops/domain';
import {
  acknowledgeMobilisationGrid,
  broadcastMobilisationTask,
  completeMobilisationGrid,
  getMobilisationSummary,
  listMobilisationTasks,
} from './mobilisation-store.ts';
import { openWorkOrderTestDatabase, type TestDatabase } from './test-database.ts';

const scope = (role: Scope['role'], unitCode: string, gridCodes: string[] | null = null): Scope => ({
  role, unitCode: unitCode as UnitCode, items: null, departmentCode: null, gridCodes: gridCodes as UnitCode[] | null, canSeePersonalData: false,
});
const district = { scope: scope('district_analyst', '510104'), actor: { username: 'jinjiang', role: 'district_analyst' as const, unitCode: '510104' } };
const street = { scope: scope('street_operator', '510104001'), actor: { username: 'street-1', role: 'street_operator' as const, unitCode: '510104001' } };
const otherStreet = { scope: scope('street_operator', '510105001'), actor: { username: 'street-9', role: 'street_operator' as const, unitCode: '510105001' } };
const grid = { scope: scope('grid_worker', '510104001001', ['510104001001001']), actor: { username: 'grid-1', role: 'grid_worker' as const, unitCode: '510104001001' } };

let t: TestDatabase;
beforeAll(async () => {
  t = await openWorkOrderTestDatabase();
});
afterAll(() => t.close());

const issuedAt = wallClock(2026, 7, 3, 14);
const minutes = (n: number) => new Date(issuedAt.getTime() + n * 60_000);

describe('微网实格 mobilisation', () => {
  it('broadcasts to every grid of the area and tracks each grid against the 3-hour standard', async () => {
    const task = await broadcastMobilisationTask(t.db, district.scope, district.actor, { title: '暴雨红色预警：逐户通知低洼院落转移', areaCode: '510104', id: 'MOB-1' }, { at: issuedAt });
    expect(task.grids).toHaveLength(24); // 2 streets × 3 communities × 4 grids
    expect(task.deadline).toEqual(wallClock(2026, 7, 3, 17));

    await acknowledgeMobilisationGrid(t.db, grid.scope, grid.actor, { taskId: 'MOB-1', gridCode: '510104001001001' }, { at: minutes(5) });
    await completeMobilisationGrid(t.db, grid.scope, grid.actor, { taskId: 'MOB-1', gridCode: '510104001001001', note: '已通知 62 户' }, { at: minutes(150) });
    await completeMobilisationGrid(t.db, street.scope, street.actor, { taskId: 'MOB-1', gridCode: '510104001001002' }, { at: minutes(200) }); // late, recorded by the street
    const again = completeMobilisationGrid(t.db, street.scope, street.actor, { taskId: 'MOB-1', gridCode: '510104001001001' }, { at: minutes(201) });
    await expect(again).rejects.toMatchObject({ code: 'CONFLICT' });

    const byDistrict = await getMobilisationSummary(t.db, district.scope, 'MOB-1', minutes(240));
    expect(byDistrict.summary).toMatchObject({ total: 24, acknowledged: 2, completedWithinStandard: 1, completedLate: 1, missing: 22, maxAcknowledgeMinutes: 200, maxCompletionMinutes: 200 }); // completion implies acknowledgement
    // The street sees its own 12 grids of the district-wide task; the grid worker its one grid.
    const byStreet = await getMobilisationSummary(t.db, street.scope, 'MOB-1', minutes(240));
    expect(byStreet.summary.total).toBe(12);
    expect(byStreet.grids.find((g) => g.gridCode === '510104001001002')?.status).toBe('completed_late');
    const byGrid = await getMobilisationSummary(t.db, grid.scope, 'MOB-1', minutes(100));
    expect(byGrid.grids).toEqual([expect.objectContaining({ gridCode: '510104001001001', status: 'acknowledged', note: null })]);
    expect((await listMobilisationTasks(t.db, street.scope)).map((x) => [x.id, x.grids, x.completed])).toEqual([['MOB-1', 12, 2]]);

    const audit = await t.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE target = 'MOB-1' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['mobilisation.broadcast', 'mobilisation.acknowledge', 'mobilisation.complete', 'mobilisation.complete']);
  });

  it('keeps other areas, other grids and departments out', async () => {
    await broadcastMobilisationTask(t.db, street.scope, street.actor, { title: '燃气泄漏排查', areaCode: '510104001', id: 'MOB-2' }, { at: issuedAt });
    const refused = async (promise: Promise<unknown>) => ((await promise.then(() => undefined, (e: unknown) => e)) as DomainError).code;
    expect(await refused(getMobilisationSummary(t.db, otherStreet.scope, 'MOB-2'))).toBe('FORBIDDEN');
    expect(await refused(broadcastMobilisationTask(t.db, street.scope, street.actor, { title: 'x', areaCode: '510104' }, { at: issuedAt }))).toBe('FORBIDDEN');
    expect(await refused(completeMobilisationGrid(t.db, grid.scope, grid.actor, { taskId: 'MOB-2', gridCode: '510104001001002' }, { at: minutes(10) }))).toBe('FORBIDDEN');
    expect(await refused(getMobilisationSummary(t.db, departmentScope('D04'), 'MOB-2'))).toBe('FORBIDDEN');
    expect(await listMobilisationTasks(t.db, otherStreet.scope)).toEqual([]);
  });
});
