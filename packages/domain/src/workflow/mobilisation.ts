import { DomainError } from '../errors.ts';
import type { Role } from '../scope.ts';
import { codeLengthOf, isWithinUnit } from '../units.ts';
import { HOUR_MS, MINUTE_MS, assertValidWallClock, formatWallClock, type WallClock } from './wall-clock.ts';

/**
 * Emergency mobilisation (微网实格): a task broadcast to every grid of an area, each grid to
 * reach its 30–100 households door to door within 3 hours. Times are judged from the moment
 * of broadcast; a grid that has not completed by the deadline is "missing" (未完成), one that
 * completed after it is "late". Acknowledgement (接收确认) is recorded and reported, not judged:
 * the standard is about reaching households, not about answering the phone.
 */
export const MOBILISATION_STANDARD_HOURS = 3;

export interface MobilisationIssuer {
  username: string;
  role: Role;
  unitCode: string;
}

export interface GridMobilisation {
  gridCode: string;
  acknowledgedAt: WallClock | null;
  completedAt: WallClock | null;
  /** Who recorded the completion (the grid worker, or the street on their behalf). */
  completedBy: string | null;
  note: string | null;
}

export interface MobilisationTask {
  id: string;
  title: string;
  areaCode: string;
  issuedBy: string;
  issuedAt: WallClock;
  standardHours: number;
  deadline: WallClock;
  grids: readonly GridMobilisation[];
}

const ISSUER_ROLES: readonly Role[] = ['street_operator', 'district_analyst', 'city_commander'];

export interface BroadcastInput {
  id: string;
  title: string;
  /** The chosen area: a street, district or the city; every grid below it is mobilised. */
  areaCode: string;
  /** All known grid codes; the ones inside the area are selected. */
  gridCodes: readonly string[];
  issuedAt: WallClock;
  standardHours?: number;
}

/** Broadcasts a task to every grid in the area; refuses an area the issuer does not govern. */
export function broadcastMobilisation(input: BroadcastInput, issuer: MobilisationIssuer): MobilisationTask {
  assertValidWallClock(input.issuedAt, '下发时间');
  if (!ISSUER_ROLES.includes(issuer.role) || !isWithinUnit(input.areaCode, issuer.unitCode)) {
    throw new DomainError('FORBIDDEN', `${issuer.username} 无权向 ${input.areaCode} 下发动员任务`);
  }
  if (input.title.trim() === '') throw new DomainError('BAD_INPUT', '动员任务须有标题');
  const standardHours = input.standardHours ?? MOBILISATION_STANDARD_HOURS;
  if (!(standardHours > 0 && standardHours <= 72)) throw new DomainError('BAD_INPUT', `动员时限无效: ${standardHours}`);
  const gridLength = codeLengthOf('grid');
  const selected = [...new Set(input.gridCodes)].filter((code) => code.length === gridLength && isWithinUnit(code, input.areaCode)).sort();
  if (selected.length === 0) throw new DomainError('BAD_INPUT', `区域 ${input.areaCode} 内没有网格`);
  return Object.freeze({
    id: input.id,
    title: input.title.trim(),
    areaCode: input.areaCode,
    issuedBy: issuer.username,
    issuedAt: input.issuedAt,
    standardHours,
    deadline: new Date(input.issuedAt.getTime() + standardHours * HOUR_MS),
    grids: Object.freeze(selected.map((gridCode) => Object.freeze({ gridCode, acknowledgedAt: null, completedAt: null, completedBy: null, note: null }))),
  });
}

/** The grid's worker, or the street/district above it recording on the grid's behalf. */
function assertMayReport(issuer: MobilisationIssuer, gridCode: string): void {
  const own = issuer.role === 'grid_worker' && issuer.unitCode === gridCode;
  const above = ISSUER_ROLES.includes(issuer.role) && isWithinUnit(gridCode, issuer.unitCode);
  if (!own && !above) throw new DomainError('FORBIDDEN', `${issuer.username} 无权为网格 ${gridCode} 报告动员进展`);
}

function updateGrid(task: MobilisationTask, gridCode: string, at: WallClock, change: (grid: GridMobilisation) => GridMobilisation): MobilisationTask {
  assertValidWallClock(at, '报告时间');
  if (at < task.issuedAt) throw new DomainError('BAD_INPUT', `报告时间 ${formatWallClock(at)} 早于任务下发时间`);
  const index = task.grids.findIndex((g) => g.gridCode === gridCode);
  if (index < 0) throw new DomainError('NOT_FOUND', `网格 ${gridCode} 不在动员任务 ${task.id} 内`);
  const grids = task.grids.map((g, i) => (i === index ? Object.freeze(change(g)) : g));
  return Object.freeze({ ...task, grids: Object.freeze(grids) });
}

