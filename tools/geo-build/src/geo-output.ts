/** Writers for units.csv and the GeoJSON boundary files (one feature per line, for readable diffs). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { orientRfc7946, type MultiPolygon } from './geometry.ts';

export const UNITS_CSV_HEADER = 'code,name,level,parent_code,population,households,lng,lat';

export interface UnitRow {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  population: number;
  households: number;
  lng: number;
  lat: number;
}

export interface BoundaryFeature {
  code: string;
  name: string;
  level: string;
  parentCode: string | null;
  geometry: MultiPolygon;
}

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function unitsCsv(rows: readonly UnitRow[]): string {
  const lines = rows.map((row) =>
    [row.code, row.name, row.level, row.parentCode ?? '', row.population, row.households, row.lng.toFixed(6), row.lat.toFixed(6)]
      .map(csvField)
      .join(','),
  );
  return `${[UNITS_CSV_HEADER, ...lines].join('\n')}\n`;
}

export function featureCollectionJson(features: readonly BoundaryFeature[]): string {
  const lines = features.map((feature) => {
    const oriented = orientRfc7946(feature.geometry);
    const geometry =
      oriented.length === 1 ? { type: 'Polygon', coordinates: oriented[0] } : { type: 'MultiPolygon', coordinates: oriented };
    return JSON.stringify({
      type: 'Feature',
      properties: { code: feature.code, name: feature.name, level: feature.level, parent_code: feature.parentCode ?? '' },
      geometry,
    });
  });
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

export function writeTextFile(path: string, text: string): number {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return Buffer.byteLength(text);
}

/** Removes a generated folder so units that disappeared leave no stale files behind. */
export function resetDirectory(path: string): void {
  rmSync(path, { recursive: true, force: true });
  mkdirSync(path, { recursive: true });
}
