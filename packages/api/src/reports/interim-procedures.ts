/**
 * TODO(report adapter): interim procedures the report needs and no router offers yet.
 *
 * `natures` — the month's cases by nature (性质) per source: 12345 咨询/求助/投诉/建议/举报/表扬,
 * 110 警情/非警情, petitions 求决/申诉/检举控告/意见建议. It belongs in the data layer as
 * `queryNatureBreakdown` in packages/db/src/queries/ (SQL lives there) and on the overview
 * router as `overview.natures`; then delete this file and switch `collect-report-data.ts` to
 * `caller.overview.natures`. Until then the SQL is kept here, scope-checked like the others,
 * and the report marks the section as interim (`ReportData.natures.interim`).
 */
import { z } from 'zod';
import { HOTLINE_NATURE_LABELS, POLICE_NATURE_LABELS, SOURCES, assertUnitInScope, levelOfCode, type Scope, type Source } from '@cityops/domain';
import type { Database } from '@cityops/db';
import { authedProcedure, router } from '../trpc.ts';
import { monthInput, unitCodeInput } from '../routers/inputs.ts';

export const PETITION_NATURE_LABELS = { request: '求决', appeal: '申诉', accusation: '检举控告', suggestion: '意见建议' } as const;

export const NATURE_LABELS: Record<Source, Record<string, string>> = {
  hotline: Object.fromEntries(Object.entries(HOTLINE_NATURE_LABELS)),
  police: Object.fromEntries(Object.entries(POLICE_NATURE_LABELS)),
  petition: { ...PETITION_NATURE_LABELS },
};

export interface NatureCount {
  source: Source;
  nature: string;
  count: number;
}

const UNIT_COLUMN = { city: null, district: 'district_code', street: 'street_code', community: 'community_code', grid: 'grid_code' } as const;

export async function queryNatureBreakdown(db: Database, scope: Scope, input: { unitCode: string; month: string }): Promise<NatureCount[]> {
  assertUnitInScope(scope, input.unitCode);
  const level = levelOfCode(input.unitCode)!;
  const column = UNIT_COLUMN[level];
  const unitClause = column ? `"${column}" = $unit` : `starts_with("district_code", $unit)`;
  const rows = await db.all<NatureCount>(
    `SELECT "source", "nature", count(*)::INTEGER AS "count" FROM "events"
     WHERE ${unitClause} AND "received_at" >= $month::DATE AND "received_at" < $month::DATE + INTERVAL 1 MONTH
       AND ($items::VARCHAR IS NULL OR list_contains(string_split($items, ','), "category"))
       AND ($grids::VARCHAR IS NULL OR list_contains(string_split($grids, ','), "grid_code"))
     GROUP BY ALL`,
    { unit: input.unitCode, month: `${input.month}-01`, items: scope.items ? scope.items.join(',') : null, grids: scope.gridCodes ? scope.gridCodes.join(',') : null },
  );
  const order = (row: NatureCount) => SOURCES.indexOf(row.source) * 100 + Object.keys(NATURE_LABELS[row.source] ?? {}).indexOf(row.nature);
  return rows.sort((a, b) => order(a) - order(b));
}

export const reportInterimRouter = router({
  natures: authedProcedure
    .input(z.object({ unitCode: unitCodeInput, month: monthInput }))
    .query(({ ctx, input }) => queryNatureBreakdown(ctx.db, ctx.scope, input)),
});
