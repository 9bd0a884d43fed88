import { DomainError, type AlertSeverity, type Item } from '@cityops/domain';
import type { Database } from '../database.ts';
import { insertAlerts, type NewAlert } from './alerts-store.ts';
import { assertDay } from './months.ts';

/**
 * Sensor early warnings — the fourth stream (source material: a gas-leak alarm at a lone
 * elderly resident's home pushed to the grid worker's phone; road flooding; falling
 * billboards; door magnets during quarantine). Each reading is stored in `sensor_alerts`,
 * routed to a grid and raised as an alert of kind 'sensor'.
 *
 * Routing: a reading that names its grid keeps it; otherwise the grid whose representative
 * point (units.lng/lat, the pole of inaccessibility of its polygon) is nearest. The grid
 * tiling is a Voronoi-like partition, so this is exact well inside a grid and may pick the
 * neighbour within tens of metres of a boundary — acceptable for dispatch to a grid worker,
 * who covers the area around it anyway. Distances are equirectangular (grids are < 2 km).
 */
export const SENSOR_KINDS = ['gas_leak', 'road_flooding', 'billboard', 'door_magnet'] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

const SENSOR_INFO: Record<SensorKind, { item: Item; zh: string; severity: (value: number | null) => AlertSeverity }> = {
  gas_leak: { item: 'safety', zh: '燃气泄漏报警（独居老人家中）', severity: () => 'severe' },
  // value = water depth in cm: ≥ 30 cm stops cars and endangers pedestrians.
  road_flooding: { item: 'utilities', zh: '道路积水', severity: (depth) => ((depth ?? 0) >= 30 ? 'severe' : 'warning') },
  // value = tilt in degrees.
  billboard: { item: 'urban_management', zh: '广告牌倾斜/坠落风险', severity: (tilt) => ((tilt ?? 0) >= 10 ? 'severe' : 'warning') },
  door_magnet: { item: 'health', zh: '门磁报警（居家隔离）', severity: () => 'attention' },
};

export interface SensorReading {
  sensorId: string;
  kind: SensorKind;
  /** Wall-clock time, Asia/Shanghai, 'YYYY-MM-DD HH:MM:SS'. */
  at: string;
  lng: number;
  lat: number;
  value?: number | null;
  gridCode?: string | null;
}

interface GridPoint {
  code: string;
  lng: number;
  lat: number;
}

async function loadGridPoints(db: Database): Promise<GridPoint[]> {
  return db.all<GridPoint>(`SELECT "code", "lng", "lat" FROM "units" WHERE "level" = 'grid' AND "lng" IS NOT NULL AND "lat" IS NOT NULL`);
}

export function nearestGrid(grids: readonly GridPoint[], lng: number, lat: number): GridPoint | undefined {
  const k = Math.cos((lat * Math.PI) / 180);
  let best: GridPoint | undefined;
  let bestDistance = Infinity;
  for (const grid of grids) {
    const dx = (grid.lng - lng) * k;
    const dy = grid.lat - lat;
    const d = dx * dx + dy * dy;
    if (d < bestDistance) {
      bestDistance = d;
      best = grid;
    }
  }
  return best;
}

