import { describe, expect, it } from 'vitest';
import { buildActionInput, type ActionForm } from './action-input.ts';

const form: ActionForm = { text: '', assignee: 'grid', department: 'D04', visitResult: 'satisfied', newDue: '' };

describe('buildActionInput', () => {
  it('sends the version the desk saw with every action', () => {
    expect(buildActionInput('accept', 3, form, '510104017001007')).toEqual({ type: 'accept', expectedVersion: 3 });
  });
  it("dispatches to the order's grid or to a department", () => {
    expect(buildActionInput('dispatch', 2, form, '510104017001007')).toMatchObject({ assignee: { kind: 'grid', code: '510104017001007' } });
    expect(buildActionInput('dispatch', 2, { ...form, assignee: 'D04' }, '510104017001007')).toMatchObject({ assignee: { kind: 'department', code: 'D04' } });
  });
  it('asks for the text an action requires', () => {
    expect(buildActionInput('dispose', 5, form, 'g')).toEqual({ missing: 'feedback' });
    expect(buildActionInput('dispose', 5, { ...form, text: ' 已清理 ' }, 'g')).toEqual({ type: 'dispose', expectedVersion: 5, feedback: '已清理' });
  });
  it('sends an extension deadline as wall-clock text', () => {
    expect(buildActionInput('request_extension', 1, { ...form, text: '需协调', newDue: '2026-11-30T18:00' }, 'g')).toMatchObject({ requestedDueAt: '2026-11-30 18:00:00' });
  });
});
