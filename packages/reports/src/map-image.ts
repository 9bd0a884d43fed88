import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPORT_FONT, type ChartImage } from './charts.ts';
import type { ReportData } from './report-data.ts';

/**
 * A static map drawn from our own geography (data/geo/boundaries): the child units of the
 * report's unit as SVG paths coloured by index band, with names and a legend, rasterised like
 * the charts (vector in the PDF, PNG in Word). The projection is equirectangular scaled by cos(latitude) — at Chengdu's extent
 * (≈ 2° × 2°) the distortion is invisible, and no map library is needed.
 */
export const DEFAULT_BOUNDARIES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data/geo/boundaries');

type Ring = [number, number][];
interface Feature {
  code: string;
  name: string;
  parent: string;
  polygons: Ring[][];
}

function readFeatures(file: string): Feature[] {
  if (!existsSync(file)) return [];
  const json = JSON.parse(readFileSync(file, 'utf8')) as {
    features: { properties: { code: string; name: string; parent_code: string }; geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown } }[];
  };
  return json.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    parent: f.properties.parent_code,
    polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : (f.geometry.coordinates as Ring[][]),
  }));
}

/** The child units of `unitCode` (the level the ranking lists). */
export function loadChildBoundaries(unitCode: string, dir = DEFAULT_BOUNDARIES_DIR): Feature[] {
  switch (unitCode.length) {
    case 4:
      return readFeatures(path.join(dir, 'districts.geojson'));
    case 6:
      return readFeatures(path.join(dir, 'streets.geojson')).filter((f) => f.parent === unitCode);
    case 9:
      return readFeatures(path.join(dir, 'communities', `${unitCode.slice(0, 6)}.geojson`)).filter((f) => f.parent === unitCode);
    case 12:
      return readFeatures(path.join(dir, 'grids', `${unitCode.slice(0, 9)}.geojson`)).filter((f) => f.parent === unitCode);
    default:
      return readFeatures(path.join(dir, 'grids', `${unitCode.slice(0, 9)}.geojson`)).filter((f) => f.code === unitCode);
  }
}

function ringArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  return a / 2;
}

function ringCentroid(ring: Ring): [number, number] {
  let x = 0;
  let y = 0;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
    x += (ring[j]![0] + ring[i]![0]) * f;
    y += (ring[j]![1] + ring[i]![1]) * f;
    a += f;
  }
  return a === 0 ? ring[0]! : [x / (3 * a), y / (3 * a)];
}

const escapeXml = (text: string) => text.replace(/[<>&"]/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[ch]!);

export function buildMapSvg(data: ReportData, features: Feature[], width = 760): { svg: string; height: number } {
  const colorOf = new Map(data.index.ranking.map((r) => [r.code, r.bandColor]));
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) for (const poly of f.polygons) for (const [x, y] of poly[0]!) {
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const margin = 20;
  const top = 50;
  const legendHeight = 40;
  const mapWidth = width - 2 * margin;
  const scale = mapWidth / Math.max(1e-9, (maxX - minX) * kx);
  const mapHeight = Math.min(620, (maxY - minY) * scale);
  const s = Math.min(scale, mapHeight / Math.max(1e-9, maxY - minY));
  const offsetX = margin + (mapWidth - (maxX - minX) * kx * s) / 2;
  const project = ([x, y]: [number, number]): string => `${(offsetX + (x - minX) * kx * s).toFixed(1)},${(top + (maxY - y) * s).toFixed(1)}`;
  const height = Math.ceil(top + mapHeight + legendHeight + 30);
  const paths: string[] = [];
  const labels: string[] = [];
  for (const f of features) {
    const d = f.polygons.map((poly) => poly.map((ring) => `M${ring.map(project).join('L')}Z`).join('')).join('');
    paths.push(`<path d="${d}" fill="${colorOf.get(f.code) ?? '#dddddd'}" fill-rule="evenodd" stroke="#ffffff" stroke-width="1"/>`);
    if (features.length <= 40) {
      const largest = f.polygons.map((poly) => poly[0]!).sort((a, b) => Math.abs(ringArea(b)) - Math.abs(ringArea(a)))[0]!;
      const [lx, ly] = project(ringCentroid(largest)).split(',').map(Number) as [number, number];
      labels.push(`<text x="${lx}" y="${ly}" font-size="${features.length > 25 ? 9 : 11}" text-anchor="middle" fill="#222">${escapeXml(f.name)}</text>`);
    }
  }
  const legendY = top + mapHeight + 25;
  const legend = data.index.bands
    .map((b, i) => `<rect x="${margin + i * 130}" y="${legendY}" width="18" height="12" fill="${b.color}"/><text x="${margin + i * 130 + 24}" y="${legendY + 11}" font-size="12">${escapeXml(b.band)}（≥${b.min}）</text>`)
    .join('');
  const note = data.meta.unitCode.length > 4 ? '（街道及以下边界为示意）' : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${REPORT_FONT}">
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="${width / 2}" y="28" font-size="16" text-anchor="middle" font-weight="bold">${escapeXml(`${data.meta.unitName}${data.index.levelLabel}社情指数等级分布图`)}${note}</text>
<g>${paths.join('')}</g><g>${labels.join('')}</g><g>${legend}</g>
<rect x="${margin}" y="${legendY + 22}" width="0" height="0"/>
</svg>`;
  return { svg, height };
}

export function renderMapImage(data: ReportData, opts: { boundariesDir?: string | undefined } = {}): ChartImage | null {
  const features = loadChildBoundaries(data.meta.unitCode, opts.boundariesDir);
  if (features.length === 0) return null;
  const width = 760;
  const { svg, height } = buildMapSvg(data, features, width);
  return { key: 'map', title: '社情指数等级分布图', svg, width, height };
}
