/**
 * Repairs for polygon-clipping output placed on the mesh: it drops points that are collinear
 * with their neighbours. If such a point is a vertex a neighbouring unit has, the edge would
 * skip it and later insertions on that stretch would miss this ring. Put those vertices back.
 */
import polygonClipping from 'polygon-clipping';
import { simplifyIdRing, UNITS_PER_DEGREE, type BoundaryMesh, type MeshGeometry } from './boundary-mesh.ts';
import type { MultiPolygon } from './geometry.ts';

/** Three points rounded to whole units can be up to ~1.4 units off a common line. */
const COLLINEAR_UNITS = 1.5;

/** Mesh vertices bucketed on a square grid, to find those lying on a segment. */
export class VertexBuckets {
  private readonly buckets = new Map<string, number[]>();

  constructor(private readonly mesh: BoundaryMesh, ids: Iterable<number>, private readonly bucketSize: number) {
    for (const id of new Set(ids)) {
      const key = this.key(mesh.x(id), mesh.y(id));
      const bucket = this.buckets.get(key);
      if (bucket) bucket.push(id);
      else this.buckets.set(key, [id]);
    }
  }

  restoreCollinear(ring: readonly number[]): number[] {
    const out: number[] = [];
    ring.forEach((u, i) => {
      out.push(u);
      const w = ring[(i + 1) % ring.length]!;
      out.push(...this.verticesOn(u, w));
    });
    return out;
  }

  /** Vertices within COLLINEAR_UNITS of segment u–w, strictly between its ends, ordered from u. */
  private verticesOn(u: number, w: number): number[] {
    const { mesh } = this;
    const [ux, uy, wx, wy] = [mesh.x(u), mesh.y(u), mesh.x(w), mesh.y(w)];
    const dx = wx - ux;
    const dy = wy - uy;
    const lengthSquared = dx * dx + dy * dy;
    if (lengthSquared === 0) return [];
    const found: { id: number; t: number }[] = [];
    const [bx1, bx2] = [Math.floor(Math.min(ux, wx) / this.bucketSize), Math.floor(Math.max(ux, wx) / this.bucketSize)];
    const [by1, by2] = [Math.floor(Math.min(uy, wy) / this.bucketSize), Math.floor(Math.max(uy, wy) / this.bucketSize)];
    for (let bx = bx1; bx <= bx2; bx++) {
      for (let by = by1; by <= by2; by++) {
        for (const id of this.buckets.get(`${bx},${by}`) ?? []) {
          if (id === u || id === w) continue;
          const px = mesh.x(id) - ux;
          const py = mesh.y(id) - uy;
          const t = (px * dx + py * dy) / lengthSquared;
          if (t > 0 && t < 1 && Math.abs(px * dy - py * dx) <= COLLINEAR_UNITS * Math.sqrt(lengthSquared)) found.push({ id, t });
        }
      }
    }
    return found.sort((a, b) => a.t - b.t).map((f) => f.id);
  }

  private key(x: number, y: number): string {
    return `${Math.floor(x / this.bucketSize)},${Math.floor(y / this.bucketSize)}`;
  }
}

export function bucketSizeFor(shape: MultiPolygon): number {
  let minX = Infinity;
  let maxX = -Infinity;
  let vertices = 0;
  for (const polygon of shape) {
    for (const ring of polygon) {
      vertices += ring.length;
      for (const [x] of ring) [minX, maxX] = [Math.min(minX, x), Math.max(maxX, x)];
    }
  }
  return Math.max(50, Math.round(((maxX - minX) * UNITS_PER_DEGREE) / Math.sqrt(vertices)));
}

/**
 * The union of `parts` as mesh rings, reusing existing vertices. Used for the city outline
 * and to merge district parts that touch; throws if the union invents new vertices (which
 * would not be shared with the neighbours).
 */
export function addUnion(mesh: BoundaryMesh, parts: MultiPolygon[], vertices: VertexBuckets): MeshGeometry {
  const union = polygonClipping.union(...(parts as [MultiPolygon, ...MultiPolygon[]])) as MultiPolygon;
  const ids = union.map((polygon) =>
    polygon.map((ring) =>
      vertices.restoreCollinear(
        simplifyIdRing(
          ring.map(([x, y]) => {
            const id = mesh.findVertex(Math.round(x * UNITS_PER_DEGREE), Math.round(y * UNITS_PER_DEGREE));
            if (id === undefined) throw new Error(`union created a new vertex at ${x},${y}`);
            return id;
          }),
        ),
      ),
    ),
  );
  return mesh.addRings(ids);
}