/** Records the grid's acknowledgement; a repeated acknowledgement keeps the first time (idempotent). */
export function acknowledgeMobilisation(task: MobilisationTask, gridCode: string, reporter: MobilisationIssuer, at: WallClock): MobilisationTask {
  assertMayReport(reporter, gridCode);
  return updateGrid(task, gridCode, at, (grid) => (grid.acknowledgedAt ? grid : { ...grid, acknowledgedAt: at }));
}

/** Records completion; it implies acknowledgement. Completing twice is a conflict, not an update. */
export function completeMobilisation(task: MobilisationTask, gridCode: string, reporter: MobilisationIssuer, at: WallClock, note: string | null = null): MobilisationTask {
  assertMayReport(reporter, gridCode);
  return updateGrid(task, gridCode, at, (grid) => {
    if (grid.completedAt) throw new DomainError('CONFLICT', `网格 ${gridCode} 已于 ${formatWallClock(grid.completedAt)} 报告完成`);
    return { ...grid, acknowledgedAt: grid.acknowledgedAt ?? at, completedAt: at, completedBy: reporter.username, note };
  });
}

export const GRID_MOBILISATION_STATUSES = ['pending', 'acknowledged', 'completed_on_time', 'completed_late', 'missing'] as const;
export type GridMobilisationStatus = (typeof GRID_MOBILISATION_STATUSES)[number];
export const GRID_MOBILISATION_STATUS_LABELS: Record<GridMobilisationStatus, string> = {
  pending: '待确认',
  acknowledged: '已确认、入户中',
  completed_on_time: '按时完成',
  completed_late: '超时完成',
  missing: '超时未完成',
};

/** A grid's status at `at` (events after `at` are ignored, so a replay shows the past). */
export function gridMobilisationStatus(task: MobilisationTask, grid: GridMobilisation, at: WallClock): GridMobilisationStatus {
  if (grid.completedAt && grid.completedAt <= at) return grid.completedAt <= task.deadline ? 'completed_on_time' : 'completed_late';
  if (at > task.deadline) return 'missing';
  return grid.acknowledgedAt && grid.acknowledgedAt <= at ? 'acknowledged' : 'pending';
}

export interface MobilisationSummary {
  total: number;
  acknowledged: number;
  completedWithinStandard: number;
  completedLate: number;
  /** Past the deadline and not completed. */
  missing: number;
  /** Before the deadline and not completed yet. */
  inProgress: number;
  deadline: WallClock;
  /** completedWithinStandard ÷ total. */
  onTimeRate: number;
  /** Slowest acknowledgement and completion so far, in minutes from broadcast. */
  maxAcknowledgeMinutes: number | null;
  maxCompletionMinutes: number | null;
  /** Grids past the deadline and not completed, for the street and district to chase. */
  missingGrids: string[];
}

export function summariseMobilisation(task: MobilisationTask, at: WallClock): MobilisationSummary {
  assertValidWallClock(at, '统计时间');
  const summary: MobilisationSummary = {
    total: task.grids.length,
    acknowledged: 0,
    completedWithinStandard: 0,
    completedLate: 0,
    missing: 0,
    inProgress: 0,
    deadline: task.deadline,
    onTimeRate: 0,
    maxAcknowledgeMinutes: null,
    maxCompletionMinutes: null,
    missingGrids: [],
  };
  const minutes = (t: WallClock) => (t.getTime() - task.issuedAt.getTime()) / MINUTE_MS;
  for (const grid of task.grids) {
    if (grid.acknowledgedAt && grid.acknowledgedAt <= at) {
      summary.acknowledged += 1;
      summary.maxAcknowledgeMinutes = Math.max(summary.maxAcknowledgeMinutes ?? 0, minutes(grid.acknowledgedAt));
    }
    if (grid.completedAt && grid.completedAt <= at) summary.maxCompletionMinutes = Math.max(summary.maxCompletionMinutes ?? 0, minutes(grid.completedAt));
    const status = gridMobilisationStatus(task, grid, at);
    if (status === 'completed_on_time') summary.completedWithinStandard += 1;
    else if (status === 'completed_late') summary.completedLate += 1;
    else if (status === 'missing') {
      summary.missing += 1;
      summary.missingGrids.push(grid.gridCode);
    } else summary.inProgress += 1;
  }
  summary.onTimeRate = summary.completedWithinStandard / summary.total;
  return summary;
}
