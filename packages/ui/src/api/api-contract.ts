/**
 * The slice of the CityOps tRPC API the dashboards use, written down as plain types.
 *
 * `trpc-client.ts` assigns the real `createTRPCClient<AppRouter>()` to `CityOpsApi`, so
 * once `@cityops/api` exports `AppRouter` the compiler checks the server against this
 * contract (a mismatch fails `tsc`, not the user's browser).
 */
import type { Role } from '@cityops/domain/scope';
import type { Source } from '@cityops/domain/sources';
import type { Item } from '@cityops/domain/categories';
import type { UnitLevel } from '@cityops/domain/units';
import type { HotspotBin } from '@cityops/domain/index-method/hotspots';
import type { EmergingCategory } from '@cityops/domain/index-method/emerging';
import type { Pillar } from '@cityops/domain/index-method/indicators';
import type { ItemGroup } from '@cityops/domain/index-method/decompose';
import type { SlaStatus } from '@cityops/domain/workflow/sla';
import type { EventDetail, EventPoint, EventRow } from '@cityops/domain/event-views';

export type { EventDetail, EventPoint, EventRow };
import type {
  Assignee,
  AssigneeKind,
  WorkOrderAction,
  WorkOrderActionType,
  WorkOrderOrigin,
  WorkOrderState,
} from '@cityops/domain/workflow/work-order-types';

export interface SessionUser {
  username: string;
  displayName: string;
  role: Role;
  unitCode: string;
  unitName: string;
  unitLevel: UnitLevel;
  departmentCode: string | null;
  /** A grid worker's grids (their scope: the community above them is not), else null. */
  gridCodes?: string[] | null;
}

export interface GeoUnit {
  code: string;
  name: string;
  level: UnitLevel;
  parentCode: string | null;
  population: number;
  households: number;
  lng: number;
  lat: number;
}

export interface MonthlyVolumeRow {
  month: string;
  source: Source;
  count: number;
}

export interface ChildVolumeRow {
  code: string;
  name: string;
  level: UnitLevel;
  population: number;
  count: number;
  /** null when the unit has no recorded population. */
  ratePer10k: number | null;
}

export interface KpiRow {
  source: Source;
  count: number;
  previousMonth: number;
  sameMonthLastYear: number;
  /** Ratios in [0, 1]; null when the denominator is 0 (see packages/db/src/queries/kpis.ts). */
  responseRate: number | null;
  completionRate: number | null;
  satisfactionRate: number | null;
}

export interface TopItemRow {
  item: Item;
  count: number;
  share: number;
}

/** Work orders on the wire: timestamps are wall-clock text 'YYYY-MM-DD HH:mm:ss' (Asia/Shanghai). */
export interface WorkOrderListItem {
  id: string;
  version: number;
  state: WorkOrderState;
  origin: WorkOrderOrigin;
  item: Item;
  urgency: string;
  summary: string;
  streetCode: string;
  communityCode: string;
  gridCode: string;
  assignee: Assignee | null;
  dueAt: string;
  createdAt: string;
  updatedAt: string;
  supervised: boolean;
  slaStatus: SlaStatus;
}

export interface WorkOrderList {
  total: number;
  bySlaStatus: Record<SlaStatus, number>;
  rows: WorkOrderListItem[];
}

export interface WorkOrderHistoryEntry {
  action: WorkOrderActionType | 'create';
  fromState: WorkOrderState | null;
  toState: WorkOrderState;
  version: number;
  actor: { username: string; role: string; unitCode: string };
  at: string;
  reason: string | null;
}

export interface WorkOrderDetail {
  order: {
    id: string;
    version: number;
    state: WorkOrderState;
    origin: WorkOrderOrigin;
    item: Item;
    urgency: string;
    summary: string;
    assignee: Assignee | null;
    dueAt: string;
    createdAt: string;
    history: readonly WorkOrderHistoryEntry[];
  };
  slaStatus: SlaStatus;
  allowedActions: WorkOrderActionType[];
}

export interface WorkOrderListInput {
  state?: WorkOrderState;
  slaStatus?: SlaStatus;
  unitCode?: string;
  orderBy?: 'updated' | 'due';
  limit?: number;
  offset?: number;
}

/** A transition as the desk sends it; `requestedDueAt` travels as wall-clock text. */
export type WorkOrderActionInput = WorkOrderAction extends infer A
  ? A extends { requestedDueAt: Date }
    ? Omit<A, 'requestedDueAt'> & { requestedDueAt: string }
    : A
  : never;

export interface AlertRow {
  id: string;
  kind: 'statistical' | 'sensor' | 'escalation';
  unitCode: string;
  item: Item;
  severity: string;
  title: string;
  day: string;
  createdAt: string;
  status: string;
}

/** What `live.stream` pushes (no personal data). */
export type LiveMessage =
  | { kind: 'event'; id: number; source: Source; item: Item; streetCode: string; districtCode: string; receivedAt: string; summary: string; publishedAt: number }
  | { kind: 'alert'; id: string; item: Item; unitCode: string; severity: string; title: string; publishedAt: number }
  | { kind: 'work_order'; id: string; item: Item; unitCode: string; state: string; action: string; publishedAt: number };

export interface HotspotCell {
  cell: string;
  events: number;
  z: number;
  p: number;
  bin: HotspotBin;
}

export interface HotspotResult {
  unitCode: string;
  month: string;
  resolution: number;
  bins: Record<string, number>;
  cells: HotspotCell[];
}

