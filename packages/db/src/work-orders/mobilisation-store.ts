import { randomUUID } from 'node:crypto';
import {
  DomainError,
  acknowledgeMobilisation,
  assertUnitInScope,
  broadcastMobilisation,
  completeMobilisation,
  gridMobilisationStatus,
  scopeCoversUnit,
  summariseMobilisation,
  wallClockFromInstant,
  type GridMobilisationStatus,
  type MobilisationIssuer,
  type MobilisationSummary,
  type MobilisationTask,
  type Scope,
  type WallClock,
} from '@cityops/domain';
import type { Database } from '../database.ts';
import { appendAuditLine } from './audit-line.ts';
import { runExclusiveTransaction } from './exclusive-transaction.ts';
import { sqlTimestamp } from './work-order-rows.ts';

/**
 * 微网实格 mobilisation in the warehouse: a task row plus one row per grid. The rules (who may
 * broadcast and report, the 3-hour standard, statuses) are the domain's mobilisation.ts; this
 * module loads, applies and stores. Visibility: the task's grids inside the caller's territory
 * (a street sees its own grids of a district-wide task; a grid worker its own grid); city
 * departments are not part of the territorial chain and see none.
 */
export interface MobilisationChange {
  at?: WallClock;
  ip?: string | null;
}

const now = (): WallClock => wallClockFromInstant(new Date());

function assertTerritorial(scope: Scope): void {
  if (scope.role === 'department_officer') throw new DomainError('FORBIDDEN', '微网实格动员任务仅对属地（区、街镇、网格）开放');
}

/** The grid worker reports as the grid (the domain expects a grid worker's unitCode to be it). */
function reporterFor(reporter: MobilisationIssuer, scope: Scope, gridCode: string): MobilisationIssuer {
  if (reporter.role !== 'grid_worker') return reporter;
  if (!(scope.gridCodes as readonly string[] | null)?.includes(gridCode)) throw new DomainError('FORBIDDEN', `${reporter.username} 无权为网格 ${gridCode} 报告动员进展`);
  return { ...reporter, unitCode: gridCode };
}

export interface BroadcastRequest {
  title: string;
  /** A street, district (or the city): every grid below it is mobilised. */
  areaCode: string;
  standardHours?: number;
  id?: string;
}

export async function broadcastMobilisationTask(db: Database, scope: Scope, issuer: MobilisationIssuer, request: BroadcastRequest, change: MobilisationChange = {}): Promise<MobilisationTask> {
  assertTerritorial(scope);
  assertUnitInScope(scope, request.areaCode);
  const issuedAt = change.at ?? now();
  const grids = await db.all<{ code: string }>(`SELECT "code" FROM "units" WHERE "level" = 'grid' AND starts_with("code", ?) ORDER BY "code"`, [request.areaCode]);
  const task = broadcastMobilisation(
    {
      id: request.id ?? `MOB-${sqlTimestamp(issuedAt)!.slice(0, 10).replaceAll('-', '')}-${randomUUID().slice(0, 8)}`,
      title: request.title,
      areaCode: request.areaCode,
      gridCodes: grids.map((g) => g.code),
      issuedAt,
      ...(request.standardHours === undefined ? {} : { standardHours: request.standardHours }),
    },
    issuer,
  );
  await runExclusiveTransaction(db, async (tx) => {
    await tx.run(`INSERT INTO "mobilisation_tasks" VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?, ?::TIMESTAMP)`, [
      task.id, task.title, task.areaCode, issuer.username, issuer.role, issuer.unitCode, sqlTimestamp(task.issuedAt), task.standardHours, sqlTimestamp(task.deadline),
    ]);
    await tx.appendRows('mobilisation_grids', ['varchar', 'varchar', 'varchar', 'varchar', 'varchar', 'varchar'], task.grids.map((g) => [task.id, g.gridCode, null, null, null, null]));
    await appendAuditLine(tx, {
      actor: issuer.username,
      action: 'mobilisation.broadcast',
      target: task.id,
      detail: { title: task.title, areaCode: task.areaCode, grids: task.grids.length, deadline: sqlTimestamp(task.deadline) },
      ip: change.ip ?? null,
    });
  });
  return task;
}

interface TaskRow {
  id: string;
  title: string;
  area_code: string;
  issued_by: string;
  issued_at: Date;
  standard_hours: number;
  deadline: Date;
}
interface GridRow {
  grid_code: string;
  acknowledged_at: Date | null;
  completed_at: Date | null;
  completed_by: string | null;
  note: string | null;
}

export async function loadMobilisationTask(db: Database, id: string): Promise<MobilisationTask | undefined> {
  const tasks = await db.all<TaskRow>(`SELECT * FROM "mobilisation_tasks" WHERE "id" = ?`, [id]);
  const task = tasks[0];
  if (!task) return undefined;
  const grids = await db.all<GridRow>(`SELECT * FROM "mobilisation_grids" WHERE "task_id" = ? ORDER BY "grid_code"`, [id]);
  return {
    id: task.id,
    title: task.title,
    areaCode: task.area_code,
    issuedBy: task.issued_by,
    issuedAt: task.issued_at,
    standardHours: task.standard_hours,
    deadline: task.deadline,
    grids: grids.map((g) => ({ gridCode: g.grid_code, acknowledgedAt: g.acknowledged_at, completedAt: g.completed_at, completedBy: g.completed_by, note: g.note })),
  };
}

