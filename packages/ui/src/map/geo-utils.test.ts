import { describe, expect, it } from 'vitest';
import { childBoundaryUrl, featuresBBox, featuresNear, labelPoint, outlineSegments, simplifyFeatures, type BoundaryFeature, type MultiPolygon, type Polygon, type Position } from './geo-utils.ts';

const square = (x: number, y: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + size, y],
      [x + size, y + size],
      [x, y + size],
      [x, y],
    ],
  ],
});

describe('featuresBBox', () => {
  it('spans all features', () => {
    const features = [square(104, 30, 1), square(103, 31, 0.5)].map((geometry) => ({
      type: 'Feature' as const,
      geometry,
      properties: {},
    }));
    expect(featuresBBox(features)).toEqual([103, 30, 105, 31.5]);
  });
  it('is null for no features', () => {
    expect(featuresBBox([])).toBeNull();
  });
});

describe('labelPoint', () => {
  it('is the centroid of a square', () => {
    expect(labelPoint(square(0, 0, 2))).toEqual([1, 1]);
  });
  it('uses the largest polygon of a MultiPolygon', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(10, 10, 0.1).coordinates, square(0, 0, 4).coordinates],
    };
    expect(labelPoint(multi)).toEqual([2, 2]);
  });
});

describe('childBoundaryUrl', () => {
  it('maps each level to the file holding its children', () => {
    expect(childBoundaryUrl('5101')).toBe('/geo/boundaries/districts.geojson');
    expect(childBoundaryUrl('510104')).toBe('/geo/boundaries/streets.geojson');
    expect(childBoundaryUrl('510104017')).toBe('/geo/boundaries/communities/510104.geojson');
    expect(childBoundaryUrl('510104017001')).toBe('/geo/boundaries/grids/510104017.geojson');
    expect(childBoundaryUrl('510104017001001')).toBeNull();
  });
});

const feature = (code: string, geometry: Polygon | MultiPolygon): BoundaryFeature => ({
  type: 'Feature',
  properties: { code, name: code, level: 'street', parent_code: null },
  geometry,
});

describe('outlineSegments', () => {
  it('gives every ring edge once, tagged with its unit, holes and islands included', () => {
    const withHole: Polygon = { type: 'Polygon', coordinates: [square(0, 0, 4).coordinates[0]!, square(1, 1, 1).coordinates[0]!] };
    const islands: MultiPolygon = { type: 'MultiPolygon', coordinates: [square(10, 0, 1).coordinates, square(20, 0, 1).coordinates] };
    const segments = outlineSegments([feature('a', withHole), feature('b', islands)]);
    expect(segments).toHaveLength(16);
    expect(segments.filter((s) => s.code === 'a')).toHaveLength(8);
    expect(segments[0]).toEqual({ from: [0, 0], to: [4, 0], code: 'a' });
    expect(segments.at(-1)).toEqual({ from: [20, 1], to: [20, 0], code: 'b' });
  });
});

describe('featuresNear', () => {
  it('keeps features meeting the box grown by the margin', () => {
    const features = [feature('inside', square(0, 0, 1)), feature('neighbour', square(1.5, 0, 1)), feature('far', square(5, 5, 1))];
    expect(featuresNear(features, [0, 0, 1, 1], 1).map((f) => f.properties.code)).toEqual(['inside', 'neighbour']);
    expect(featuresNear(features, [0, 0, 1, 1], 0).map((f) => f.properties.code)).toEqual(['inside']);
    expect(featuresNear(features, [0, 0, 1, 1], 5).map((f) => f.properties.code)).toEqual(['inside', 'neighbour', 'far']);
  });
});

describe('simplifyFeatures', () => {
  it('drops vertices within the tolerance, keeps rings closed, and drops rings that vanish', () => {
    // A square whose edges carry many nearly collinear vertices, a tiny hole and a tiny island.
    const wobbly: Position[] = [];
    for (let i = 0; i <= 100; i += 1) wobbly.push([i / 100, (i % 2) * 1e-6]);
    const outer: Position[] = [...wobbly, [1, 1], [0, 1], [0, 0]];
    const hole = square(0.5, 0.5, 1e-7).coordinates[0]!;
    const geometry: MultiPolygon = { type: 'MultiPolygon', coordinates: [[outer, hole], square(5, 5, 1e-7).coordinates] };
    const [simplified, ...rest] = simplifyFeatures([feature('a', geometry)], 1e-4);
    expect(rest).toEqual([]);
    expect(simplified!.properties.code).toBe('a');
    expect(simplified!.geometry).toEqual({ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] });
  });

  it('keeps a unit whose outline is already simple as it is, and drops one that vanishes', () => {
    expect(simplifyFeatures([feature('s', square(0, 0, 1))], 1e-4)[0]!.geometry).toEqual(square(0, 0, 1));
    expect(simplifyFeatures([feature('dot', square(0, 0, 1e-7))], 1e-4)).toEqual([]);
  });
});
