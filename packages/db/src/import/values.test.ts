import { describe, expect, it } from 'vitest';
import { detectCsvEncoding } from './readers.ts';
import iconv from 'iconv-lite';
import { formatWallClock, neutralizeFormula, parseWallClock } from './values.ts';

const wall = (text: string) => {
  const parsed = parseWallClock(text);
  return parsed.ok ? formatWallClock(parsed.ms) : `ERR ${parsed.reason}`;
};

describe('parseWallClock', () => {
  it('reads the notations department exports use, as Shanghai wall-clock time', () => {
    expect(wall('2026-03-15 09:12:33')).toBe('2026-03-15 09:12:33');
    expect(wall('2026/3/5 9:07')).toBe('2026-03-05 09:07:00');
    expect(wall('2026年3月15日 9时12分')).toBe('2026-03-15 09:12:00');
    expect(wall('20260315091233')).toBe('2026-03-15 09:12:33');
    expect(wall('2026-03-15')).toBe('2026-03-15 00:00:00');
    // ISO with an offset is converted to +08:00.
    expect(wall('2026-03-15T01:00:00Z')).toBe('2026-03-15 09:00:00');
    // Excel serial day 46096.5 = 2026-03-15 12:00.
    expect(wall('46096.5')).toBe('2026-03-15 12:00:00');
  });

  it("reads 'YYYY-MM-DD HH:MM:SS' by hand exactly as the general notation (same value or same refusal)", () => {
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const pad = (value: number, width = 2) => String(value).padStart(width, '0');
    let accepted = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const [year, month, day, hour, minute, second] = [1990 + random(120), random(20), random(40), random(30), random(70), random(70)];
      let iso = `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}`;
      // Now and then a character that is not a digit where a digit belongs.
      if (i % 50 === 0) iso = `${iso.slice(0, 18)}x`;
      if (i % 71 === 0) iso = `${iso.slice(0, 5)}٣${iso.slice(6)}`;
      const hand = parseWallClock(iso);
      const general = parseWallClock(iso.replaceAll('-', '/'));
      expect(hand.ok).toBe(general.ok);
      if (hand.ok && general.ok) {
        expect(hand.ms).toBe(general.ms);
        accepted += 1;
      } else if (!hand.ok && !general.ok) {
        expect(hand.reason.split(':')[0]).toBe(general.reason.split(':')[0]);
      }
    }
    expect(accepted).toBeGreaterThan(1_000);
  });

  it('formats wall-clock milliseconds as the Date-based text (years 1000–9999 and beyond, leap days, negative and fractional ms)', () => {
    const viaDate = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
    let seed = 3;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed / 2 ** 31);
    const samples = [0, -1, -500, 999, 1000, Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28, 12), Date.UTC(1900, 2, 1), Date.UTC(1000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59)];
    for (let i = 0; i < 20_000; i += 1) samples.push(Math.round((random() - 0.3) * 2 ** 46) + (i % 3 === 0 ? 0.7 : 0));
    for (const ms of samples) expect([ms, formatWallClock(ms)]).toEqual([ms, viaDate(ms)]);
  });

  it('refuses impossible dates and times', () => {
    expect(wall('2026-02-30 10:00')).toMatch(/^ERR 日期不存在/);
    expect(wall('2026-13-01')).toMatch(/^ERR 日期不存在/);
    expect(wall('2026-04-31 25:61')).toMatch(/^ERR 日期不存在/);
    expect(wall('2026-04-30 25:00')).toMatch(/^ERR 时间不存在/);
    expect(wall('1899-01-01')).toMatch(/^ERR 年份不合理/);
    expect(wall('next tuesday')).toMatch(/^ERR 无法识别/);
  });
});

describe('neutralizeFormula', () => {
  it('prefixes cells a spreadsheet would execute, once', () => {
    for (const hostile of [`=cmd|' /C calc'!A0`, '+1+cmd', '-2+3', '@SUM(1+1)', '\t=1']) {
      expect(neutralizeFormula(hostile)).toBe(`'${hostile}`);
      expect(neutralizeFormula(neutralizeFormula(hostile))).toBe(`'${hostile}`);
    }
    expect(neutralizeFormula('反映噪音')).toBe('反映噪音');
  });
});

describe('detectCsvEncoding', () => {
  it('tells UTF-8 (with or without BOM) from GBK', () => {
    const text = '工单编号,受理时间,诉求内容\nGD1,2026-10-01,反映小区噪音扰民\n';
    expect(detectCsvEncoding(Buffer.from(text))).toBe('utf8');
    expect(detectCsvEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toBe('utf8-bom');
    expect(detectCsvEncoding(iconv.encode(text, 'gbk'))).toBe('gb18030');
    // One GBK line inside a UTF-8 file: still UTF-8 (that row is refused, not the whole file garbled).
    expect(detectCsvEncoding(Buffer.concat([Buffer.from(text.repeat(20)), iconv.encode('GD9,2026-10-01,噪音\n', 'gbk')]))).toBe('utf8');
  });
});
