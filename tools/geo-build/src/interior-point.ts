/**
 * A representative point guaranteed inside a (multi)polygon: the pole of inaccessibility
 * (the interior point farthest from the outline) of its largest part, found with the
 * polylabel algorithm (Agafonkin 2016, https://github.com/mapbox/polylabel).
 */
import { pointInMultiPolygon, pointInPolygon, polygonArea, roundCoordinate, type MultiPolygon, type Point, type Polygon } from './geometry.ts';

interface Cell {
  x: number;
  y: number;
  half: number;
  distance: number;
  potential: number;
}

function squaredSegmentDistance(px: number, py: number, a: Point, b: Point): number {
  let [x, y] = a;
  let dx = b[0] - x;
  let dy = b[1] - y;
  if (dx !== 0 || dy !== 0) {
    const t = ((px - x) * dx + (py - y) * dy) / (dx * dx + dy * dy);
    if (t > 1) [x, y] = b;
    else if (t > 0) [x, y] = [x + dx * t, y + dy * t];
  }
  dx = px - x;
  dy = py - y;
  return dx * dx + dy * dy;
}

/** Distance to the outline, positive inside. */
function signedDistance(x: number, y: number, polygon: Polygon): number {
  let minSquared = Infinity;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      minSquared = Math.min(minSquared, squaredSegmentDistance(x, y, ring[i]!, ring[j]!));
    }
  }
  return (pointInPolygon([x, y], polygon) ? 1 : -1) * Math.sqrt(minSquared);
}

function makeCell(x: number, y: number, half: number, polygon: Polygon): Cell {
  const distance = signedDistance(x, y, polygon);
  return { x, y, half, distance, potential: distance + half * Math.SQRT2 };
}

/** Max-heap on `potential`. */
class CellQueue {
  private readonly items: Cell[] = [];
  get size(): number {
    return this.items.length;
  }
  push(cell: Cell): void {
    const items = this.items;
    items.push(cell);
    for (let i = items.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.potential >= items[i]!.potential) break;
      [items[parent], items[i]] = [items[i]!, items[parent]!];
      i = parent;
    }
  }
  pop(): Cell | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last) {
      items[0] = last;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < items.length && items[left]!.potential > items[largest]!.potential) largest = left;
        if (right < items.length && items[right]!.potential > items[largest]!.potential) largest = right;
        if (largest === i) break;
        [items[largest], items[i]] = [items[i]!, items[largest]!];
        i = largest;
      }
    }
    return top;
  }
}

export function poleOfInaccessibility(polygon: Polygon, precision: number): Point {
  const exterior = polygon[0]!;
  const xs = exterior.map((p) => p[0]);
  const ys = exterior.map((p) => p[1]);
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const cellSize = Math.min(maxX - minX, maxY - minY);
  if (cellSize === 0) return [minX, minY];
  const queue = new CellQueue();
  for (let x = minX; x < maxX; x += cellSize) {
    for (let y = minY; y < maxY; y += cellSize) queue.push(makeCell(x + cellSize / 2, y + cellSize / 2, cellSize / 2, polygon));
  }
  let best = makeCell((minX + maxX) / 2, (minY + maxY) / 2, 0, polygon);
  for (let cell = queue.pop(); cell; cell = queue.pop()) {
    if (cell.distance > best.distance) best = cell;
    if (cell.potential - best.distance <= precision) continue;
    const half = cell.half / 2;
    for (const [sx, sy] of [[-1, -1], [1, -1], [-1, 1], [1, 1]] as const) {
      queue.push(makeCell(cell.x + sx * half, cell.y + sy * half, half, polygon));
    }
  }
  return [best.x, best.y];
}

/** Interior point of the largest part, rounded to 6 decimals and checked to be inside. */
export function representativePoint(shape: MultiPolygon): Point {
  const largest = [...shape].sort((a, b) => polygonArea(b) - polygonArea(a))[0];
  if (!largest) throw new Error('empty geometry has no representative point');
  const precision = Math.max(1e-7, Math.sqrt(polygonArea(largest)) / 500);
  const [x, y] = poleOfInaccessibility(largest, precision);
  const rounded: Point = [roundCoordinate(x), roundCoordinate(y)];
  if (!pointInMultiPolygon(rounded, shape)) throw new Error(`representative point ${rounded.join(',')} fell outside`);
  return rounded;
}
