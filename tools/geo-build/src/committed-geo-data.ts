/** Reads the committed data/geo files (for tests and consumers that want parsed data). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitCsvLine } from './division-csv.ts';
import type { MultiPolygon } from './geometry.ts';

export const GEO_DATA_DIR = fileURLToPath(new URL('../../../data/geo', import.meta.url));

export interface CommittedUnit {
  code: string;
  name: string;
  level: string;
  parentCode: string;
  population: number;
  households: number;
  lng: number;
  lat: number;
}

export interface CommittedFeature {
  code: string;
  name: string;
  level: string;
  parentCode: string;
  geometry: MultiPolygon;
}

export function readUnitsCsv(): { header: string; units: CommittedUnit[] } {
  const [header = '', ...lines] = readFileSync(join(GEO_DATA_DIR, 'units.csv'), 'utf8').split('\n').filter(Boolean);
  const units = lines.map((line) => {
    const [code = '', name = '', level = '', parentCode = '', population, households, lng, lat] = splitCsvLine(line);
    return { code, name, level, parentCode, population: Number(population), households: Number(households), lng: Number(lng), lat: Number(lat) };
  });
  return { header, units };
}

interface GeoJsonFeature {
  properties: { code: string; name: string; level: string; parent_code: string };
  geometry: { type: 'Polygon'; coordinates: MultiPolygon[number] } | { type: 'MultiPolygon'; coordinates: MultiPolygon };
}

/** Features of one boundary file, path relative to data/geo/boundaries. */
export function readBoundaryFile(relativePath: string): CommittedFeature[] {
  const collection = JSON.parse(readFileSync(join(GEO_DATA_DIR, 'boundaries', relativePath), 'utf8')) as { features: GeoJsonFeature[] };
  return collection.features.map(({ properties, geometry }) => ({
    code: properties.code,
    name: properties.name,
    level: properties.level,
    parentCode: properties.parent_code,
    geometry: geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates,
  }));
}

/** File names (without .geojson) in boundaries/communities or boundaries/grids. */
export function listBoundaryFolder(folder: 'communities' | 'grids'): string[] {
  return readdirSync(join(GEO_DATA_DIR, 'boundaries', folder))
    .filter((name) => name.endsWith('.geojson'))
    .map((name) => name.slice(0, -'.geojson'.length))
    .sort();
}
