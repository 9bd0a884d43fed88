import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnitLocator } from './locate.ts';
import { createTempWarehouse, type TempWarehouse } from './test-helpers.ts';

const PLAIN = `SELECT "code", "name", "level", "parent_code" AS "parentCode", "lng", "lat" FROM "units"`;

describe('UnitLocator.loadRows (units read as one packed text)', () => {
  let warehouse: TempWarehouse;
  beforeAll(async () => {
    warehouse = await createTempWarehouse('cityops-units-');
  });
  afterAll(() => warehouse.cleanup());

  it('gives exactly the rows of a plain query, in table order (doubles bit for bit, NULLs kept)', async () => {
    const plain = await warehouse.db.all(PLAIN);
    const packed = await UnitLocator.loadRows(warehouse.db);
    expect(packed.length).toBeGreaterThan(24_000);
    expect(packed.some((row) => row.parentCode === null)).toBe(true);
    expect(packed).toEqual(plain);
    expect(packed.every((row, i) => Object.is(row.lng, (plain[i] as { lng: number | null }).lng))).toBe(true);
  });

  it('falls back to the plain rows when a unit holds a separator character or a NULL coordinate', async () => {
    await warehouse.db.run(`UPDATE "units" SET "name" = "name" || chr(1) || '测试', "lng" = NULL WHERE "code" = (SELECT min("code") FROM "units" WHERE "level" = 'grid')`);
    const plain = await warehouse.db.all(PLAIN);
    const rows = await UnitLocator.loadRows(warehouse.db);
    expect(rows.some((row) => row.name.includes('\u0001') && row.lng === null)).toBe(true);
    expect(rows).toEqual(plain);
  });
});
