import { latLngToCell } from 'h3-js';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from '../database.ts';
import { listUnitsOfLevel } from '../units-store.ts';
import { apportionSlots, deriveRng, type Rng } from './random.ts';

/** Candidate event locations per grid ("addresses"); events pick one of them. */
export const POINTS_PER_GRID = 16;
/** Slots of each sampling pool; a unit's share of slots is its share of demand. */
export const POOL_SLOTS = 1024;

export interface GridInfo {
  code: string;
  communityCode: string;
  streetCode: string;
  districtCode: string;
  population: number;
  lng: number;
  lat: number;
}

export interface Points {
  grids: GridInfo[];
  lng: Float64Array;
  lat: Float64Array;
  h3r7: string[];
  h3r8: string[];
  h3r9: string[];
}

export interface PoolSlot {
  poolId: number;
  slot: number;
  pointBase: number;
  pointSpan: number;
}

type Ring = number[][];
type PolygonRings = Ring[];

export async function loadGrids(db: Database): Promise<GridInfo[]> {
  const grids = await listUnitsOfLevel(db, 'grid');
  return grids.map((grid) => ({
    code: grid.code,
    communityCode: grid.code.slice(0, 12),
    streetCode: grid.code.slice(0, 9),
    districtCode: grid.code.slice(0, 6),
    population: grid.population,
    lng: grid.lng,
    lat: grid.lat,
  }));
}

/**
 * Builds POINTS_PER_GRID points per grid: inside the grid's polygon when
 * data/geo/boundaries/grids/*.geojson is available (rejection sampling), otherwise scattered
 * around the grid's centroid. Coordinates are rounded to 6 decimals (~0.1 m), which also
 * lets DuckDB compress them well.
 */
export function buildPoints(grids: GridInfo[], seed: number, boundariesDir?: string): Points {
  const rng = deriveRng(seed, 'points');
  const polygons = boundariesDir ? loadGridPolygons(join(boundariesDir, 'grids')) : new Map<string, PolygonRings[]>();
  const count = grids.length * POINTS_PER_GRID;
  const points: Points = { grids, lng: new Float64Array(count), lat: new Float64Array(count), h3r7: [], h3r8: [], h3r9: [] };
  grids.forEach((grid, gridIndex) => {
    const shape = polygons.get(grid.code);
    for (let j = 0; j < POINTS_PER_GRID; j += 1) {
      const [lng, lat] = shape ? samplePolygon(rng, shape, grid) : scatterAround(rng, grid);
      const id = gridIndex * POINTS_PER_GRID + j;
      points.lng[id] = Math.round(lng * 1e6) / 1e6;
      points.lat[id] = Math.round(lat * 1e6) / 1e6;
      points.h3r7.push(latLngToCell(points.lat[id]!, points.lng[id]!, 7));
      points.h3r8.push(latLngToCell(points.lat[id]!, points.lng[id]!, 8));
      points.h3r9.push(latLngToCell(points.lat[id]!, points.lng[id]!, 9));
    }
  });
  return points;
}

function scatterAround(rng: Rng, grid: GridInfo): [number, number] {
  // ~150 m standard deviation: the size of an urban micro-grid (30–100 households).
  const radius = 0.0015 * Math.sqrt(-2 * Math.log(Math.max(rng(), 1e-9)));
  const angle = 2 * Math.PI * rng();
  return [grid.lng + radius * Math.cos(angle), grid.lat + radius * Math.sin(angle) * 0.86];
}

function samplePolygon(rng: Rng, shape: PolygonRings[], grid: GridInfo): [number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const polygon of shape) for (const [x, y] of polygon[0] ?? []) {
    minX = Math.min(minX, x!); maxX = Math.max(maxX, x!); minY = Math.min(minY, y!); maxY = Math.max(maxY, y!);
  }
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const x = minX + (maxX - minX) * rng();
    const y = minY + (maxY - minY) * rng();
    if (shape.some((polygon) => insidePolygon(x, y, polygon))) return [x, y];
  }
  return [grid.lng, grid.lat];
}

/** Even-odd ray casting; holes are the polygon's later rings. */
function insidePolygon(x: number, y: number, rings: PolygonRings): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i, i += 1) {
      const [xi, yi] = ring[i]!;
      const [xj, yj] = ring[j]!;
      if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
    }
  }
  return inside;
}

function loadGridPolygons(dir: string): Map<string, PolygonRings[]> {
  const shapes = new Map<string, PolygonRings[]>();
  if (!existsSync(dir)) return shapes;
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.geojson')) continue;
    const collection = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      features: { properties: { code?: string }; geometry: { type: string; coordinates: unknown } | null }[];
    };
    for (const feature of collection.features) {
      const code = feature.properties.code;
      if (!code || !feature.geometry) continue;
      if (feature.geometry.type === 'Polygon') shapes.set(code, [feature.geometry.coordinates as PolygonRings]);
      else if (feature.geometry.type === 'MultiPolygon') shapes.set(code, feature.geometry.coordinates as PolygonRings[]);
    }
  }
  return shapes;
}

/**
 * A sampling pool over a set of grids: POOL_SLOTS slots shared in proportion to each grid's
 * weight; a slot names the grid's first point and the event takes one of its 16 points.
 */
export function gridPool(poolId: number, gridIndexes: readonly number[], weights: readonly number[]): PoolSlot[] {
  const counts = apportionSlots(weights, POOL_SLOTS);
  const slots: PoolSlot[] = [];
  counts.forEach((count, k) => {
    for (let c = 0; c < count; c += 1) {
      slots.push({ poolId, slot: slots.length, pointBase: gridIndexes[k]! * POINTS_PER_GRID, pointSpan: POINTS_PER_GRID });
    }
  });
  return slots;
}

/** A pool over explicit points (a planted cluster's cells, an escalation's address). */
export function pointPool(poolId: number, pointIds: readonly number[]): PoolSlot[] {
  return Array.from({ length: POOL_SLOTS }, (_, slot) => ({
    poolId,
    slot,
    pointBase: pointIds[slot % pointIds.length]!,
    pointSpan: 1,
  }));
}

/** Weight of a grid in demand sampling: residents, with a floor so empty grids still see some events. */
export function gridWeight(grid: GridInfo): number {
  return grid.population + 30;
}
