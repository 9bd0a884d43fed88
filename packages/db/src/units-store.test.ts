import { cityScope, departmentScope, isDomainError, parseUnitCode, type Scope } from '@cityops/domain';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarehouse, type TestWarehouse } from './testing/test-warehouse.ts';
import { getUnit, getUnitInScope, listChildUnits, listChildUnitsInScope, loadUnits } from './units-store.ts';

let warehouse: TestWarehouse;
beforeAll(async () => {
  warehouse = await createTestWarehouse();
});
afterAll(() => warehouse.cleanup());

describe('units', () => {
  it('loads every level and is idempotent', async () => {
    const expected = { city: 1, district: 3, street: 6, community: 18, grid: 72 };
    expect(await loadUnits(warehouse.db, warehouse.unitsCsv)).toEqual(expected);
    expect(await loadUnits(warehouse.db, warehouse.unitsCsv)).toEqual(expected);
  });

  it('reads a unit and its children', async () => {
    const street = await getUnit(warehouse.db, '510104001');
    expect(street).toMatchObject({ code: '510104001', level: 'street', parentCode: '510104' });
    const communities = await listChildUnits(warehouse.db, '510104001');
    expect(communities.map((c) => c.code)).toEqual(['510104001001', '510104001002', '510104001003']);
    expect(communities.reduce((sum, c) => sum + c.population, 0)).toBe(street!.population);
    expect(await getUnit(warehouse.db, '510104999')).toBeUndefined();
  });

  it('enforces the caller scope', async () => {
    const district: Scope = { ...cityScope('district_analyst'), unitCode: parseUnitCode('510104') };
    await expect(getUnitInScope(warehouse.db, district, '510104001')).resolves.toMatchObject({ code: '510104001' });
    const error = await getUnitInScope(warehouse.db, district, '510105001').catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('FORBIDDEN');
    await expect(listChildUnitsInScope(warehouse.db, departmentScope('D01'), '5101')).resolves.toHaveLength(3);
    const grid: Scope = { ...cityScope('grid_worker'), unitCode: parseUnitCode('510104001001'), gridCodes: [parseUnitCode('510104001001002')] };
    await expect(listChildUnitsInScope(warehouse.db, grid, '510104001001002')).resolves.toEqual([]);
  });

  it('rejects an inconsistent file and keeps the previous units', async () => {
    const bad = join(warehouse.dir, 'bad.csv');
    writeFileSync(bad, 'code,name,level,parent_code,population,households,lng,lat\n5101,成都市,city,,1,1,104,30\n51019,坏,district,5101,1,1,104,30\n');
    const error = await loadUnits(warehouse.db, bad).catch((e: unknown) => e);
    expect(isDomainError(error) && error.code).toBe('BAD_INPUT');
    expect(await getUnit(warehouse.db, '510104')).toBeDefined();
    const missing = await loadUnits(warehouse.db, join(warehouse.dir, 'nope.csv')).catch((e: unknown) => e);
    expect(isDomainError(missing) && missing.code).toBe('NOT_FOUND');
  });
});
