import { parse as parseCsv, type Options as CsvParseOptions } from 'csv-parse';
import { Readable } from 'node:stream';

/**
 * Records of a UTF-8 CSV file, read exactly as csv-parse reads them with the options the
 * importer uses (`csvParseOptions` below) but without csv-parse for the lines it can split
 * by hand: csv-parse cost ~22 µs a row of the importing thread (a state machine per byte, a
 * buffer per field), the hand split ~3. A line is split by hand when it holds no quote
 * character: it is then exactly its cells separated by the delimiter, whatever the CSV
 * dialect. From the first line that holds a quote on, the rest of the file goes to csv-parse
 * itself (quoted fields, quotes inside fields, line breaks inside fields, its errors), told
 * the record delimiter it would have found (it detects it once, at the first line end).
 * csv-records.test.ts compares both over tricky files cut into chunks of every size.
 */
export function csvParseOptions(delimiter: string): CsvParseOptions {
  return { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true, encoding: 'utf8' };
}

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

export async function* readCsvRecords(chunks: AsyncIterable<Buffer>, delimiter: string): AsyncGenerator<string[]> {
  const iterator = chunks[Symbol.asyncIterator]();
  const delimiterByte = Buffer.from(delimiter, 'utf8');
  // Multi-byte delimiters are left to csv-parse.
  const byHand = delimiterByte.length === 1;
  let pending: Buffer = Buffer.alloc(0);
  let started = false;
  /** The record delimiter csv-parse would detect (the first line end); null until seen. */
  let recordDelimiter: Buffer | null = null;
  let done = false;
  /** Lines split by hand so far (each ended by one record delimiter). */
  let linesBefore = 0;

  /** The rest of the file (from `rest` on) read by csv-parse. */
  async function* handOver(rest: Buffer): AsyncGenerator<string[]> {
    const source = Readable.from((async function* () {
      if (rest.length > 0) yield rest;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(), { objectMode: false });
    const options: CsvParseOptions = { ...csvParseOptions(delimiter), bom: !started };
    if (recordDelimiter) options.record_delimiter = recordDelimiter.toString('latin1');
    const parser = source.pipe(parseCsv(options));
    source.on('error', (error) => parser.destroy(error));
    try {
      yield* parser as AsyncIterable<string[]>;
    } catch (error) {
      // csv-parse counts lines from where it started: its errors name the file's line.
      const csvError = error as Error & { lines?: number };
      if (linesBefore > 0 && typeof csvError.lines === 'number') {
        csvError.message = csvError.message.replace(`line ${csvError.lines}`, `line ${csvError.lines + linesBefore}`);
        csvError.lines += linesBefore;
      }
      throw error;
    }
  }

  // The line decoded once and split as a string: a decode per cell (~25 a row) cost more than
  // the split. The same cells: the delimiter is one ASCII byte, never part of a multi-byte
  // sequence, and an invalid sequence before it becomes the same U+FFFD either way.
  const split = (buffer: Buffer, from: number, to: number): string[] => buffer.toString('utf8', from, to).split(delimiter);

  if (!byHand) {
    yield* handOver(Buffer.alloc(0));
    return;
  }
  for (;;) {
    const next = await iterator.next();
    if (next.done) done = true;
    const buffer = next.done ? pending : pending.length > 0 ? Buffer.concat([pending, next.value]) : next.value;
    let position = 0;
    if (!started) {
      // csv-parse's `bom`: one UTF-8 BOM at the very start is dropped.
      if (buffer.length < 3 && !done) {
        pending = buffer;
        continue;
      }
      if (buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf) position = 3;
      started = true;
    }
    if (recordDelimiter === null) {
      let end = position;
      while (end < buffer.length && buffer[end] !== CR && buffer[end] !== LF) end += 1;
      const quote = buffer.indexOf(QUOTE, position);
      if (quote !== -1 && quote < end) {
        // A quote before the first line end: csv-parse detects the record delimiter itself.
        yield* handOver(buffer.subarray(position));
        return;
      }
      if (end === buffer.length || (buffer[end] === CR && end + 1 === buffer.length && !done)) {
        if (!done) {
          pending = buffer.subarray(position);
          continue;
        }
        // No line end at all: the rest is one record.
        if (position < buffer.length) yield split(buffer, position, buffer.length);
        return;
      }
      recordDelimiter = buffer[end] === LF ? Buffer.from('\n') : buffer[end + 1] === LF ? Buffer.from('\r\n') : Buffer.from('\r');
    }
    const lineEnd = recordDelimiter;
    // The buffer's next quote at or after `position`, searched again only once passed: a search
    // per line scanned the rest of the 64 KB chunk for every line of a file without quotes.
    let quote = buffer.indexOf(QUOTE, position);
    for (;;) {
      const end = lineEnd.length === 1 ? buffer.indexOf(lineEnd[0]!, position) : buffer.indexOf(lineEnd, position);
      if (end === -1 && !done) break;
      const to = end === -1 ? buffer.length : end;
      if (quote !== -1 && quote < position) quote = buffer.indexOf(QUOTE, position);
      if (quote !== -1 && quote < to) {
        yield* handOver(buffer.subarray(position));
        return;
      }
      if (end === -1) {
        // The last line, without a line end.
        if (position < buffer.length) yield split(buffer, position, buffer.length);
        return;
      }
      linesBefore += 1;
      yield split(buffer, position, to);
      position = end + lineEnd.length;
    }
    pending = buffer.subarray(position);
  }
}
