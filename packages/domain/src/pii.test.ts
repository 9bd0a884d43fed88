import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone } from './pii.ts';

describe('masking personal data', () => {
  it('keeps the first three and last four digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
    expect(maskPhone(null)).toBeNull();
  });
  it('keeps only the family name', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('*');
  });
  it('hides the birth date and sequence of an ID number', () => {
    const masked = maskIdNumber('51010419900101123X');
    expect(masked).toBe('510*************3X');
    expect(masked).not.toContain('19900101');
  });
});
