import { cityScope } from '@cityops/domain';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarehouse, type TestWarehouse } from '../testing/test-warehouse.ts';
import { loadUnits } from '../units-store.ts';
import { queryChildVolumes, queryChildVolumesRaw } from './volumes.ts';

let w: TestWarehouse;
beforeAll(async () => {
  w = await createTestWarehouse();
});
afterAll(() => w?.cleanup());

const city = cityScope();
const children = async (unitCode: string) => queryChildVolumes(w.db, city, { unitCode, month: '2026-09' });
const population = async (code: string) =>
  (await w.db.all<{ population: number }>(`SELECT "population" FROM "units" WHERE "code" = $code`, { code }))[0]!.population;

describe('child volumes: cached child units', () => {
  it('answers repeated reads like the raw scan, from the units loaded', async () => {
    const first = await children('510104');
    expect(first.length).toBeGreaterThan(1);
    expect(await children('510104')).toEqual(first);
    expect(first).toEqual(await queryChildVolumesRaw(w.db, city, { unitCode: '510104', month: '2026-09' }));
    expect(first[0]!.population).toBe(await population(first[0]!.code));
  });

  it('sees units changed or reloaded after a cached read', async () => {
    const street = (await children('510104'))[0]!;
    await w.db.run(`UPDATE "units" SET "population" = "population" + 7 WHERE "code" = $code`, { code: street.code });
    expect((await children('510104'))[0]!.population).toBe(street.population + 7);

    // A reload from a file whose populations differ (loadUnits replaces the whole table).
    const csv = readFileSync(w.unitsCsv, 'utf8');
    const reloaded = `${w.unitsCsv}.reloaded.csv`;
    const header = csv.split('\n')[0]!.split(',');
    const column = header.indexOf('population');
    expect(column).toBeGreaterThanOrEqual(0);
    writeFileSync(reloaded, csv.split('\n').map((line, i) => {
      if (i === 0 || line === '') return line;
      const fields = line.split(',');
      fields[column] = String(Number(fields[column]) * 2 + 1);
      return fields.join(',');
    }).join('\n'));
    await loadUnits(w.db, reloaded);
    const after = await children('510104');
    expect(after[0]!.code).toBe(street.code);
    expect(after[0]!.population).toBe(await population(street.code));
    expect(after[0]!.population).not.toBe(street.population + 7);
  });
});
