/**
 * Builds data/geo: units.csv and the boundary GeoJSON of Chengdu's five levels.
 * Run: `pnpm geo:build` at the repo root (or `pnpm exec tsx src/build-geo.ts` here).
 * Deterministic: every random choice is seeded by a unit code.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BoundaryMesh, UNITS_PER_DEGREE, type MeshGeometry } from './boundary-mesh.ts';
import { carveChildren } from './child-boundaries.ts';
import { readCityDivisions } from './division-csv.ts';
import { addUnion, bucketSizeFor, VertexBuckets } from './mesh-repair.ts';
import { absorbSliverParts, matchDistrictCodes, readEchartsCityMap, simplifyDistricts } from './district-boundaries.ts';
import { featureCollectionJson, resetDirectory, unitsCsv, writeTextFile, type BoundaryFeature, type UnitRow } from './geo-output.ts';
import { representativePoint } from './interior-point.ts';
import { randomFor } from './prng.ts';
import { buildUnitTree, walkUnits, type UnitNode } from './unit-tree.ts';

export const CITY = { code: '5101', name: '成都市', province: '四川' } as const;
/** Visvalingam threshold in square degrees (a triangle of ≈ 0.02 km²): keeps districts.geojson small. */
export const DISTRICT_SIMPLIFY_MIN_WEIGHT = 2e-6;

const toUnits = (degrees: number): number => Math.round(degrees * UNITS_PER_DEGREE);
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

function buildBoundaries(tree: UnitNode): { mesh: BoundaryMesh; shapes: Map<string, MeshGeometry> } {
  const divisions = tree.children.map(({ code, name }) => ({ code, name }));
  const districts = absorbSliverParts(
    simplifyDistricts(matchDistrictCodes(readEchartsCityMap(CITY.province, CITY.name), divisions), DISTRICT_SIMPLIFY_MIN_WEIGHT),
    DISTRICT_SIMPLIFY_MIN_WEIGHT,
  );
  const mesh = new BoundaryMesh();
  const allVertices = districts.flatMap(({ geometry }) =>
    geometry.flatMap((polygon) => polygon.flatMap((ring) => ring.map(([x, y]) => mesh.vertex(toUnits(x), toUnits(y))))),
  );
  const vertices = new VertexBuckets(mesh, allVertices, bucketSizeFor(districts.flatMap((d) => d.geometry)));
  const shapes = new Map<string, MeshGeometry>();
  // Union again to restore collinear vertices polygon-clipping drops (see mesh-repair.ts).
  for (const district of districts) shapes.set(district.code, addUnion(mesh, [district.geometry], vertices));
  shapes.set(tree.code, addUnion(mesh, districts.map((d) => d.geometry), vertices));

  for (const level of ['street', 'community', 'grid'] as const) {
    const started = performance.now();
    for (const parent of walkUnits(tree)) {
      if (parent.children[0]?.level !== level) continue;
      const children = carveChildren(mesh, shapes.get(parent.code)!, parent.children.length, randomFor(parent.code, 'boundaries'));
      parent.children.forEach((child, i) => shapes.set(child.code, children[i]!));
    }
    console.log(`${level} boundaries: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return { mesh, shapes };
}

/** Largest |Σ child area − parent area| / parent area, computed exactly on the integer mesh. */
function worstTilingError(tree: UnitNode, mesh: BoundaryMesh, shapes: Map<string, MeshGeometry>): Map<string, number> {
  const area = (shape: MeshGeometry): number =>
    shape.reduce((sum, polygon) => sum + polygon.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * Math.abs(mesh.twiceSignedArea(ring.ids)), 0), 0);
  const worst = new Map<string, number>();
  for (const parent of walkUnits(tree)) {
    const level = parent.children[0]?.level;
    if (!level) continue;
    const parentArea = area(shapes.get(parent.code)!);
    const childArea = parent.children.reduce((sum, child) => sum + area(shapes.get(child.code)!), 0);
    worst.set(level, Math.max(worst.get(level) ?? 0, Math.abs(childArea - parentArea) / parentArea));
  }
  return worst;
}

function main(): void {
  const outDir = join(repoRoot, 'data', 'geo');
  const tree = buildUnitTree(CITY, readCityDivisions(CITY.code));
  const { mesh, shapes } = buildBoundaries(tree);
  for (const [level, error] of worstTilingError(tree, mesh, shapes)) {
    console.log(`worst relative tiling error, ${level}: ${error}`);
    // The shared mesh makes tiling exact; anything visible means a bug, not rounding.
    if (error > 1e-12) throw new Error(`${level} units do not tile their parents (relative error ${error})`);
  }

  const rows: UnitRow[] = [];
  const features = new Map<string, BoundaryFeature>();
  for (const unit of walkUnits(tree)) {
    const geometry = mesh.toDegrees(shapes.get(unit.code)!);
    const [lng, lat] = representativePoint(geometry);
    rows.push({ ...unit, lng, lat });
    features.set(unit.code, { ...unit, geometry });
  }
  const sizes: [string, number][] = [];
  const write = (relative: string, text: string): void => {
    sizes.push([relative, writeTextFile(join(outDir, relative), text)]);
  };
  const featuresOf = (units: UnitNode[]): BoundaryFeature[] => units.map((unit) => features.get(unit.code)!);

  write('units.csv', unitsCsv(rows));
  write('boundaries/city.geojson', featureCollectionJson(featuresOf([tree])));
  write('boundaries/districts.geojson', featureCollectionJson(featuresOf(tree.children)));
  write('boundaries/streets.geojson', featureCollectionJson(featuresOf(tree.children.flatMap((d) => d.children))));
  resetDirectory(join(outDir, 'boundaries', 'communities'));
  resetDirectory(join(outDir, 'boundaries', 'grids'));
  for (const district of tree.children) {
    write(`boundaries/communities/${district.code}.geojson`, featureCollectionJson(featuresOf(district.children.flatMap((s) => s.children))));
    for (const street of district.children) {
      write(`boundaries/grids/${street.code}.geojson`, featureCollectionJson(featuresOf(street.children.flatMap((c) => c.children))));
    }
  }
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.level, (counts.get(row.level) ?? 0) + 1);
  console.log('units:', Object.fromEntries(counts));
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
  for (const [name, bytes] of sizes.filter(([name]) => !/\/(communities|grids)\//.test(name))) console.log(`${name}: ${kb(bytes)}`);
  for (const folder of ['communities', 'grids']) {
    const group = sizes.filter(([name]) => name.includes(`/${folder}/`)).map(([, bytes]) => bytes);
    console.log(`boundaries/${folder}/: ${group.length} files, ${kb(group.reduce((a, b) => a + b, 0))} total, largest ${kb(Math.max(...group))}`);
  }
}

main();
