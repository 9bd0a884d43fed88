import { describe, expect, it } from 'vitest';
import { StagedCsvBatch, stagedCsvLine } from './write-batch.ts';
import type { StagedRow } from './normalize-row.ts';

describe('StagedCsvBatch', () => {
  it('holds the same bytes as the rows encoded one by one, across growth of its buffer', () => {
    const rows: StagedRow[] = [];
    for (let i = 0; i < 3_000; i += 1) {
      // Chinese text (3 UTF-8 bytes per character), quotes, NULLs and '' (which must stay distinct), numbers, booleans.
      rows.push([i, `ID-${i}`, '2026-10-01 08:00:00', '电话', null, '', `诉求"内容"${'市容环境'.repeat(100)}`, 104.06 + i / 1e6, true, i % 2 === 0 ? null : 12]);
    }
    const batch = new StagedCsvBatch();
    for (const row of rows) batch.add(row);
    expect(batch.length).toBe(rows.length);
    const expected = rows.map((row) => `${stagedCsvLine(row)}\n`).join('');
    expect(batch.contents().length).toBeGreaterThan(1 << 20);
    expect(batch.contents().toString('utf8')).toBe(expected);
    // add() numbers the rows 1, 2, … (their rank in the batch).
    expect(rows.map((row) => row[0])).toEqual(rows.map((_, index) => index + 1));
    expect(stagedCsvLine(rows[1]!)).toBe(`2,"ID-1","2026-10-01 08:00:00","电话",,"","诉求""内容""${'市容环境'.repeat(100)}",104.060001,true,12`);
  });
});
