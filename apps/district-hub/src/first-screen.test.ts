import { describe, expect, it } from 'vitest';
import { firstScreenCalls } from '@cityops/ui/api/first-screen-boot';
import { firstScreenQuery } from '@cityops/ui/api/first-screen-prefetch';
import { indexDecompositionQuery, indexRankingQuery } from '@cityops/ui/api/analysis-queries';
import { childVolumesQuery, kpisQuery, monthlyVolumesQuery, unitQuery } from '@cityops/ui/api/queries';
import type { CityOpsApi } from '@cityops/ui';
import { FIRST_SCREEN } from './first-screen.ts';

/** A stand-in tRPC client that records what each query sends (path and input). */
function recordingApi() {
  const sent: [string, unknown][] = [];
  const api = new Proxy({}, { get: (_t, group: string) => new Proxy({}, { get: (_u, name: string) => ({ query: async (input: unknown) => void sent.push([`${group}.${name}`, input]) }) }) }) as CityOpsApi;
  return { api, sent };
}

describe('the district hub’s first screen', () => {
  const months = ['2026-08', '2026-09', '2026-10'];
  const calls = firstScreenCalls('510104', months, FIRST_SCREEN);

  it('boots every call the hub screen makes for the latest month, the slow index ranking in a batch of its own', () => {
    expect(calls).toEqual([
      [
        ['overview.monthlyVolumes', { unitCode: '510104', months: 12 }],
        ['overview.kpis', { unitCode: '510104', month: '2026-10' }],
        ['overview.childVolumes', { unitCode: '510104', month: '2026-10' }],
        ['index.decomposition', { code: '510104', month: '2026-10', compareTo: '2026-09' }],
      ],
      [
        ['index.ranking', { unitCode: '510104', month: '2026-10' }],
        ['geo.unit', { code: '510104' }],
      ],
    ]);
  });

  it('lands each answer under the key of the hook that reads it (hub-screen.tsx, index-ranking.tsx, index-decomposition.tsx)', () => {
    const { api } = recordingApi();
    const keys = calls.flat().map((call) => firstScreenQuery(api, call).queryKey);
    expect(keys).toEqual([
      monthlyVolumesQuery(api, '510104', 12).queryKey, // useMonthlyVolumes(current.code, 12)
      kpisQuery(api, '510104', '2026-10').queryKey, // useKpis(current.code, month)
      childVolumesQuery(api, '510104', '2026-10', {}).queryKey, // useChildVolumes(current.code, month, filters = {})
      indexDecompositionQuery(api, '510104', '2026-10', '2026-09').queryKey,
      indexRankingQuery(api, '510104', '2026-10').queryKey, // useIndexRanking(unitCode, month)
      unitQuery(api, '510104').queryKey, // useUnit(current.code)
    ]);
  });

  it('boots exactly the inputs the app’s own client sends for those keys', async () => {
    const { api, sent } = recordingApi();
    for (const call of calls.flat()) await firstScreenQuery(api, call).queryFn();
    expect(sent).toEqual(calls.flat());
  });
});
