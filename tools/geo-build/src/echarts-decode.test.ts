import { describe, expect, it } from 'vitest';
import { decodeFeatureCollection, decodeRing, extractRegisteredMap, type EncodedFeatureCollection } from './echarts-decode.ts';

// Hand-encoded: start at the offset (100°, 30°) × 1024, then deltas (0,0) (+2,0) (0,+2) (−2,−1) (0,−1).
// Zigzag: 0→0 '@', +2→4 'D', −1→1 'A', −2→3 'C'; each character is 64 + the zigzag value.
const SQUARE = '@@D@@DCA@A';
const OFFSET: [number, number] = [102_400, 30_720];
const u = 1 / 1024;

describe('decodeRing', () => {
  it('decodes zigzag deltas from the encode offset, scaled by 1024', () => {
    expect(decodeRing(SQUARE, OFFSET)).toEqual([
      [100, 30],
      [100 + 2 * u, 30],
      [100 + 2 * u, 30 + 2 * u],
      [100, 30 + u],
      [100, 30],
    ]);
  });

  it('honours a custom scale and rejects odd-length strings', () => {
    expect(decodeRing('D@', [0, 0], 2)).toEqual([[1, 0]]);
    expect(() => decodeRing('D', [0, 0])).toThrow(/odd length/);
  });
});

describe('decodeFeatureCollection', () => {
  const collection: EncodedFeatureCollection = {
    type: 'FeatureCollection',
    UTF8Encoding: true,
    features: [
      { type: 'Feature', properties: { name: '甲区' }, geometry: { type: 'Polygon', coordinates: [SQUARE], encodeOffsets: [OFFSET] } },
      {
        type: 'Feature',
        properties: { name: '乙县' },
        geometry: { type: 'MultiPolygon', coordinates: [[SQUARE], ['@@']], encodeOffsets: [[OFFSET], [[1024, 2048]]] },
      },
    ],
  };

  it('decodes polygons and multipolygons into multipolygons', () => {
    const [a, b] = decodeFeatureCollection(collection);
    expect(a?.name).toBe('甲区');
    expect(a?.polygons).toHaveLength(1);
    expect(a?.polygons[0]?.[0]?.[2]).toEqual([100 + 2 * u, 30 + 2 * u]);
    expect(b?.polygons.map((p) => p[0]?.[0])).toEqual([[100, 30], [1, 2]]);
  });

  it('uses UTF8Scale when present and refuses unencoded maps', () => {
    const scaled = decodeFeatureCollection({ ...collection, UTF8Scale: 2048 });
    expect(scaled[0]?.polygons[0]?.[0]?.[0]).toEqual([50, 15]);
    expect(() => decodeFeatureCollection({ ...collection, UTF8Encoding: false })).toThrow();
  });

  it('extracts the map JSON from the UMD module without running it', () => {
    const source = `(function (root, factory) {factory({}, root.echarts);}(this, function (exports, echarts) {echarts.registerMap('成都', ${JSON.stringify(collection)});}));`;
    expect(extractRegisteredMap(source)).toEqual(collection);
  });
});
