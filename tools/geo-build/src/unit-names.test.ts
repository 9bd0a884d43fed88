import { describe, expect, it } from 'vitest';
import { gridCode, gridName, shortCommunityName } from './unit-names.ts';

describe('shortCommunityName', () => {
  it('drops committee suffixes and keeps 社区 / 村', () => {
    expect(shortCommunityName('多福巷社区居委会')).toEqual({ name: '多福巷社区', kind: 'community' });
    expect(shortCommunityName('八宝街社区居民委员会')).toEqual({ name: '八宝街社区', kind: 'community' });
    expect(shortCommunityName('同福村村民委员会')).toEqual({ name: '同福村', kind: 'village' });
    expect(shortCommunityName('跳蹬村委会')).toEqual({ name: '跳蹬村', kind: 'village' });
    expect(shortCommunityName('一心社区')).toEqual({ name: '一心社区', kind: 'community' });
  });
});

describe('grid naming', () => {
  it('extends the community code by three digits', () => {
    expect(gridCode('510104017001', 3)).toBe('510104017001003');
    expect(gridName('水井坊社区', 3)).toBe('水井坊社区第3网格');
    expect(() => gridCode('510104017001', 1000)).toThrow();
  });
});
