import { describe, expect, it } from 'vitest';
import { MAX_BATCH_SIZE } from '@cityops/db/import/index';
import { UsageError } from '../cli-args.ts';
import { batchSizeFlag } from './import.ts';

describe('--batch-size', () => {
  it('defaults to 10,000 and accepts 1 … MAX_BATCH_SIZE', () => {
    expect(batchSizeFlag(undefined)).toBe(10_000);
    expect(batchSizeFlag('1')).toBe(1);
    expect(batchSizeFlag(String(MAX_BATCH_SIZE))).toBe(MAX_BATCH_SIZE);
  });

  it('refuses larger batches with a message that says why, and non-integers', () => {
    expect(() => batchSizeFlag('1000000')).toThrow(UsageError);
    expect(() => batchSizeFlag('1000000')).toThrow(/1–100000.*内存/);
    expect(() => batchSizeFlag('2.5')).toThrow(UsageError);
    expect(() => batchSizeFlag('0')).toThrow(UsageError);
  });
});
