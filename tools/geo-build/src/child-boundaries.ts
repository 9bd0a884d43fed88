/**
 * Builds a parent's child boundaries on the shared mesh: partition in degrees, round to
 * micro-degrees, snap near-coincident vertices together, and insert the points where
 * child edges meet the parent's outline into the outline itself (see boundary-mesh.ts).
 */
import { simplifyIdRing, UNITS_PER_DEGREE, type BoundaryMesh, type MeshGeometry } from './boundary-mesh.ts';
import type { Random } from './prng.ts';
import { bucketSizeFor, VertexBuckets } from './mesh-repair.ts';
import { partitionPolygon } from './voronoi-partition.ts';

/** Rounding moves a point by at most √2/2 unit; allow a little more for clipping error. */
const SNAP_UNITS = 2;

interface Edge {
  a: number;
  b: number;
}

/** Finds existing vertices (exactly, else within SNAP_UNITS) so siblings share them. */
class VertexSnapper {
  private readonly cells = new Map<string, number[]>();
  readonly created: number[] = [];
  private readonly known = new Set<number>();

  constructor(private readonly mesh: BoundaryMesh, initial: Iterable<number>) {
    for (const id of initial) this.remember(id);
  }

  snap(xDegrees: number, yDegrees: number): number {
    const x = Math.round(xDegrees * UNITS_PER_DEGREE);
    const y = Math.round(yDegrees * UNITS_PER_DEGREE);
    let best: number | undefined;
    let bestDistance = Infinity;
    const cx = Math.floor(x / SNAP_UNITS);
    const cy = Math.floor(y / SNAP_UNITS);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const id of this.cells.get(`${cx + dx},${cy + dy}`) ?? []) {
          const distance = Math.max(Math.abs(this.mesh.x(id) - x), Math.abs(this.mesh.y(id) - y));
          if (distance <= SNAP_UNITS && distance < bestDistance) [best, bestDistance] = [id, distance];
        }
      }
    }
    if (best !== undefined) return best;
    const id = this.mesh.vertex(x, y);
    if (!this.known.has(id)) this.created.push(id);
    this.remember(id);
    return id;
  }

  private remember(id: number): void {
    if (this.known.has(id)) return;
    this.known.add(id);
    const key = `${Math.floor(this.mesh.x(id) / SNAP_UNITS)},${Math.floor(this.mesh.y(id) / SNAP_UNITS)}`;
    const cell = this.cells.get(key);
    if (cell) cell.push(id);
    else this.cells.set(key, [id]);
  }
}

/** Grid-bucketed parent edges, to find the edge a new vertex lies on. */
class EdgeIndex {
  private readonly buckets = new Map<string, Edge[]>();

  constructor(private readonly mesh: BoundaryMesh, parent: MeshGeometry, private readonly bucketSize: number) {
    for (const polygon of parent) {
      for (const { ids } of polygon) {
        ids.forEach((a, i) => this.add({ a, b: ids[(i + 1) % ids.length]! }));
      }
    }
  }

  /** The parent edge within SNAP_UNITS of the vertex (strictly between its ends), if any, with its position t. */
  edgeNear(id: number): { edge: Edge; t: number } | undefined {
    const px = this.mesh.x(id);
    const py = this.mesh.y(id);
    let found: { edge: Edge; t: number } | undefined;
    let bestDistance = Infinity;
    for (const edge of this.buckets.get(this.key(px, py)) ?? []) {
      const ax = this.mesh.x(edge.a);
      const ay = this.mesh.y(edge.a);
      const dx = this.mesh.x(edge.b) - ax;
      const dy = this.mesh.y(edge.b) - ay;
      const lengthSquared = dx * dx + dy * dy;
      const t = ((px - ax) * dx + (py - ay) * dy) / lengthSquared;
      if (!(t > 0 && t < 1)) continue;
      const distance = Math.abs((px - ax) * dy - (py - ay) * dx) / Math.sqrt(lengthSquared);
      if (distance <= SNAP_UNITS && distance < bestDistance) [found, bestDistance] = [{ edge, t }, distance];
    }
    return found;
  }

  private key(x: number, y: number): string {
    return `${Math.floor(x / this.bucketSize)},${Math.floor(y / this.bucketSize)}`;
  }

  private add(edge: Edge): void {
    const pad = SNAP_UNITS + 1;
    const [x1, x2] = [this.mesh.x(edge.a), this.mesh.x(edge.b)].sort((p, q) => p - q) as [number, number];
    const [y1, y2] = [this.mesh.y(edge.a), this.mesh.y(edge.b)].sort((p, q) => p - q) as [number, number];
    for (let bx = Math.floor((x1 - pad) / this.bucketSize); bx <= Math.floor((x2 + pad) / this.bucketSize); bx++) {
      for (let by = Math.floor((y1 - pad) / this.bucketSize); by <= Math.floor((y2 + pad) / this.bucketSize); by++) {
        const key = `${bx},${by}`;
        const bucket = this.buckets.get(key);
        if (bucket) bucket.push(edge);
        else this.buckets.set(key, [edge]);
      }
    }
  }
}

/**
 * Splits `parent` into `count` child geometries registered on the mesh (in reading order).
 * Updates the parent (and everything sharing its outline) with the new boundary points.
 */
export function carveChildren(mesh: BoundaryMesh, parent: MeshGeometry, count: number, random: Random): MeshGeometry[] {
  const parentDegrees = mesh.toDegrees(parent);
  const parentIds = parent.flatMap((polygon) => polygon.flatMap((ring) => ring.ids));
  if (count === 1) return [mesh.addRings(parent.map((polygon) => polygon.map((ring) => [...ring.ids])))];

  const cells = partitionPolygon(parentDegrees, count, random);
  const snapper = new VertexSnapper(mesh, parentIds);
  const parentVertices = new VertexBuckets(mesh, parentIds, bucketSizeFor(parentDegrees));
  const children = cells.map((cell) =>
    mesh.addRings(
      cell.map((polygon) =>
        polygon.map((ring) => parentVertices.restoreCollinear(simplifyIdRing(ring.map(([x, y]) => snapper.snap(x, y))))),
      ),
    ),
  );
  children.forEach((child, i) => {
    if (child.length === 0) throw new Error(`child ${i} collapsed when rounded to 1e-6°`);
  });

  const edges = new EdgeIndex(mesh, parent, bucketSizeFor(parentDegrees));
  const insertions = new Map<Edge, { id: number; t: number }[]>();
  for (const id of snapper.created) {
    const hit = edges.edgeNear(id);
    if (!hit) continue;
    const list = insertions.get(hit.edge);
    if (list) list.push({ id, t: hit.t });
    else insertions.set(hit.edge, [{ id, t: hit.t }]);
  }
  for (const [edge, points] of insertions) {
    points.sort((p, q) => p.t - q.t);
    mesh.insertOnSegment(edge.a, edge.b, points.map((p) => p.id));
  }
  return children;
}
