import { describe, expect, it } from 'vitest';
import { crumbsFromCode, nextCrumbs } from './breadcrumbs.tsx';

const city = { code: '5101', name: '成都市' };
const jinjiang = { code: '510104', name: '锦江区' };
const street = { code: '510104017', name: '锦官驿街道' };
const otherStreet = { code: '510104018', name: '另一街道' };

describe('nextCrumbs', () => {
  it('appends a child', () => {
    expect(nextCrumbs([city, jinjiang], street)).toEqual([city, jinjiang, street]);
  });
  it('truncates when going back up', () => {
    expect(nextCrumbs([city, jinjiang, street], jinjiang)).toEqual([city, jinjiang]);
  });
  it('replaces a sibling leaf', () => {
    expect(nextCrumbs([city, jinjiang, street], otherStreet)).toEqual([city, jinjiang, otherStreet]);
  });
});

describe('crumbsFromCode', () => {
  it('fills in every level between the root and a linked grid', () => {
    expect(crumbsFromCode(jinjiang, '510104017001003').map((c) => c.code)).toEqual(['510104', '510104017', '510104017001', '510104017001003']);
    expect(crumbsFromCode(city, '510104017').map((c) => c.code)).toEqual(['5101', '510104', '510104017']);
  });
  it('keeps the root named and the others named by code until their names arrive', () => {
    expect(crumbsFromCode(jinjiang, '510104017')).toEqual([jinjiang, { code: '510104017', name: '510104017' }]);
  });
  it('is the root alone for the root, and the unit alone outside the root', () => {
    expect(crumbsFromCode(jinjiang, '510104')).toEqual([jinjiang]);
    expect(crumbsFromCode(jinjiang, '510105001')).toEqual([{ code: '510105001', name: '510105001' }]);
  });
});
