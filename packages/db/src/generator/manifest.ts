import type { Item, Source } from '@cityops/domain';
import type { Database } from '../database.ts';

/** A planted spatial cluster: where (H3 res-8 cells), what, and its month-by-month strength. */
export interface ClusterTruth {
  id: string;
  kind: 'emerging' | 'persistent' | 'intensifying' | 'diminishing' | 'sporadic';
  source: Source;
  item: Item;
  cellsR8: string[];
  districtCode: string;
  streetCode: string;
  /** Months ('YYYY-MM') with extra events. */
  months: string[];
  /** Extra events as a multiple of the cells' ordinary monthly volume of that source. */
  multipliers: Record<string, number>;
  baselinePerMonth: number;
  extraEvents: number;
}

/** A short incident burst (flood day, mass dispute, outage) at one unit. */
export interface BurstTruth {
  id: string;
  kind: 'flood' | 'mass_dispute' | 'utility_outage';
  level: 'district' | 'street' | 'community';
  unitCode: string;
  items: Item[];
  /** The peak day ('YYYY-MM-DD'); `days` includes the tail day after it. */
  day: string;
  days: string[];
  sources: Source[];
  extraEvents: number;
}

/** A city-wide calendar spike (15 March consumer rights day). */
export interface SpikeTruth {
  id: string;
  kind: 'consumer_rights_day';
  day: string;
  item: Item;
  source: Source;
  extraEvents: number;
}

/** One repeat reporter whose complaints escalate across sources. */
export interface EscalationTruth {
  id: string;
  reporterHash: string;
  eventIds: number[];
  sources: Source[];
  item: Item;
  gridCode: string;
  days: string[];
}

export interface GroundTruthManifest {
  seed: number;
  scale: number;
  months: string[];
  asOf: string;
  events: number;
  clusters: ClusterTruth[];
  bursts: BurstTruth[];
  spikes: SpikeTruth[];
  escalations: EscalationTruth[];
}

type TruthKind = 'summary' | 'cluster' | 'burst' | 'spike' | 'escalation';

/** Writes the manifest into `ground_truth`, one row per planted pattern (replacing any previous one). */
export async function writeGroundTruth(db: Database, manifest: GroundTruthManifest): Promise<void> {
  const { clusters, bursts, spikes, escalations, ...summary } = manifest;
  const rows: [TruthKind, string, string][] = [
    ['summary', 'manifest', JSON.stringify(summary)],
    ...clusters.map((c): [TruthKind, string, string] => ['cluster', c.id, JSON.stringify(c)]),
    ...bursts.map((b): [TruthKind, string, string] => ['burst', b.id, JSON.stringify(b)]),
    ...spikes.map((s): [TruthKind, string, string] => ['spike', s.id, JSON.stringify(s)]),
    ...escalations.map((e): [TruthKind, string, string] => ['escalation', e.id, JSON.stringify(e)]),
  ];
  await db.run(`DELETE FROM "ground_truth"`);
  await db.appendRows('ground_truth', ['varchar', 'varchar', 'varchar'], rows);
}

/** Reads the manifest of the generated data back (undefined when the data was not generated). */
export async function readGroundTruth(db: Database): Promise<GroundTruthManifest | undefined> {
  const rows = await db.all<{ kind: TruthKind; payload: string }>(`SELECT "kind", "payload"::VARCHAR AS "payload" FROM "ground_truth" ORDER BY "kind", "key"`);
  const summary = rows.find((row) => row.kind === 'summary');
  if (!summary) return undefined;
  const of = <T>(kind: TruthKind) =>
    rows.filter((row) => row.kind === kind).map((row) => JSON.parse(row.payload) as T & { id: string }).sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
  return {
    ...(JSON.parse(summary.payload) as Omit<GroundTruthManifest, 'clusters' | 'bursts' | 'spikes' | 'escalations'>),
    clusters: of<ClusterTruth>('cluster'),
    bursts: of<BurstTruth>('burst'),
    spikes: of<SpikeTruth>('spike'),
    escalations: of<EscalationTruth>('escalation'),
  };
}
