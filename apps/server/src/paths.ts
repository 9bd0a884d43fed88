import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file's location (apps/server/src). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export const DASHBOARDS = [
  { name: 'city-command', title: '市城运中心 · 指挥调度大屏', role: '市城运中心（指挥调度、统筹协调）' },
  { name: 'district-hub', title: '区级运行中心 · 热点研判', role: '区级运行中心（实战枢纽、衔接贯通）' },
  { name: 'street-disposal', title: '街镇运行中心 · 联勤处置', role: '街镇运行中心（联勤联动、高效处置）' },
] as const;

export function geoDir(): string {
  return path.join(REPO_ROOT, 'data', 'geo');
}

export function unitsCsvPath(): string {
  return path.join(geoDir(), 'units.csv');
}

export function appDistDir(name: string): string {
  return path.join(REPO_ROOT, 'apps', name, 'dist');
}

export function defaultDbPath(): string {
  return path.join(REPO_ROOT, 'var', 'cityops.duckdb');
}
