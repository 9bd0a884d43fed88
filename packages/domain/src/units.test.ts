import { describe, expect, it } from 'vitest';
import { hotspotResolutionOf, levelOfCode, parentCodeOf, parseUnitCode } from './units.ts';
import { assertUnitInScope, cityScope, departmentScope, type Scope } from './scope.ts';

describe('hotspotResolutionOf', () => {
  it('is res 8 for the city and a district, res 9 for a street, none below', () => {
    expect(['5101', '510104', '510104017', '510104017001', '510104017001003', '51010'].map(hotspotResolutionOf)).toEqual([8, 8, 9, undefined, undefined, undefined]);
  });
});

describe('unit codes', () => {
  it('derives level and parent from the code length', () => {
    expect(levelOfCode('5101')).toBe('city');
    expect(levelOfCode('510104')).toBe('district');
    expect(levelOfCode('510104017001003')).toBe('grid');
    expect(levelOfCode('51010')).toBeUndefined();
    expect(parentCodeOf(parseUnitCode('510104017001'))).toBe('510104017');
    expect(parentCodeOf(parseUnitCode('5101'))).toBeUndefined();
  });
});

describe('scopes', () => {
  const district: Scope = { ...cityScope('district_analyst'), unitCode: parseUnitCode('510104') };
  it('lets a district analyst see units inside the district only', () => {
    expect(() => assertUnitInScope(district, '510104017')).not.toThrow();
    expect(() => assertUnitInScope(district, '510105001')).toThrow(/无权/);
    expect(() => assertUnitInScope(district, '5101')).toThrow(/无权/);
  });
  it('gives a department its own items city-wide', () => {
    const market = departmentScope('D01');
    expect(market.items).toEqual(['market']);
    expect(() => assertUnitInScope(market, '510104017')).not.toThrow();
  });
});
