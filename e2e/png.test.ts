import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, dominantColors } from './png.ts';

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, 'ascii'), data, Buffer.alloc(4)]);
}

/** 2×2 RGB PNG using the Sub and Up filters. */
function tinyPng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(2, 0);
  ihdr.writeUInt32BE(2, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  // row 0, filter Sub: red then (red + delta) = yellow; row 1, filter Up: same as row 0 + blue.
  const raw = Buffer.from([1, 255, 0, 0, 0, 255, 0, 2, 0, 0, 255, 0, 0, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('decodePng', () => {
  it('reverses the row filters', () => {
    const image = decodePng(tinyPng());
    expect(image.width).toBe(2);
    expect([...image.pixels]).toEqual([255, 0, 0, 255, 255, 255, 0, 255, 255, 0, 255, 255, 255, 255, 255, 255]);
    expect(dominantColors(image).map((c) => c.color).sort()).toEqual(['#f00', '#f0f', '#ff0', '#fff']);
  });
});
