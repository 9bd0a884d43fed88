import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import {
  acknowledgeMobilisation,
  broadcastMobilisation,
  completeMobilisation,
  gridMobilisationStatus,
  summariseMobilisation,
  type MobilisationIssuer,
} from './mobilisation.ts';
import { wallClock } from './wall-clock.ts';

const STREET: MobilisationIssuer = { username: 'street-1', role: 'street_operator', unitCode: '510104001' };
const gridWorker = (gridCode: string): MobilisationIssuer => ({ username: `grid-${gridCode.slice(-3)}`, role: 'grid_worker', unitCode: gridCode });
const GRIDS = ['510104001001001', '510104001001002', '510104001002001', '510104001002002', '510104002001001'];
const ISSUED = wallClock(2026, 7, 12, 20);
const at = (minutes: number) => new Date(ISSUED.getTime() + minutes * 60_000);

function broadcast() {
  return broadcastMobilisation({ id: 'MOB-1', title: '强降雨转移避险：逐户通知', areaCode: '510104001', gridCodes: GRIDS, issuedAt: ISSUED }, STREET);
}

describe('微网实格 emergency mobilisation', () => {
  it('broadcasts to every grid of the area and only those', () => {
    const task = broadcast();
    expect(task.grids.map((g) => g.gridCode)).toEqual(GRIDS.slice(0, 4));
    expect(task.deadline).toEqual(wallClock(2026, 7, 12, 23));
  });

  it('judges each grid against the 3-hour standard and summarises', () => {
    let task = broadcast();
    task = acknowledgeMobilisation(task, '510104001001001', gridWorker('510104001001001'), at(5));
    task = completeMobilisation(task, '510104001001001', gridWorker('510104001001001'), at(150), '已通知 86 户');
    task = acknowledgeMobilisation(task, '510104001001002', gridWorker('510104001001002'), at(20));
    task = completeMobilisation(task, '510104001001002', STREET, at(200)); // recorded by the street, late
    task = acknowledgeMobilisation(task, '510104001002001', gridWorker('510104001002001'), at(45));
    // 510104001002002 never answers.

    const grid = (code: string) => task.grids.find((g) => g.gridCode === code)!;
    expect(gridMobilisationStatus(task, grid('510104001002002'), at(60))).toBe('pending');
    expect(gridMobilisationStatus(task, grid('510104001002001'), at(60))).toBe('acknowledged');
    expect(gridMobilisationStatus(task, grid('510104001001001'), at(60))).toBe('acknowledged'); // completion not yet known at 60 min

    const midway = summariseMobilisation(task, at(120));
    expect(midway).toMatchObject({ total: 4, acknowledged: 3, completedWithinStandard: 0, completedLate: 0, missing: 0, inProgress: 4 });

    const final = summariseMobilisation(task, at(240));
    expect(final).toMatchObject({
      total: 4,
      acknowledged: 3,
      completedWithinStandard: 1,
      completedLate: 1,
      missing: 2,
      inProgress: 0,
      onTimeRate: 0.25,
      maxAcknowledgeMinutes: 45,
      maxCompletionMinutes: 200,
      missingGrids: ['510104001002001', '510104001002002'],
    });
  });

  it('completion implies acknowledgement; repeats are idempotent or refused', () => {
    let task = broadcast();
    task = completeMobilisation(task, '510104001002002', gridWorker('510104001002002'), at(30));
    expect(task.grids[3]).toMatchObject({ acknowledgedAt: at(30), completedAt: at(30) });
    task = acknowledgeMobilisation(task, '510104001002002', gridWorker('510104001002002'), at(40));
    expect(task.grids[3]!.acknowledgedAt).toEqual(at(30));
    expect(() => completeMobilisation(task, '510104001002002', STREET, at(50))).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('refuses the wrong people and the wrong grids', () => {
    const task = broadcast();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as DomainError).code;
      }
      return 'ok';
    };
    expect(code(() => broadcastMobilisation({ id: 'M', title: 't', areaCode: '510104002', gridCodes: GRIDS, issuedAt: ISSUED }, STREET))).toBe('FORBIDDEN');
    expect(code(() => broadcastMobilisation({ id: 'M', title: 't', areaCode: '510104001', gridCodes: GRIDS, issuedAt: ISSUED }, gridWorker(GRIDS[0]!)))).toBe('FORBIDDEN');
    expect(code(() => broadcastMobilisation({ id: 'M', title: 't', areaCode: '510105', gridCodes: GRIDS, issuedAt: ISSUED }, { ...STREET, role: 'city_commander', unitCode: '5101' }))).toBe('BAD_INPUT');
    expect(code(() => acknowledgeMobilisation(task, GRIDS[0]!, gridWorker(GRIDS[1]!), at(5)))).toBe('FORBIDDEN');
    expect(code(() => acknowledgeMobilisation(task, GRIDS[4]!, gridWorker(GRIDS[4]!), at(5)))).toBe('NOT_FOUND');
    expect(code(() => acknowledgeMobilisation(task, GRIDS[0]!, gridWorker(GRIDS[0]!), at(-5)))).toBe('BAD_INPUT');
  });
});
