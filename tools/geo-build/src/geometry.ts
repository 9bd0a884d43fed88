/**
 * Planar geometry on lng/lat degrees. Rings are closed (first point repeated last), as in
 * GeoJSON and polygon-clipping. Areas are in square degrees: only ratios matter here.
 */
export type Point = [number, number];
export type Ring = Point[];
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];

export interface BBox {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * Shoelace area, positive when counter-clockwise. Works for closed or open rings. Coordinates
 * are taken relative to the first point, which keeps small rings at lng ≈ 104 accurate.
 */
export function ringSignedArea(ring: readonly Point[]): number {
  const origin = ring[0];
  if (!origin) return 0;
  const [x0, y0] = origin;
  let twice = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i]!;
    const [x2, y2] = ring[(i + 1) % n]!;
    twice += (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  }
  return twice / 2;
}

/** Exterior minus holes, regardless of winding. */
export function polygonArea(polygon: Polygon): number {
  return polygon.reduce((sum, ring, i) => sum + (i === 0 ? 1 : -1) * Math.abs(ringSignedArea(ring)), 0);
}

export function multiPolygonArea(multi: MultiPolygon): number {
  return multi.reduce((sum, polygon) => sum + polygonArea(polygon), 0);
}

export function ringPerimeter(ring: readonly Point[]): number {
  let length = 0;
  for (let i = 1; i < ring.length; i++) length += Math.hypot(ring[i]![0] - ring[i - 1]![0], ring[i]![1] - ring[i - 1]![1]);
  return length;
}

/** Even-odd ray casting; points exactly on an edge may go either way. */
export function pointInRing(point: Point, ring: readonly Point[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function pointInPolygon(point: Point, polygon: Polygon): boolean {
  const [exterior, ...holes] = polygon;
  if (!exterior || !pointInRing(point, exterior)) return false;
  return !holes.some((hole) => pointInRing(point, hole));
}

export function pointInMultiPolygon(point: Point, multi: MultiPolygon): boolean {
  return multi.some((polygon) => pointInPolygon(point, polygon));
}

export function bboxOf(multi: MultiPolygon): BBox {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const polygon of multi) {
    for (const [x, y] of polygon[0] ?? []) {
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x);
      box.maxY = Math.max(box.maxY, y);
    }
  }
  return box;
}

/** Drops consecutive duplicates and closes the ring. */
export function cleanRing(ring: readonly Point[]): Ring {
  const out: Ring = [];
  for (const point of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push([point[0], point[1]]);
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (first && last && out.length > 1 && (first[0] !== last[0] || first[1] !== last[1])) out.push([first[0], first[1]]);
  return out;
}

/** GeoJSON (RFC 7946) winding: exteriors counter-clockwise, holes clockwise. */
export function orientRfc7946(multi: MultiPolygon): MultiPolygon {
  return multi.map((polygon) =>
    polygon.map((ring, i) => {
      const counterClockwise = ringSignedArea(ring) > 0;
      return counterClockwise === (i === 0) ? ring : [...ring].reverse();
    }),
  );
}

export function roundCoordinate(value: number, decimals = 6): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
