import type { WorkOrderActionType } from '@cityops/domain/workflow/work-order-types';
import type { ReturnVisitResult } from '@cityops/domain/event-schema';
import type { DepartmentCode } from '@cityops/domain/departments';
import type { WorkOrderActionInput } from '@cityops/ui';

/** What an action asks the operator for beyond a click. */
export type ActionField = 'reason' | 'feedback' | 'note' | 'assignee' | 'departments' | 'visitResult' | 'newDue';

export const ACTION_FIELDS: Record<WorkOrderActionType, ActionField[]> = {
  accept: [],
  sign: [],
  start: [],
  close: [],
  approve_extension: [],
  dispatch: ['assignee'],
  return: ['reason'],
  reopen: ['reason'],
  reject_extension: ['reason'],
  escalate: ['reason'],
  dispose: ['feedback'],
  report_co_handling: ['feedback'],
  supervise: ['note'],
  record_return_visit: ['visitResult'],
  call_departments: ['departments', 'reason'],
  request_extension: ['newDue', 'reason'],
};

export interface ActionForm {
  text: string;
  /** 'grid' for the order's own grid, or a department code. */
  assignee: string;
  department: DepartmentCode;
  visitResult: ReturnVisitResult;
  /** 'YYYY-MM-DDTHH:mm' from <input type="datetime-local">. */
  newDue: string;
}

/** The transition input for `type`, or the name of the missing field. */
export function buildActionInput(type: WorkOrderActionType, expectedVersion: number, form: ActionForm, gridCode: string): WorkOrderActionInput | { missing: ActionField } {
  const text = form.text.trim();
  const needsText = ACTION_FIELDS[type].some((f) => f === 'reason' || f === 'feedback' || f === 'note');
  if (needsText && !text) return { missing: ACTION_FIELDS[type].find((f) => f === 'reason' || f === 'feedback' || f === 'note')! };
  switch (type) {
    case 'accept':
    case 'sign':
    case 'start':
    case 'close':
    case 'approve_extension':
      return { type, expectedVersion };
    case 'dispatch':
      return {
        type,
        expectedVersion,
        assignee: form.assignee === 'grid' ? { kind: 'grid', code: gridCode } : { kind: 'department', code: form.assignee },
      };
    case 'return':
    case 'reopen':
    case 'reject_extension':
    case 'escalate':
      return { type, expectedVersion, reason: text };
    case 'dispose':
    case 'report_co_handling':
      return { type, expectedVersion, feedback: text };
    case 'supervise':
      return { type, expectedVersion, note: text };
    case 'record_return_visit':
      return { type, expectedVersion, result: form.visitResult };
    case 'call_departments':
      return { type, expectedVersion, departments: [form.department], reason: text };
    case 'request_extension':
      if (!form.newDue) return { missing: 'newDue' };
      return { type, expectedVersion, requestedDueAt: `${form.newDue.replace('T', ' ')}:00`, reason: text };
  }
}
