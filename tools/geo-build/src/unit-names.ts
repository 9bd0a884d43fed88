/** Display names for communities and grids. */

export type CommunityKind = 'community' | 'village';

const COMMITTEE_SUFFIXES: readonly { suffix: string; kind: CommunityKind; noun: string }[] = [
  { suffix: '居民委员会', kind: 'community', noun: '社区' },
  { suffix: '居委会', kind: 'community', noun: '社区' },
  { suffix: '村民委员会', kind: 'village', noun: '村' },
  { suffix: '村委会', kind: 'village', noun: '村' },
];

/**
 * Short name of a community: the NBS name minus its committee suffix (居委会, 村民委员会…),
 * e.g. 多福巷社区居委会 → 多福巷社区, 同福村村民委员会 → 同福村, 跳蹬村委会 → 跳蹬村.
 */
export function shortCommunityName(nbsName: string): { name: string; kind: CommunityKind } {
  for (const { suffix, kind, noun } of COMMITTEE_SUFFIXES) {
    if (!nbsName.endsWith(suffix)) continue;
    const stem = nbsName.slice(0, -suffix.length);
    return { name: stem.endsWith(noun) ? stem : `${stem}${noun}`, kind };
  }
  return { name: nbsName, kind: nbsName.endsWith('村') ? 'village' : 'community' };
}

export function gridName(communityName: string, ordinal: number): string {
  return `${communityName}第${ordinal}网格`;
}

export function gridCode(communityCode: string, ordinal: number): string {
  if (ordinal < 1 || ordinal > 999) throw new RangeError(`grid ordinal out of range: ${ordinal}`);
  return `${communityCode}${String(ordinal).padStart(3, '0')}`;
}
