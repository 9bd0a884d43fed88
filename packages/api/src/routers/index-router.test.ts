import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITY_CODE, cityScope, type UnitCode } from '@cityops/domain';
import type { Database } from '@cityops/db/database';
import { openFixtureDb } from '@cityops/db/index-store/test-fixture';
import { LoginThrottle } from '../auth/login-throttle.ts';
import type { SessionUser } from '../auth/session-user.ts';
import { DEFAULT_API_CONFIG, createContextInner } from '../context.ts';
import { LiveBus, type LiveMessage } from '../live/live-bus.ts';
import { createCallerFactory, router } from '../trpc.ts';
import { alertsRouter } from './alerts-router.ts';
import { hotspotsRouter } from './hotspots-router.ts';
import { indexRouter } from './index-router.ts';

/** The three routers of issue 5, registered locally (root.ts is not imported), called without HTTP. */
const testRouter = router({ index: indexRouter, hotspots: hotspotsRouter, alerts: alertsRouter });
const createCaller = createCallerFactory(testRouter);

const user = (role: SessionUser['role'], unitCode: string, departmentCode: string | null = null): SessionUser => ({
  username: `${role}-${unitCode}`,
  displayName: role,
  role,
  unitCode: unitCode as UnitCode,
  departmentCode: departmentCode as SessionUser['departmentCode'],
  gridCodes: null,
  canSeePersonalData: false,
});

describe('index, hotspots and alerts routers', () => {
  let db: Database;
  let cleanup: () => void;
  const liveBus = new LiveBus();
  const caller = (u: SessionUser | null) => createCaller(createContextInner({ db, config: DEFAULT_API_CONFIG, loginThrottle: new LoginThrottle(), liveBus, user: u }));
  beforeAll(async () => {
    ({ db, cleanup } = await openFixtureDb('api'));
  }, 300_000);
  afterAll(() => cleanup?.());

  it('serves a district its own index and refuses others, and refuses publishing to analysts', async () => {
    const analyst = caller(user('district_analyst', '510104'));
    const unit = await analyst.index.unit({ code: '510104', month: '2026-10' });
    expect(unit.source.status).toBe('provisional');
    expect(unit.rank).toBeGreaterThanOrEqual(1);
    await expect(analyst.index.ranking({ unitCode: '510105', month: '2026-10' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(analyst.index.publish({ month: '2026-10' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(caller(null).index.ranking({ unitCode: CITY_CODE, month: '2026-10' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(analyst.index.ranking({ unitCode: '510104', month: '2026-13' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  }, 180_000);

  it('serves hotspots by scope', async () => {
    const analyst = caller(user('district_analyst', '510104'));
    const gi = await analyst.hotspots.gi({ unitCode: '510104', month: '2026-10' });
    expect(gi.resolution).toBe(8);
    expect(gi.fdr).toBe(true);
    const emerging = await analyst.hotspots.emerging({ unitCode: '510104', month: '2026-10', months: 6 });
    expect(emerging.months).toHaveLength(6);
    await expect(analyst.hotspots.gi({ unitCode: '510105', month: '2026-10' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const department = caller(user('department_officer', CITY_CODE, 'D01'));
    await expect(department.hotspots.gi({ unitCode: '510104', month: '2026-10', item: 'housing' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('runs the early-warning job (admin) and pushes new alerts to the live bus', async () => {
    const heard: LiveMessage[] = [];
    const controller = new AbortController();
    const listening = (async () => {
      for await (const message of liveBus.subscribe(cityScope(), controller.signal)) heard.push(message);
    })();
    const admin = caller(user('admin', CITY_CODE));
    const run = await admin.alerts.run({ day: '2025-07-03' });
    expect(run.created).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    await listening;
    expect(heard.filter((m) => m.kind === 'alert')).toHaveLength(run.created);
    await expect(caller(user('district_analyst', '510104')).alerts.run({ day: '2025-07-03' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const list = await admin.alerts.list({ unitCode: CITY_CODE, from: '2025-07-01', to: '2025-07-05' });
    expect(list.length).toBe(run.created);
  });
});
