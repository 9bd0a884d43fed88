import { describe, expect, it } from 'vitest';
import { FirstSeenIndex } from './first-seen-index.ts';

describe('FirstSeenIndex', () => {
  it('returns the first row of a repeated id and records new ones, like a Map', () => {
    const index = new FirstSeenIndex();
    expect(index.firstOrAdd('A-1', 2)).toBeUndefined();
    expect(index.firstOrAdd('A-2', 3)).toBeUndefined();
    expect(index.firstOrAdd('A-1', 4)).toBe(2);
    expect(index.firstOrAdd('A-1', 5)).toBe(2);
    expect(index.firstOrAdd('a-1', 6)).toBeUndefined();
    expect(index.firstOrAdd('', 7)).toBeUndefined();
    expect(index.firstOrAdd('', 8)).toBe(7);
    expect(index.size).toBe(4);
  });

  it('agrees with a Map over 200,000 ids (growth, rehashing, Chinese and long ids, near-collisions)', () => {
    const index = new FirstSeenIndex();
    const reference = new Map<string, number>();
    const mismatches: string[] = [];
    let state = 12345;
    const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    for (let row = 2; row < 200_002; row += 1) {
      const r = next();
      // About one id in four repeats an earlier one; some are long (past the initial scratch buffer).
      const id = r % 4 === 0 && row > 10 ? `B${(next() % row).toString(36)}` : r % 97 === 0 ? `工单-${'长'.repeat(100 + (r % 50))}-${row}` : `B${row.toString(36)}`;
      const expected = reference.get(id);
      if (expected === undefined) reference.set(id, row);
      const got = index.firstOrAdd(id, row);
      if (got !== expected) mismatches.push(`${row} ${id}: ${got} ≠ ${expected}`);
    }
    expect(mismatches).toEqual([]);
    expect(reference.size).toBeGreaterThan(100_000);
    expect(index.size).toBe(reference.size);
  });
});