/** Stores the readings, routes them and raises one alert each. Returns the new alerts. */
export async function ingestSensorReadings(db: Database, readings: readonly SensorReading[]): Promise<NewAlert[]> {
  if (readings.length === 0) return [];
  const grids = await loadGridPoints(db);
  const known = new Set(grids.map((grid) => grid.code));
  const rows: (string | number | null)[][] = [];
  const alerts: NewAlert[] = [];
  for (const reading of readings) {
    if (!SENSOR_KINDS.includes(reading.kind)) throw new DomainError('BAD_INPUT', `未知的传感器类型 / unknown sensor kind: ${reading.kind}`);
    if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(reading.at)) throw new DomainError('BAD_INPUT', `时间格式应为 YYYY-MM-DD HH:MM:SS: ${reading.at}`);
    if (!(Math.abs(reading.lat) <= 90 && Math.abs(reading.lng) <= 180)) throw new DomainError('BAD_INPUT', `坐标无效 / bad coordinates: ${reading.lng},${reading.lat}`);
    const named = reading.gridCode && known.has(reading.gridCode) ? reading.gridCode : null;
    const grid = named ?? nearestGrid(grids, reading.lng, reading.lat)?.code;
    if (!grid) throw new DomainError('NOT_FOUND', '区划表中没有网格 / no grids to route to');
    const info = SENSOR_INFO[reading.kind];
    const id = `sensor:${reading.sensorId}:${reading.at.replace(' ', 'T')}`;
    rows.push([`${reading.sensorId}@${reading.at}`, reading.sensorId, reading.kind, reading.at, reading.lng, reading.lat, reading.value ?? null, grid, named ? 'declared' : 'nearest_grid_point', id]);
    alerts.push({
      id, kind: 'sensor', unitCode: grid, gridCode: grid, item: info.item, severity: info.severity(reading.value ?? null), title: info.zh,
      detail: { sensorId: reading.sensorId, sensorKind: reading.kind, at: reading.at, lng: reading.lng, lat: reading.lat, value: reading.value ?? null },
      day: reading.at.slice(0, 10),
    });
  }
  return db.transaction(async (tx) => {
    const existing = await tx.all<{ id: string }>(`SELECT "id" FROM "sensor_alerts" WHERE list_contains(string_split($ids, ','), "id")`, { ids: rows.map((row) => row[0]).join(',') });
    const stored = new Set(existing.map((row) => row.id));
    const fresh = rows.filter((row) => !stored.has(row[0] as string));
    const receivedAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
    await tx.appendRows(
      'sensor_alerts',
      ['varchar', 'varchar', 'varchar', 'varchar', 'double', 'double', 'double', 'varchar', 'varchar', 'varchar', 'varchar'],
      fresh.map((row) => [...row, receivedAt]),
    );
    return insertAlerts(tx, alerts);
  });
}

/** A small deterministic PRNG (mulberry32) so demo readings are reproducible for a seed and day. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Demo readings for one day: `count` (default 4) alarms at random grids (weighted by
 * population), a few metres from the grid's point. Deterministic for seed and day. Returns
 * the readings with the grid they were generated in (to check the routing).
 */
export async function generateDemoSensorReadings(db: Database, opts: { day: string; seed?: number; count?: number }): Promise<(SensorReading & { sourceGrid: string })[]> {
  assertDay(opts.day);
  const grids = await db.all<GridPoint & { population: number }>(`SELECT "code", "lng", "lat", "population" FROM "units" WHERE "level" = 'grid' AND "lng" IS NOT NULL ORDER BY "code"`);
  if (grids.length === 0) return [];
  const random = mulberry32((opts.seed ?? 1) * 100_003 + Number(opts.day.replaceAll('-', '')));
  const total = grids.reduce((sum, grid) => sum + grid.population + 1, 0);
  const readings: (SensorReading & { sourceGrid: string })[] = [];
  for (let k = 0; k < (opts.count ?? 4); k += 1) {
    let target = random() * total;
    const grid = grids.find((g) => (target -= g.population + 1) < 0) ?? grids[grids.length - 1]!;
    const kind = SENSOR_KINDS[Math.floor(random() * SENSOR_KINDS.length)]!;
    const seconds = Math.floor(random() * 86_400);
    const time = `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
    const value = kind === 'road_flooding' ? Math.round(10 + random() * 40) : kind === 'billboard' ? Math.round(3 + random() * 15) : null;
    readings.push({
      sensorId: `${kind}-${grid.code}-${k}`,
      kind,
      at: `${opts.day} ${time}`,
      // ≤ ~20 m from the grid's point: a sensor on a building of that grid.
      lng: Math.round((grid.lng + (random() - 0.5) * 0.0004) * 1e6) / 1e6,
      lat: Math.round((grid.lat + (random() - 0.5) * 0.0003) * 1e6) / 1e6,
      value,
      sourceGrid: grid.code,
    });
  }
  return readings;
}
