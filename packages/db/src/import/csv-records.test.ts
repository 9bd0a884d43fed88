import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { csvParseOptions, readCsvRecords } from './csv-records.ts';
import { FIXTURES_DIR } from './test-helpers.ts';

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Records (and a final error, if any) as csv-parse alone reads them. */
async function viaCsvParse(bytes: Buffer, delimiter: string, chunk: number): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const record of Readable.from(chunksOf(bytes, chunk)).pipe(parse(csvParseOptions(delimiter)))) out.push(record);
  } catch (error) {
    out.push(`error: ${(error as Error).message}`);
  }
  return out;
}

async function viaRecords(bytes: Buffer, delimiter: string, chunk: number): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const record of readCsvRecords(Readable.from(chunksOf(bytes, chunk)), delimiter)) out.push(record);
  } catch (error) {
    out.push(`error: ${(error as Error).message}`);
  }
  return out;
}

const CASES: [name: string, bytes: Buffer, delimiter: string][] = [
  ['CRLF', Buffer.from('a,b\r\nc,d\r\n'), ','],
  ['LF, no final line end', Buffer.from('a,b\nc,d'), ','],
  ['CR only', Buffer.from('a,b\rc,d\r'), ','],
  ['BOM, blank line in the middle', Buffer.from('\uFEFFa,b\r\n1,2\r\n\r\n3,4\r\n'), ','],
  ['only one BOM is stripped', Buffer.from('\uFEFF\uFEFFa,b\r\n1,2\r\n'), ','],
  ['quoted field with a comma, after plain lines', Buffer.from('a,b\r\n1,2\r\n1,"x,y"\r\n2,z\r\n'), ','],
  ['quote inside an unquoted field, quoted line break', Buffer.from('a,b\n1,x"y\n2,"q\nr"\n3,s\n'), ','],
  ['quote in the header line', Buffer.from('"a",b\r\n1,2\r\n'), ','],
  ['tabs', Buffer.from('a\tb\r\n1\t2\r\n'), '\t'],
  ['semicolons, no final line end', Buffer.from('a;b\r\n1;2'), ';'],
  ['mixed line ends after CRLF', Buffer.from('a,b\r\n1,2\n3,4\r\n5\r'), ','],
  ['mixed line ends after LF', Buffer.from('a,b\n1,2\r\n3,4\n'), ','],
  ['empty file', Buffer.alloc(0), ','],
  ['only a BOM', Buffer.from('\uFEFF'), ','],
  ['one cell, no line end', Buffer.from('a'), ','],
  ['empty and blank cells', Buffer.from('a,b\r\n,,\r\n , \r\n'), ','],
  ['closing quote followed by text', Buffer.from('a,b\r\n1,2\r\n1,"x"y,2\r\n'), ','],
  ['last line ends with a lone CR', Buffer.from('a,b\r\n1,2\r'), ','],
  ['invalid UTF-8 and Chinese', Buffer.concat([Buffer.from('a,b\r\n'), Buffer.from([0xff, 0xfe, 0x2c, 0xe4, 0xb8]), Buffer.from('\r\n1,中文\r\n')]), ','],
  ['Chinese cut by every chunk boundary', Buffer.from('工单编号,诉求内容\r\nGD1,反映小区停水超过24小时\r\nGD2,"含引号""的内容"\r\n'), ','],
];

describe('readCsvRecords = csv-parse with the importer options', () => {
  it.each(CASES)('%s, cut into chunks of 1 … 65,536 bytes', async (_, bytes, delimiter) => {
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 16]) {
      expect(await viaRecords(bytes, delimiter, chunk)).toEqual(await viaCsvParse(bytes, delimiter, chunk));
    }
  });

  it('an unclosed quote ends in csv-parse’s own error, naming the same line (records before it may come first)', async () => {
    for (const text of ['a,b\r\n1,"unclosed\r\n2,3\r\n', 'a,b\r\n1,2\r\n3,4\r\n5,"x\r\n6,7']) {
      const bytes = Buffer.from(text);
      const expected = await viaCsvParse(bytes, ',', 1 << 16);
      const got = await viaRecords(bytes, ',', 1 << 16);
      expect(String(expected.at(-1))).toMatch(/^error: Quote Not Closed.* at line \d+$/);
      expect(got.at(-1)).toBe(expected.at(-1));
    }
  });

  it('reads every UTF-8 fixture file as csv-parse does', async () => {
    const files = readdirSync(FIXTURES_DIR).filter((file) => file.endsWith('.csv') && !file.includes('gbk'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const bytes = readFileSync(path.join(FIXTURES_DIR, file));
      for (const chunk of [997, 1 << 16]) {
        const expected = await viaCsvParse(bytes, ',', chunk);
        expect(expected.length).toBeGreaterThan(1);
        expect(await viaRecords(bytes, ',', chunk)).toEqual(expected);
      }
    }
  });

  it('a fixture file with quoted cells added midway (the rest handed to csv-parse)', async () => {
    const text = iconv.decode(readFileSync(path.join(FIXTURES_DIR, 'hotline-2026-10.csv')), 'utf8');
    const lines = text.split('\r\n');
    lines[40] = `${lines[40]},"引号,逗号""与换行\r\n第二行"`;
    const bytes = Buffer.from(lines.join('\r\n'));
    for (const chunk of [333, 1 << 16]) expect(await viaRecords(bytes, ',', chunk)).toEqual(await viaCsvParse(bytes, ',', chunk));
  });
});
