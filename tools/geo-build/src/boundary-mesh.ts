/**
 * A shared-vertex store for the boundaries of every level. Coordinates are integers in
 * micro-degrees (the 6 decimals we publish), and every ring is a list of vertex ids, so two
 * units that share an edge share the very same vertices. When a child boundary meets its
 * parent's edge at a new point, that point is inserted into every ring running along that
 * edge (parent, its neighbours, their ancestors and already-built children). This keeps
 * all levels an exact planar partition after rounding, instead of leaving 1e-6° slivers.
 */
import type { MultiPolygon, Ring } from './geometry.ts';

export const UNITS_PER_DEGREE = 1e6;

export interface MeshRing {
  ids: number[];
}
export type MeshPolygon = MeshRing[];
export type MeshGeometry = MeshPolygon[];

const MAX_VERTICES = 2 ** 26;

function segmentKey(a: number, b: number): number {
  return a < b ? a * MAX_VERTICES + b : b * MAX_VERTICES + a;
}

export class BoundaryMesh {
  private readonly xs: number[] = [];
  private readonly ys: number[] = [];
  private readonly idByPoint = new Map<string, number>();
  private readonly ringsBySegment = new Map<number, Set<MeshRing>>();

  /** The id of the vertex at integer micro-degree coordinates, created on first use. */
  vertex(x: number, y: number): number {
    const key = `${x},${y}`;
    let id = this.idByPoint.get(key);
    if (id === undefined) {
      id = this.xs.length;
      if (id >= MAX_VERTICES) throw new Error('too many mesh vertices');
      this.xs.push(x);
      this.ys.push(y);
      this.idByPoint.set(key, id);
    }
    return id;
  }

  findVertex(x: number, y: number): number | undefined {
    return this.idByPoint.get(`${x},${y}`);
  }

  x(id: number): number {
    return this.xs[id]!;
  }

  y(id: number): number {
    return this.ys[id]!;
  }

  /** Rounds a degree geometry onto the mesh and registers its rings. */
  addDegrees(geometry: MultiPolygon): MeshGeometry {
    const ids = geometry.map((polygon) =>
      polygon.map((ring) =>
        ring.map(([x, y]) => this.vertex(Math.round(x * UNITS_PER_DEGREE), Math.round(y * UNITS_PER_DEGREE))),
      ),
    );
    return this.addRings(ids);
  }

  /** Registers rings given as vertex ids (open or closed; duplicates are removed). */
  addRings(polygons: number[][][]): MeshGeometry {
    const geometry: MeshGeometry = [];
    for (const polygon of polygons) {
      const rings = polygon.map(simplifyIdRing);
      const [exterior, ...holes] = rings;
      if (!exterior || !this.isSolid(exterior)) continue;
      geometry.push([exterior, ...holes.filter((hole) => this.isSolid(hole))].map((ids) => ({ ids })));
    }
    for (const polygon of geometry) for (const ring of polygon) this.index(ring);
    return geometry;
  }

  toDegrees(geometry: MeshGeometry): MultiPolygon {
    return geometry.map((polygon) =>
      polygon.map((ring) => {
        const points: Ring = ring.ids.map((id) => [this.xs[id]! / UNITS_PER_DEGREE, this.ys[id]! / UNITS_PER_DEGREE]);
        points.push([...points[0]!]);
        return points;
      }),
    );
  }

  /** Twice the signed area in square micro-degrees; exact, as coordinates are taken relative to the first vertex. */
  twiceSignedArea(ids: readonly number[]): number {
    const x0 = this.xs[ids[0]!]!;
    const y0 = this.ys[ids[0]!]!;
    let twice = 0;
    for (let i = 0, n = ids.length; i < n; i++) {
      const a = ids[i]!;
      const b = ids[(i + 1) % n]!;
      twice += (this.xs[a]! - x0) * (this.ys[b]! - y0) - (this.xs[b]! - x0) * (this.ys[a]! - y0);
    }
    return twice;
  }

  /**
   * Inserts `between` (ordered from a to b) into every ring that has the edge a–b, in either
   * direction.
   */
  insertOnSegment(a: number, b: number, between: readonly number[]): void {
    if (between.length === 0) return;
    const key = segmentKey(a, b);
    const rings = this.ringsBySegment.get(key);
    if (!rings) return;
    for (const ring of [...rings]) {
      const { ids } = ring;
      const n = ids.length;
      let changed = false;
      for (let i = n - 1; i >= 0; i--) {
        const current = ids[i]!;
        const next = ids[(i + 1) % n]!;
        if (current === a && next === b) ids.splice(i + 1, 0, ...between);
        else if (current === b && next === a) ids.splice(i + 1, 0, ...[...between].reverse());
        else continue;
        changed = true;
      }
      if (!changed) continue;
      rings.delete(ring);
      this.index(ring);
    }
    if (rings.size === 0) this.ringsBySegment.delete(key);
  }

  private index(ring: MeshRing): void {
    const { ids } = ring;
    for (let i = 0, n = ids.length; i < n; i++) {
      const key = segmentKey(ids[i]!, ids[(i + 1) % n]!);
      let rings = this.ringsBySegment.get(key);
      if (!rings) this.ringsBySegment.set(key, (rings = new Set()));
      rings.add(ring);
    }
  }

  private isSolid(ids: number[]): boolean {
    return ids.length >= 3 && this.twiceSignedArea(ids) !== 0;
  }
}

/** Opens the ring, drops repeated vertices and zero-width spikes (a, b, a). */
export function simplifyIdRing(input: readonly number[]): number[] {
  const ids: number[] = [];
  for (const id of input) {
    if (ids[ids.length - 1] !== id) ids.push(id);
  }
  while (ids.length > 1 && ids[0] === ids[ids.length - 1]) ids.pop();
  let changed = true;
  while (changed && ids.length >= 3) {
    changed = false;
    for (let i = 0; i < ids.length && ids.length >= 3; i++) {
      const n = ids.length;
      const prev = ids[(i - 1 + n) % n]!;
      const next = ids[(i + 1) % n]!;
      if (prev === next) {
        // remove ids[i] and one copy of its twin neighbour
        const removeAt = [i, (i + 1) % n].sort((p, q) => q - p);
        for (const at of removeAt) ids.splice(at, 1);
        changed = true;
        break;
      }
    }
  }
  return ids;
}
