import simplify from 'simplify-js';

// Minimal GeoJSON types (RFC 7946) for the boundary files; @types/geojson is not a direct dependency.
export type Position = number[];
export interface Polygon {
  type: 'Polygon';
  coordinates: Position[][];
}
export interface MultiPolygon {
  type: 'MultiPolygon';
  coordinates: Position[][][];
}
export type Geometry = Polygon | MultiPolygon | { type: string; coordinates?: unknown };
export interface Feature<G = Geometry, P = Record<string, unknown>> {
  type: 'Feature';
  geometry: G;
  properties: P;
}
export interface FeatureCollection<G = Geometry, P = Record<string, unknown>> {
  type: 'FeatureCollection';
  features: Feature<G, P>[];
}

/** Properties of every boundary feature served under /geo/boundaries. */
export interface BoundaryProperties {
  code: string;
  name: string;
  level: string;
  parent_code: string | null;
}

export type BoundaryFeature = Feature<Polygon | MultiPolygon, BoundaryProperties>;
export type BoundaryCollection = FeatureCollection<Polygon | MultiPolygon, BoundaryProperties>;

export type BBox = [west: number, south: number, east: number, north: number];

function eachPosition(geometry: Geometry, visit: (p: Position) => void): void {
  if (geometry.type === 'Polygon') {
    (geometry as Polygon).coordinates.forEach((ring) => ring.forEach(visit));
  } else if (geometry.type === 'MultiPolygon') {
    (geometry as MultiPolygon).coordinates.forEach((poly) => poly.forEach((ring) => ring.forEach(visit)));
  }
}

/** Bounding box of the features, or null when there are none. */
export function featuresBBox(features: readonly Feature<Geometry, unknown>[]): BBox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const feature of features) {
    if (!feature.geometry) continue;
    eachPosition(feature.geometry, ([x, y]) => {
      if (x === undefined || y === undefined) return;
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
    });
  }
  return west <= east && south <= north ? [west, south, east, north] : null;
}

/** Signed area and centroid of a ring (shoelace formula). */
function ringCentroid(ring: Position[]): { area: number; x: number; y: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i]!;
    const [xj = 0, yj = 0] = ring[j]!;
    const cross = xj * yi - xi * yj;
    area += cross;
    cx += (xj + xi) * cross;
    cy += (yj + yi) * cross;
  }
  area /= 2;
  if (area === 0) {
    const [x = 0, y = 0] = ring[0] ?? [];
    return { area: 0, x, y };
  }
  return { area, x: cx / (6 * area), y: cy / (6 * area) };
}

/**
 * Where to put a unit's name: the centroid of its largest polygon's outer ring (a
 * MultiPolygon's islands must not drag the label into the sea).
 */
export function labelPoint(geometry: Polygon | MultiPolygon): [number, number] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = { area: -1, x: 0, y: 0 };
  for (const polygon of polygons) {
    const outer = polygon[0];
    if (!outer) continue;
    const c = ringCentroid(outer);
    if (Math.abs(c.area) > best.area) best = { ...c, area: Math.abs(c.area) };
  }
  return [best.x, best.y];
}

/** The features whose parent is `parentCode` (or all, when it is undefined). */
export function childrenOf(collection: BoundaryCollection, parentCode: string | undefined): BoundaryFeature[] {
  if (!parentCode) return collection.features;
  return collection.features.filter((f) => f.properties.parent_code === parentCode);
}

/** URL of the boundary file that holds the children of a unit, by the unit's level. */
export function childBoundaryUrl(unitCode: string, base = '/geo/boundaries'): string | null {
  switch (unitCode.length) {
    case 4:
      return `${base}/districts.geojson`;
    case 6:
      return `${base}/streets.geojson`;
    case 9:
      return `${base}/communities/${unitCode.slice(0, 6)}.geojson`;
    case 12:
      return `${base}/grids/${unitCode.slice(0, 9)}.geojson`;
    default:
      return null;
  }
}

/** One edge of a unit's outline (two consecutive ring vertices), drawn by deck's LineLayer. */
export interface OutlineSegment {
  from: [number, number];
  to: [number, number];
  code: string;
}

/** Every ring edge of the features, each tagged with its unit's code. */
export function outlineSegments(features: readonly BoundaryFeature[]): OutlineSegment[] {
  const segments: OutlineSegment[] = [];
  const addRing = (ring: Position[], code: string) => {
    for (let i = 1; i < ring.length; i += 1) {
      const [ax = 0, ay = 0] = ring[i - 1]!;
      const [bx = 0, by = 0] = ring[i]!;
      segments.push({ from: [ax, ay], to: [bx, by], code });
    }
  };
  for (const { geometry, properties } of features) {
    const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
    for (const polygon of polygons) for (const ring of polygon) addRing(ring, properties.code);
  }
  return segments;
}

/**
 * The features whose bounding box meets `bbox` grown by `margin` times its size on every side:
 * the surroundings worth drawing around a view fitted to `bbox` (the camera can still be panned
 * past them; the breadcrumbs are how one moves to another area).
 */
export function featuresNear<F extends Feature<Geometry, unknown>>(features: readonly F[], bbox: BBox, margin: number): F[] {
  const dx = (bbox[2] - bbox[0]) * margin;
  const dy = (bbox[3] - bbox[1]) * margin;
  const [west, south, east, north] = [bbox[0] - dx, bbox[1] - dy, bbox[2] + dx, bbox[3] + dy];
  return features.filter((feature) => {
    const box = featuresBBox([feature]);
    return box !== null && box[0] <= east && box[2] >= west && box[1] <= north && box[3] >= south;
  });
}

/**
 * The features with every ring simplified (Douglas–Peucker, simplify-js) to `tolerance` degrees;
 * rings that shrink below a triangle are dropped, and a polygon with them. For the faint
 * surroundings, at a tolerance under a pixel of the view: the same picture with a fraction of the
 * vertices the GPU has to process in every frame.
 */
export function simplifyFeatures(features: readonly BoundaryFeature[], tolerance: number): BoundaryFeature[] {
  const ring = (points: Position[]): Position[] | null => {
    const kept = simplify(points.map(([x = 0, y = 0]) => ({ x, y })), tolerance, false);
    return kept.length >= 4 ? kept.map((p) => [p.x, p.y]) : null;
  };
  const polygon = (rings: Position[][]): Position[][] | null => {
    const [outer, ...holes] = rings.map(ring);
    return outer ? [outer, ...holes.filter((h): h is Position[] => h !== null)] : null;
  };
  return features.flatMap((feature) => {
    const g = feature.geometry;
    const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).map(polygon).filter((p): p is Position[][] => p !== null);
    if (polygons.length === 0) return [];
    const geometry: Polygon | MultiPolygon = polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0]! } : { type: 'MultiPolygon', coordinates: polygons };
    return [{ ...feature, geometry }];
  });
}
