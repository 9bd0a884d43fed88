/**
 * Illustrative subdivision of a polygon into `count` cells: seed points sampled inside it,
 * relaxed with a few Lloyd (k-means) iterations on a point sample, then Voronoi cells over
 * the bounding box clipped to the polygon. There is no public street or community boundary
 * data, so these shapes are plausible, not real.
 */
import { Delaunay } from 'd3-delaunay';
import polygonClipping from 'polygon-clipping';
import { bboxOf, pointInMultiPolygon, type MultiPolygon, type Point } from './geometry.ts';
import { uniform, type Random } from './prng.ts';

const SAMPLES_PER_CELL = 30;
const LLOYD_ITERATIONS = 5;

export function samplePointsInside(shape: MultiPolygon, count: number, random: Random): Point[] {
  const box = bboxOf(shape);
  const points: Point[] = [];
  const maxAttempts = count * 500;
  for (let attempt = 0; points.length < count && attempt < maxAttempts; attempt++) {
    const point: Point = [uniform(random, box.minX, box.maxX), uniform(random, box.minY, box.maxY)];
    if (pointInMultiPolygon(point, shape)) points.push(point);
  }
  if (points.length < count) throw new Error(`could only place ${points.length} of ${count} points inside a polygon`);
  return points;
}

/** Lloyd relaxation approximated by k-means over a uniform sample of the polygon. */
export function relaxedSeeds(shape: MultiPolygon, count: number, random: Random): Point[] {
  const samples = samplePointsInside(shape, Math.max(count * SAMPLES_PER_CELL, 60), random);
  const seeds = samples.slice(0, count).map((point): Point => [point[0], point[1]]);
  for (let iteration = 0; iteration < LLOYD_ITERATIONS; iteration++) {
    const sums = seeds.map(() => ({ x: 0, y: 0, n: 0, members: [] as Point[] }));
    for (const sample of samples) {
      let best = 0;
      let bestDistance = Infinity;
      seeds.forEach((seed, i) => {
        const distance = (seed[0] - sample[0]) ** 2 + (seed[1] - sample[1]) ** 2;
        if (distance < bestDistance) [best, bestDistance] = [i, distance];
      });
      const sum = sums[best]!;
      sum.x += sample[0];
      sum.y += sample[1];
      sum.n += 1;
      sum.members.push(sample);
    }
    sums.forEach((sum, i) => {
      if (sum.n === 0) return;
      const centroid: Point = [sum.x / sum.n, sum.y / sum.n];
      // A centroid can fall outside a concave polygon: take the member sample nearest to it.
      seeds[i] = pointInMultiPolygon(centroid, shape) ? centroid : nearest(centroid, sum.members);
    });
  }
  return distinct(seeds, samples);
}

function nearest(target: Point, candidates: Point[]): Point {
  let best = candidates[0]!;
  for (const point of candidates) {
    if ((point[0] - target[0]) ** 2 + (point[1] - target[1]) ** 2 < (best[0] - target[0]) ** 2 + (best[1] - target[1]) ** 2)
      best = point;
  }
  return [best[0], best[1]];
}

/** Duplicate seeds would get empty Voronoi cells: replace them with unused samples. */
function distinct(seeds: Point[], spares: Point[]): Point[] {
  const seen = new Set<string>();
  let spare = 0;
  return seeds.map((seed) => {
    let point = seed;
    while (seen.has(`${point[0]},${point[1]}`)) point = spares[spare++]!;
    seen.add(`${point[0]},${point[1]}`);
    return point;
  });
}

/** Reading order (north to south in bands, west to east within a band), so numbering is legible. */
export function sortReadingOrder(points: Point[]): Point[] {
  if (points.length < 2) return points;
  const ys = points.map((p) => p[1]);
  const top = Math.max(...ys);
  const bandHeight = (top - Math.min(...ys)) / Math.ceil(Math.sqrt(points.length)) || 1;
  const band = (p: Point): number => Math.min(Math.floor((top - p[1]) / bandHeight), Math.ceil(Math.sqrt(points.length)) - 1);
  return [...points].sort((a, b) => band(a) - band(b) || a[0] - b[0] || b[1] - a[1]);
}

/** Cells in reading order; each is a non-empty (multi)polygon and together they tile `shape`. */
export function partitionPolygon(shape: MultiPolygon, count: number, random: Random): MultiPolygon[] {
  if (count < 1) throw new RangeError('need at least one cell');
  if (count === 1) return [shape];
  const seeds = sortReadingOrder(relaxedSeeds(shape, count, random));
  const box = bboxOf(shape);
  const margin = Math.max(box.maxX - box.minX, box.maxY - box.minY) * 0.01;
  const voronoi = Delaunay.from(seeds).voronoi([box.minX - margin, box.minY - margin, box.maxX + margin, box.maxY + margin]);
  return seeds.map((_, i) => {
    const cell = voronoi.cellPolygon(i) as Point[] | null;
    if (!cell) throw new Error(`empty Voronoi cell ${i}`);
    const clipped = polygonClipping.intersection([cell], shape) as MultiPolygon;
    if (clipped.length === 0) throw new Error(`Voronoi cell ${i} misses the polygon`);
    return clipped;
  });
}