/** The task cut down to the caller's grids; FORBIDDEN when none of them is the caller's. */
async function loadVisibleTask(db: Database, scope: Scope, id: string): Promise<MobilisationTask> {
  assertTerritorial(scope);
  const task = await loadMobilisationTask(db, id);
  const grids = task?.grids.filter((g) => scopeCoversUnit(scope, g.gridCode)) ?? [];
  if (!task || grids.length === 0) throw new DomainError('FORBIDDEN', `动员任务 ${id} 不存在或不在您的管辖范围内`);
  return { ...task, grids };
}

export interface GridReport {
  taskId: string;
  gridCode: string;
  note?: string | null;
}

export async function acknowledgeMobilisationGrid(db: Database, scope: Scope, reporter: MobilisationIssuer, report: GridReport, change: MobilisationChange = {}): Promise<MobilisationTask> {
  const task = await loadVisibleTask(db, scope, report.taskId);
  const at = change.at ?? now();
  const next = acknowledgeMobilisation(task, report.gridCode, reporterFor(reporter, scope, report.gridCode), at);
  await runExclusiveTransaction(db, async (tx) => {
    // coalesce keeps the first acknowledgement when two arrive together (idempotent, as in the domain).
    await tx.run(`UPDATE "mobilisation_grids" SET "acknowledged_at" = coalesce("acknowledged_at", ?::TIMESTAMP) WHERE "task_id" = ? AND "grid_code" = ?`, [
      sqlTimestamp(at), task.id, report.gridCode,
    ]);
    await appendAuditLine(tx, { actor: reporter.username, action: 'mobilisation.acknowledge', target: task.id, detail: { gridCode: report.gridCode }, ip: change.ip ?? null });
  });
  return next;
}

export async function completeMobilisationGrid(db: Database, scope: Scope, reporter: MobilisationIssuer, report: GridReport, change: MobilisationChange = {}): Promise<MobilisationTask> {
  const task = await loadVisibleTask(db, scope, report.taskId);
  const at = change.at ?? now();
  const next = completeMobilisation(task, report.gridCode, reporterFor(reporter, scope, report.gridCode), at, report.note ?? null);
  const written = await runExclusiveTransaction(db, async (tx) => {
    const updated = await tx.all(
      `UPDATE "mobilisation_grids" SET "acknowledged_at" = coalesce("acknowledged_at", ?::TIMESTAMP), "completed_at" = ?::TIMESTAMP, "completed_by" = ?, "note" = ?
       WHERE "task_id" = ? AND "grid_code" = ? AND "completed_at" IS NULL RETURNING "grid_code"`,
      [sqlTimestamp(at), sqlTimestamp(at), reporter.username, report.note ?? null, task.id, report.gridCode],
    );
    if (updated.length === 0) return false; // someone completed it since we loaded: report, do not overwrite
    await appendAuditLine(tx, { actor: reporter.username, action: 'mobilisation.complete', target: task.id, detail: { gridCode: report.gridCode, note: report.note ?? null }, ip: change.ip ?? null });
    return true;
  });
  if (!written) throw new DomainError('CONFLICT', `网格 ${report.gridCode} 已报告完成`);
  return next;
}

export interface MobilisationGridView {
  gridCode: string;
  status: GridMobilisationStatus;
  acknowledgedAt: WallClock | null;
  completedAt: WallClock | null;
  completedBy: string | null;
  note: string | null;
}

export interface MobilisationOverview {
  task: Omit<MobilisationTask, 'grids'>;
  summary: MobilisationSummary;
  grids: MobilisationGridView[];
}

/** Progress against the 3-hour standard at `at`, over the caller's grids of the task. */
export async function getMobilisationSummary(db: Database, scope: Scope, taskId: string, at: WallClock = now()): Promise<MobilisationOverview> {
  const task = await loadVisibleTask(db, scope, taskId);
  const { grids, ...header } = task;
  return {
    task: header,
    summary: summariseMobilisation(task, at),
    // As known at `at`: a replay of the past does not show later reports.
    grids: grids.map((g) => {
      const completed = g.completedAt !== null && g.completedAt <= at;
      return {
        gridCode: g.gridCode,
        status: gridMobilisationStatus(task, g, at),
        acknowledgedAt: g.acknowledgedAt && g.acknowledgedAt <= at ? g.acknowledgedAt : null,
        completedAt: completed ? g.completedAt : null,
        completedBy: completed ? g.completedBy : null,
        note: completed ? g.note : null,
      };
    }),
  };
}

export interface MobilisationTaskListItem {
  id: string;
  title: string;
  areaCode: string;
  issuedBy: string;
  issuedAt: WallClock;
  deadline: WallClock;
  /** The caller's grids in the task, and how many of them have completed. */
  grids: number;
  completed: number;
}

/** Tasks that reach at least one of the caller's grids, newest first. */
export async function listMobilisationTasks(db: Database, scope: Scope, limit = 50): Promise<MobilisationTaskListItem[]> {
  assertTerritorial(scope);
  const grids = scope.gridCodes;
  const rows = await db.all<TaskRow & { grids: number; completed: number }>(
    `SELECT t.*, count(*)::INTEGER AS grids, count(g."completed_at")::INTEGER AS completed
     FROM "mobilisation_tasks" t JOIN "mobilisation_grids" g ON g."task_id" = t."id"
     WHERE starts_with(g."grid_code", ?) ${grids ? `AND g."grid_code" IN (${grids.map(() => '?').join(', ') || 'NULL'})` : ''}
     GROUP BY ALL ORDER BY t."issued_at" DESC, t."id" LIMIT ?`,
    [scope.unitCode, ...(grids ?? []), limit],
  );
  return rows.map((r) => ({ id: r.id, title: r.title, areaCode: r.area_code, issuedBy: r.issued_by, issuedAt: r.issued_at, deadline: r.deadline, grids: r.grids, completed: r.completed }));
}
