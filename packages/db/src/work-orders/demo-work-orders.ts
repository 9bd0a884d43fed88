import {
  DEPARTMENTS,
  DomainError,
  ITEM_LABELS,
  URGENCIES,
  leadDepartmentFor,
  type Assignee,
  type DepartmentCode,
  type Item,
  type UnitCode,
  type Urgency,
  type WallClock,
  type WorkOrderOrigin,
  type WorkOrderState,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { demoActor, mulberry32, runDemoLifecycle, type DemoPlan } from './demo-lifecycle.ts';
import { TRANSITION_APPEND_KINDS, WORK_ORDER_APPEND_KINDS, sqlTimestamp, transitionValues, workOrderValues } from './work-order-rows.ts';

/**
 * Demo work orders that went through the real machine, so the dashboards' 三率 come from real
 * transitions. Sources, from the warehouse's last `months` months before the data clock:
 * - 12345 cases the hotline transferred to a street or a department (origin hotline_transfer);
 * - 110 non-police calls handed to 12345 through the 110–12345 linkage (police_transfer);
 * - grid workers' own patrol reports at the places of other events (grid_report).
 * The count is capped (`maxOrders`, default 3,000 ≈ 2–4 s): the demo warehouse holds ~40,000
 * transferred 12345 cases per two months, far more than a street desk needs to look alive.
 * Deterministic for a seed and a warehouse.
 */
export interface DemoWorkOrderOptions {
  seed: number;
  months?: number;
  maxOrders?: number;
  /** Data clock; defaults to the latest event's receipt time. */
  asOf?: WallClock;
  /** Replace existing work orders (otherwise a database that has some is refused). */
  replace?: boolean;
}

/** `warehouse_meta` row of the demo orders: their seed and the clock their open orders sit on. */
export const DEMO_ORDERS_META_KEY = 'demo_work_orders';
export interface DemoOrdersMeta {
  seed: number;
  /** Wall-clock text 'YYYY-MM-DD HH:mm:ss.SSS'. */
  clock: string | null;
}

export interface DemoWorkOrderResult {
  orders: number;
  transitions: number;
  byState: Partial<Record<WorkOrderState, number>>;
  asOf: WallClock;
}

interface CandidateRow {
  id: number;
  kind: 'hotline' | 'police' | 'grid';
  external_id: string;
  received_at: Date;
  category: string;
  summary: string;
  district_code: string;
  street_code: string;
  community_code: string;
  grid_code: string;
  urgency: string;
  handling_unit: string | null;
  handling_dept: string | null;
}

const SHARES = { hotline: 0.7, police: 0.15, grid: 0.15 } as const;
const GRID_REPORT_ITEMS: readonly Item[] = ['urban_management', 'environment', 'safety', 'disputes', 'utilities', 'housing', 'transport'];
const GRID_FINDINGS = ['巡查中发现，居民反映较多', '入户走访时群众反映', '巡查时发现存在安全隐患', '楼栋长报告，需协调处理'];

export async function generateDemoWorkOrders(db: Database, options: DemoWorkOrderOptions): Promise<DemoWorkOrderResult> {
  const months = options.months ?? 2;
  const maxOrders = options.maxOrders ?? 3000;
  if (!(Number.isInteger(months) && months >= 1 && months <= 24)) throw new DomainError('BAD_INPUT', `months must be 1–24: ${months}`);
  if (!(Number.isInteger(maxOrders) && maxOrders >= 1 && maxOrders <= 200_000)) throw new DomainError('BAD_INPUT', `maxOrders must be 1–200000: ${maxOrders}`);
  const existing = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM "work_orders"`);
  if ((existing[0]?.n ?? 0) > 0 && !options.replace) throw new DomainError('CONFLICT', '数据库已有工单；如需重新生成请使用 replace / work orders exist: pass replace');
  const asOf = options.asOf ?? (await dataClock(db));
  const from = new Date(asOf.getTime() - months * 30.44 * 86_400_000);
  const candidates = await selectCandidates(db, options.seed, from, asOf, maxOrders);

  const orderRows: ReturnType<typeof workOrderValues>[] = [];
  const transitionRows: ReturnType<typeof transitionValues>[] = [];
  const byState: Partial<Record<WorkOrderState, number>> = {};
  candidates.forEach((row, index) => {
    const rng = mulberry32((options.seed * 2_654_435_761 + index * 40_503 + 17) >>> 0);
    const run = runDemoLifecycle(planFor(row, index, rng), rng, asOf);
    if (!run) return;
    orderRows.push(workOrderValues(run.order, row.kind === 'grid' ? null : row.id));
    for (const record of run.records) transitionRows.push(transitionValues(record));
    byState[run.order.state] = (byState[run.order.state] ?? 0) + 1;
  });

  await db.transaction(async (tx) => {
    if (options.replace) for (const table of ['work_order_transitions', 'work_orders']) await tx.run(`DELETE FROM "${table}"`);
    await tx.appendRows('work_orders', WORK_ORDER_APPEND_KINDS, orderRows);
    await tx.appendRows('work_order_transitions', TRANSITION_APPEND_KINDS, transitionRows);
    // What `retimeOpenDemoOrders` needs to move the open orders onto a later clock.
    await tx.run(`INSERT OR REPLACE INTO "warehouse_meta" VALUES ('${DEMO_ORDERS_META_KEY}', $value)`, {
      value: JSON.stringify({ seed: options.seed, clock: sqlTimestamp(asOf) } satisfies DemoOrdersMeta),
    });
  });
  return { orders: orderRows.length, transitions: transitionRows.length, byState, asOf };
}

async function dataClock(db: Database): Promise<WallClock> {
  const rows = await db.all<{ at: Date | null }>(`SELECT max("received_at") AS at FROM "events"`);
  const at = rows[0]?.at;
  if (!at) throw new DomainError('BAD_INPUT', '事件表为空，请先生成演示数据 / no events: generate demo data first');
  return at;
}

/**
 * A deterministic sample (ordered by a seeded hash) of each kind, in proportion to SHARES.
 * Grid reports borrow the place and time of a sampled event of any kind, not its content.
 */
async function selectCandidates(db: Database, seed: number, from: WallClock, asOf: WallClock, maxOrders: number): Promise<CandidateRow[]> {
  const quota = (share: number) => Math.max(1, Math.round(maxOrders * share));
  const bounds = { from: from.toISOString().slice(0, 19), as_of: asOf.toISOString().slice(0, 19), seed };
  const columns = `e."id"::DOUBLE AS id, e."external_id", e."received_at", e."category", e."summary", e."district_code", e."street_code",
    e."community_code", e."grid_code", e."urgency", e."handling_unit", e."handling_dept"`;
  const window = `e."received_at" >= $from::TIMESTAMP AND e."received_at" <= $as_of::TIMESTAMP`;
  const pick = (kind: string, where: string, n: number, order = `hash(e."id", $seed, '${kind}')`) =>
    db.all<CandidateRow>(`SELECT '${kind}' AS kind, ${columns} FROM "events" e WHERE ${window} AND ${where} ORDER BY ${order} LIMIT $n`, { ...bounds, n });
  const transferred = `e."source" = 'hotline' AND e."dispatched_at" IS NOT NULL AND (e."handling_unit" IS NOT NULL OR e."handling_dept" IS NOT NULL)`;
  const sampled = await pick('hotline', transferred, quota(SHARES.hotline));
  // The newest cases too (3 %), so the desk also shows orders still waiting to be accepted or signed.
  const newest = await pick('hotline', transferred, Math.max(3, Math.round(maxOrders * 0.03)), `e."received_at" DESC, hash(e."id", $seed)`);
  const seen = new Set(sampled.map((row) => row.id));
  const rows = [
    ...sampled,
    ...newest.filter((row) => !seen.has(row.id)),
    ...(await pick('police', `e."source" = 'police' AND coalesce(e."police_transferred_to_hotline", false)`, quota(SHARES.police))),
    ...(await pick('grid', `e."source" <> 'petition'`, quota(SHARES.grid))),
  ];
  // Creation order = time order, so ids and the audit trail read chronologically.
  return rows.sort((a, b) => a.received_at.getTime() - b.received_at.getTime() || a.id - b.id);
}

const asItem = (category: string): Item => (category in ITEM_LABELS ? (category as Item) : 'government_services');
const asUrgency = (urgency: string): Urgency => ((URGENCIES as readonly string[]).includes(urgency) ? (urgency as Urgency) : 'normal');
const isDepartment = (code: string | null): code is DepartmentCode => DEPARTMENTS.some((d) => d.code === code);

function planFor(row: CandidateRow, index: number, rng: () => number): DemoPlan {
  const location = {
    districtCode: row.district_code as UnitCode,
    streetCode: row.street_code as UnitCode,
    communityCode: row.community_code as UnitCode,
    gridCode: row.grid_code as UnitCode,
  };
  const street: Assignee = { kind: 'street', code: row.street_code };
  const stamp = row.received_at.toISOString().slice(0, 7).replace('-', '');
  if (row.kind === 'grid') {
    const item = GRID_REPORT_ITEMS[Math.floor(rng() * GRID_REPORT_ITEMS.length)]!;
    const lead: Assignee = { kind: 'department', code: leadDepartmentFor(item) };
    const roll = rng();
    // Small matters stay with the grid; the street takes the rest, and calls departments in.
    const assignee: Assignee = roll < 0.45 ? { kind: 'grid', code: row.grid_code } : roll < 0.85 ? street : lead;
    return {
      input: {
        id: `WO-${stamp}-G${String(index).padStart(6, '0')}`,
        origin: 'grid_report',
        item,
        urgency: rng() < 0.05 ? 'urgent' : 'normal',
        summary: `网格员上报（${ITEM_LABELS[item].zh}）：${GRID_FINDINGS[Math.floor(rng() * GRID_FINDINGS.length)]}`,
        location,
      },
      creator: demoActor.grid(row.grid_code),
      dispatcher: demoActor.street(row.street_code),
      assignee,
      alternative: assignee.kind === 'department' ? street : lead,
      // Patrol reports are filed in the daytime, some minutes after the borrowed moment.
      createdAt: new Date(row.received_at.getTime() + Math.round(rng() * 90) * 60_000),
    };
  }
  const item = asItem(row.category);
  const lead: Assignee = { kind: 'department', code: isDepartment(row.handling_dept) ? row.handling_dept : leadDepartmentFor(item) };
  const origin: WorkOrderOrigin = row.kind === 'hotline' ? 'hotline_transfer' : 'police_transfer';
  const assignee: Assignee = row.kind === 'police' || row.handling_unit ? street : lead;
  return {
    input: {
      id: `WO-${stamp}-${row.kind === 'hotline' ? 'H' : 'P'}${String(row.id)}`,
      origin,
      sourceRef: row.external_id,
      item,
      urgency: asUrgency(row.urgency),
      summary: row.summary.slice(0, 2000) || ITEM_LABELS[item].zh,
      location,
    },
    // 12345 is the city's platform; 110 non-police calls reach the district center through the linkage.
    creator: demoActor.city(),
    dispatcher: row.kind === 'hotline' ? demoActor.city() : demoActor.district(row.district_code),
    assignee,
    alternative: assignee.kind === 'department' ? street : lead,
    createdAt: row.received_at,
  };
}
