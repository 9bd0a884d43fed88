import { describe, expect, it } from 'vitest';
import { nextCrumbs } from './breadcrumbs.tsx';

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