export interface IndexRankingEntry {
  code: string;
  name: string;
  score: number;
  band: { id: string; zh: string; en: string; color: string };
  rank: number;
  rankOf: number;
  rankInterval: { median: number; p5: number; p95: number } | null;
  momChange: number | null;
}

/** One unit's index for a month (index.unit; the fields the dashboards read). */
export interface IndexUnit {
  source: { month: string; status: string };
  code: string;
  name: string;
  score: number;
  band: { id: string; zh: string; en: string; color: string };
  mom: { score: number; change: number } | null;
  yoy: { score: number; change: number } | null;
}

export interface IndexRanking {
  source: { status: string };
  units: IndexRankingEntry[];
}

export interface EmergingCell {
  cell: string;
  category: EmergingCategory;
  label: { zh: string; en: string };
  trend: { direction: string; z: number; p: number } | null;
  hotMonths: number;
  coldMonths: number;
  zLast: number;
}

export interface EmergingResult {
  unitCode: string;
  month: string;
  months: string[];
  resolution: number;
  fdr: boolean;
  studyAreaCells: number;
  categories: Record<EmergingCategory, number>;
  cells: EmergingCell[];
}

export interface IndicatorContributionRow {
  id: string;
  pillar: Pillar;
  item: ItemGroup;
  label: { zh: string; en: string };
  before: number;
  after: number;
  contribution: number;
  rounded: number;
}

/** "Why did it drop?": the score change from `compareTo` to `month`, split so the parts add up. */
export interface IndexDecomposition {
  code: string;
  month: string;
  compareTo: string;
  status: { month: string; compareTo: string };
  comparable: boolean;
  scoreBefore: number;
  scoreAfter: number;
  change: number;
  pillars: Record<Pillar, number>;
  items: Partial<Record<ItemGroup, number>>;
  indicators: IndicatorContributionRow[];
  complete: boolean;
}

/** Filters of the analyst's view (all optional); `overview.childVolumes` takes source and item. */
export interface ViewFilters {
  source?: Source | undefined;
  item?: Item | undefined;
  nature?: string | undefined;
}

export interface WorkOrderCreateInput {
  origin: WorkOrderOrigin;
  sourceRef?: string;
  item: Item;
  urgency: string;
  summary: string;
  gridCode: string;
  /** Accept and dispatch in the same call (the city's 派单 of a major event). */
  dispatchTo?: { kind: Extract<AssigneeKind, 'district' | 'department'>; code: string; note?: string };
}

/** The filter of an event list (and of an export): a unit, a month and the view's filters. */
export interface EventFilter {
  unitCode: string;
  month: string;
  source?: Source;
  item?: Item;
  nature?: string;
}



interface Subscription<I, O> {
  subscribe(
    input: I,
    observer: { onData?: (value: O) => void; onError?: (error: unknown) => void; onStarted?: () => void },
  ): { unsubscribe(): void };
}

interface Query<I, O> {
  query(input: I): Promise<O>;
}
interface Mutation<I, O> {
  mutate(input: I): Promise<O>;
}

/** The procedures the dashboards call, as the vanilla tRPC client exposes them. */
export interface CityOpsApi {
  auth: {
    login: Mutation<{ username: string; password: string }, { user: SessionUser | null }>;
    logout: Mutation<void, unknown>;
    me: Query<void, { user: SessionUser | null }>;
  };
  geo: {
    unit: Query<{ code: string }, GeoUnit>;
    children: Query<{ code: string }, GeoUnit[]>;
  };
  overview: {
    months: Query<void, { months: string[] }>;
    monthlyVolumes: Query<{ unitCode: string; months?: number }, MonthlyVolumeRow[]>;
    childVolumes: Query<{ unitCode: string; month: string; source?: Source; item?: Item }, ChildVolumeRow[]>;
    kpis: Query<{ unitCode: string; month: string }, KpiRow[]>;
    topItems: Query<{ unitCode: string; month: string; limit: number }, TopItemRow[]>;
  };
  workOrders: {
    list: Query<WorkOrderListInput, WorkOrderList>;
    byId: Query<{ id: string }, WorkOrderDetail>;
    create: Mutation<WorkOrderCreateInput, { order: { id: string; version: number; state: WorkOrderState; assignee: Assignee | null } }>;
    transition: Mutation<{ id: string; action: WorkOrderActionInput }, { order: { id: string; version: number; state: WorkOrderState } }>;
  };
  alerts: {
    list: Query<{ unitCode: string; from: string; to: string; limit?: number }, AlertRow[]>;
  };
  hotspots: {
    gi: Query<{ unitCode: string; month: string; source?: Source; item?: Item }, HotspotResult>;
    emerging: Query<{ unitCode: string; month: string; months?: number; source?: Source; item?: Item }, EmergingResult>;
  };
  index: {
    ranking: Query<{ unitCode: string; month: string }, IndexRanking>;
    unit: Query<{ code: string; month: string }, IndexUnit>;
    decomposition: Query<{ code: string; month: string; compareTo: string }, IndexDecomposition>;
  };
  live: {
    stream: Subscription<void, LiveMessage>;
  };
  events: {
    list: Query<EventFilter & { limit?: number; offset?: number }, { total: number; rows: EventRow[] }>;
    detail: Query<{ id: string }, EventDetail>;
    points: Query<Omit<EventFilter, 'nature'> & { limit?: number }, { rows: EventPoint[]; truncated: boolean }>;
  };
}
