import { isDomainError } from '@cityops/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestWarehouse, TEST_GENERATION, type TestWarehouse } from '../testing/test-warehouse.ts';
import { readGroundTruth } from './manifest.ts';
import { generateDemoData } from './index.ts';

let first: TestWarehouse;
let second: TestWarehouse;
beforeAll(async () => {
  first = await createTestWarehouse({ generate: TEST_GENERATION });
  second = await createTestWarehouse({ generate: { ...TEST_GENERATION, rollups: false } });
});
afterAll(() => {
  first?.cleanup();
  second?.cleanup();
});

const checksum = async (w: TestWarehouse) =>
  (await w.db.all<{ n: number; sum: string }>(
    `SELECT count(*)::INTEGER AS n, sum(hash(id, source, category, received_at, grid_code, h3r9, reporter_hash, status, closed_at, return_visit) % 1000000007)::VARCHAR AS sum
     FROM events WHERE id % 7 = 0`,
  ))[0];

describe('generateDemoData', () => {
  it('is deterministic for a seed', async () => {
    const counts = (w: TestWarehouse) => w.db.all(`SELECT source, count(*)::INTEGER AS n FROM events GROUP BY ALL ORDER BY 1`);
    expect(await counts(first)).toEqual(await counts(second));
    expect(await checksum(first)).toEqual(await checksum(second));
    expect(first.generated!.manifest).toEqual(second.generated!.manifest);
    expect(first.generated!.events).toBeGreaterThan(10_000);
  });

  it('stores the manifest and reads it back', async () => {
    expect(await readGroundTruth(first.db)).toEqual(first.generated!.manifest);
  });

  it('plants clusters whose cells rise above normal in their months', async () => {
    for (const cluster of first.generated!.manifest.clusters) {
      const rows = await first.db.all<{ month: string; n: number }>(
        `SELECT strftime(received_at, '%Y-%m') AS month, count(*)::INTEGER AS n FROM events
         WHERE list_contains($cells, h3r8) AND category = $item AND source = $source GROUP BY ALL`,
        { cells: cluster.cellsR8 as unknown as never, item: cluster.item, source: cluster.source },
      ).catch(async () => first.db.all<{ month: string; n: number }>(
        `SELECT strftime(received_at, '%Y-%m') AS month, count(*)::INTEGER AS n FROM events
         WHERE h3r8 IN (SELECT unnest(string_split($cells, ','))) AND category = $item AND source = $source GROUP BY ALL`,
        { cells: cluster.cellsR8.join(','), item: cluster.item, source: cluster.source },
      ));
      const byMonth = new Map(rows.map((r) => [r.month, r.n]));
      const active = cluster.months.map((m) => byMonth.get(m) ?? 0);
      const total = active.reduce((a, b) => a + b, 0);
      expect(total, cluster.id).toBeGreaterThanOrEqual(cluster.extraEvents);
      const quiet = first.generated!.manifest.months.filter((m) => !cluster.months.includes(m)).map((m) => byMonth.get(m) ?? 0);
      if (quiet.length > 0 && active.length > 0) {
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        expect(mean(active), `${cluster.id} ${cluster.kind}`).toBeGreaterThan(2 * mean(quiet) + 1);
      }
    }
  });

  it('plants bursts that spike on their day', async () => {
    for (const burst of first.generated!.manifest.bursts) {
      const rows = await first.db.all<{ day: string; n: number }>(
        `SELECT strftime(received_at, '%Y-%m-%d') AS day, count(*)::INTEGER AS n FROM events
         WHERE starts_with(grid_code, $unit) AND received_at >= $day::DATE - 30 AND received_at < $day::DATE + 31 GROUP BY ALL`,
        { unit: burst.unitCode, day: burst.day },
      );
      const peak = rows.find((r) => r.day === burst.day)?.n ?? 0;
      const others = rows.filter((r) => !burst.days.includes(r.day)).map((r) => r.n).sort((a, b) => a - b);
      const median = others[Math.floor(others.length / 2)] ?? 0;
      expect(peak, `${burst.kind} ${burst.unitCode} ${burst.day}`).toBeGreaterThan(3 * median + 5);
    }
  });

  it('spikes market complaints on 15 March', async () => {
    const rows = await first.db.all<{ day: number; n: number }>(
      `SELECT day(received_at)::INTEGER AS day, count(*)::INTEGER AS n FROM events
       WHERE category = 'market' AND source = 'hotline' AND month(received_at) = 3 GROUP BY ALL`,
    );
    const on15 = rows.find((r) => r.day === 15)!.n;
    const rest = rows.filter((r) => r.day < 13 || r.day > 17);
    expect(on15).toBeGreaterThan((2 * rest.reduce((a, r) => a + r.n, 0)) / rest.length);
  });

  it('links escalation chains across sources by the reporter hash', async () => {
    const { escalations } = first.generated!.manifest;
    expect(escalations.length).toBeGreaterThanOrEqual(6);
    for (const chain of escalations) {
      const rows = await first.db.all<{ id: bigint; source: string; reporter_hash: string; summary: string }>(
        `SELECT id, source, reporter_hash, summary FROM events WHERE id IN (SELECT unnest(string_split($ids, ','))::BIGINT) ORDER BY received_at`,
        { ids: chain.eventIds.join(',') },
      );
      expect(rows).toHaveLength(chain.eventIds.length);
      expect(new Set(rows.map((r) => r.reporter_hash))).toEqual(new Set([chain.reporterHash]));
      expect(new Set(rows.map((r) => r.source)).size).toBeGreaterThanOrEqual(3);
      const total = await first.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE reporter_hash = $h`, { h: chain.reporterHash });
      expect(total[0]!.n).toBeGreaterThanOrEqual(chain.eventIds.length);
    }
  });

  it('matches the published shapes roughly and never stores raw personal data', async () => {
    const [mix] = await first.db.all<Record<string, number>>(
      `SELECT
         (count(*) FILTER (source = 'police' AND nature = 'non_police') / count(*) FILTER (source = 'police'))::DOUBLE AS non_police,
         (count(*) FILTER (source = 'hotline' AND hotline_nature IN ('complaint', 'report')) / count(*) FILTER (source = 'hotline'))::DOUBLE AS complaints,
         (count(*) FILTER (source = 'hotline' AND category = 'market') / count(*) FILTER (source = 'hotline'))::DOUBLE AS market,
         (count(*) FILTER (source = 'hotline' AND closed_at IS NOT NULL) / count(*) FILTER (source = 'hotline'))::DOUBLE AS completion,
         (count(*) FILTER (return_visit IN ('satisfied', 'basically_satisfied')) / count(return_visit))::DOUBLE AS satisfaction,
         (count(*) FILTER (closed_at > due_at) / count(due_at))::DOUBLE AS late,
         count(*) FILTER (NOT regexp_full_match(reporter_phone_masked, '\\d{3}\\*{4}\\d{4}'))::DOUBLE AS bad_phone,
         count(*) FILTER (NOT regexp_full_match(reporter_hash, '[0-9a-f]{16}'))::DOUBLE AS bad_hash
       FROM events`,
    );
    expect(mix!.non_police).toBeGreaterThan(0.45);
    expect(mix!.non_police).toBeLessThan(0.65);
    expect(mix!.complaints).toBeGreaterThan(0.55);
    expect(mix!.market).toBeGreaterThan(0.1);
    expect(mix!.completion).toBeGreaterThan(0.85);
    expect(mix!.satisfaction).toBeGreaterThan(0.8);
    expect(mix!.satisfaction).toBeLessThan(0.96);
    expect(mix!.late).toBeLessThan(0.02);
    expect(mix!.bad_phone).toBe(0);
    expect(mix!.bad_hash).toBe(0);
  });

  it('refuses bad options and a filled database unless asked to replace', async () => {
    const bad = await generateDemoData(second.db, { ...TEST_GENERATION, scale: -1 }).catch((e: unknown) => e);
    expect(isDomainError(bad) && bad.code).toBe('BAD_INPUT');
    const month = await generateDemoData(second.db, { ...TEST_GENERATION, endMonth: '2026-13' }).catch((e: unknown) => e);
    expect(isDomainError(month) && month.code).toBe('BAD_INPUT');
    const filled = await generateDemoData(second.db, TEST_GENERATION).catch((e: unknown) => e);
    expect(isDomainError(filled) && filled.code).toBe('CONFLICT');
  });
});
