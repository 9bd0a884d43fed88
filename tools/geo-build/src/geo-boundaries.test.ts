/**
 * Checks the committed boundary files: one feature per unit, children tiling their parent at
 * every level, representative points inside, coordinates on the 1e-6° grid.
 */
import polygonClipping from 'polygon-clipping';
import { describe, expect, it } from 'vitest';
import { listBoundaryFolder, readBoundaryFile, readUnitsCsv, type CommittedFeature } from './committed-geo-data.ts';
import { multiPolygonArea, pointInMultiPolygon, type MultiPolygon } from './geometry.ts';

/** Relative to the parent's area: both |Σ child areas − parent| and area(∪children ⊕ parent). */
const TILING_TOLERANCE = 1e-6;

const { units } = readUnitsCsv();
const unitsByLevel = (level: string): string[] => units.filter((u) => u.level === level).map((u) => u.code);

const city = readBoundaryFile('city.geojson');
const districts = readBoundaryFile('districts.geojson');
const streets = readBoundaryFile('streets.geojson');
const communityFiles = listBoundaryFolder('communities').map((file) => ({ file, features: readBoundaryFile(`communities/${file}.geojson`) }));
const gridFiles = listBoundaryFolder('grids').map((file) => ({ file, features: readBoundaryFile(`grids/${file}.geojson`) }));
const communities = communityFiles.flatMap((f) => f.features);
const grids = gridFiles.flatMap((f) => f.features);
const featuresByLevel: Record<string, CommittedFeature[]> = { city, district: districts, street: streets, community: communities, grid: grids };
const allFeatures = new Map([...city, ...districts, ...streets, ...communities, ...grids].map((f) => [f.code, f]));

function childrenByParent(children: CommittedFeature[]): Map<string, CommittedFeature[]> {
  const groups = new Map<string, CommittedFeature[]>();
  for (const child of children) {
    const group = groups.get(child.parentCode);
    if (group) group.push(child);
    else groups.set(child.parentCode, [child]);
  }
  return groups;
}

/** Worst relative area-sum and symmetric-difference errors over the given parents. */
function tilingErrors(parents: CommittedFeature[], children: CommittedFeature[]): { areaSum: number; xor: number } {
  const groups = childrenByParent(children);
  let areaSum = 0;
  let xor = 0;
  for (const parent of parents) {
    const kids = groups.get(parent.code) ?? [];
    const parentArea = multiPolygonArea(parent.geometry);
    const childArea = kids.reduce((sum, kid) => sum + multiPolygonArea(kid.geometry), 0);
    areaSum = Math.max(areaSum, Math.abs(childArea - parentArea) / parentArea);
    const union = polygonClipping.union(...(kids.map((kid) => kid.geometry) as [MultiPolygon, ...MultiPolygon[]]));
    xor = Math.max(xor, multiPolygonArea(polygonClipping.xor(union, parent.geometry) as MultiPolygon) / parentArea);
  }
  return { areaSum, xor };
}

describe('boundary files', () => {
  it('hold one feature per unit of their level, with the units.csv codes and names', () => {
    const names = new Map(units.map((u) => [u.code, u]));
    for (const [level, features] of Object.entries(featuresByLevel)) {
      expect(features.map((f) => f.code).sort(), level).toEqual(unitsByLevel(level).sort());
      for (const feature of features) {
        const unit = names.get(feature.code);
        expect([feature.name, feature.level, feature.parentCode], feature.code).toEqual([unit?.name, unit?.level, unit?.parentCode]);
      }
    }
  });

  it('split communities by district and grids by street', () => {
    expect(communityFiles.map((f) => f.file)).toEqual(unitsByLevel('district').sort());
    expect(gridFiles.map((f) => f.file)).toEqual(unitsByLevel('street').sort());
    for (const { file, features } of communityFiles) expect(features.every((f) => f.parentCode.slice(0, 6) === file)).toBe(true);
    for (const { file, features } of gridFiles) expect(features.every((f) => f.parentCode.slice(0, 9) === file)).toBe(true);
  });

  it('have non-empty geometry with coordinates rounded to 6 decimals', () => {
    for (const feature of allFeatures.values()) {
      expect(multiPolygonArea(feature.geometry), feature.code).toBeGreaterThan(0);
      for (const polygon of feature.geometry) {
        for (const ring of polygon) {
          expect(ring.length, feature.code).toBeGreaterThanOrEqual(4);
          for (const [x, y] of ring) {
            expect(Math.abs(x * 1e6 - Math.round(x * 1e6)) + Math.abs(y * 1e6 - Math.round(y * 1e6)), feature.code).toBeLessThan(1e-6);
          }
        }
      }
    }
  });

  it('put every unit’s lng/lat inside its own polygon', () => {
    const outside = units.filter((u) => !pointInMultiPolygon([u.lng, u.lat], allFeatures.get(u.code)!.geometry));
    expect(outside.map((u) => u.code)).toEqual([]);
  });
});

describe(`children tile their parent (relative tolerance ${TILING_TOLERANCE})`, () => {
  it('districts → city', () => {
    const errors = tilingErrors(city, districts);
    expect(errors.areaSum).toBeLessThan(TILING_TOLERANCE);
    expect(errors.xor).toBeLessThan(TILING_TOLERANCE);
  });

  it('streets → each district', () => {
    const errors = tilingErrors(districts, streets);
    expect(errors.areaSum).toBeLessThan(TILING_TOLERANCE);
    expect(errors.xor).toBeLessThan(TILING_TOLERANCE);
  });

  it('communities → each street', () => {
    const errors = tilingErrors(streets, communities);
    expect(errors.areaSum).toBeLessThan(TILING_TOLERANCE);
    expect(errors.xor).toBeLessThan(TILING_TOLERANCE);
  });

  it('grids → each community (all 3047)', () => {
    const errors = tilingErrors(communities, grids);
    expect(errors.areaSum).toBeLessThan(TILING_TOLERANCE);
    expect(errors.xor).toBeLessThan(TILING_TOLERANCE);
  });
});
