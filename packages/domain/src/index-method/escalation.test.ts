import { describe, expect, it } from 'vitest';
import { detectEscalations, type EscalationEvent } from './escalation.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 2, 1);
let nextId = 1;
function event(partial: Partial<EscalationEvent> & Pick<EscalationEvent, 'source'>, day: number, severity: number): EscalationEvent {
  return { id: nextId++, at: T0 + day * DAY, item: 'disputes', severity, reporterHash: 'r1', addressKey: null, ...partial };
}

describe('cross-source escalation', () => {
  it('links a reporter going from 12345 to 110 to a petition with worsening content', () => {
    const events = [
      event({ source: 'hotline', item: 'environment' }, 0, 1),
      event({ source: 'hotline' }, 5, 2),
      event({ source: 'police' }, 12, 3),
      event({ source: 'petition' }, 20, 4),
      event({ source: 'hotline', reporterHash: 'someone-else' }, 21, 5),
    ];
    const warnings = detectEscalations(events);
    expect(warnings).toHaveLength(1); // the shorter chain ending at the 110 call is contained in this one
    expect(warnings[0]).toMatchObject({
      keyKind: 'reporter',
      key: 'r1',
      eventIds: events.slice(0, 4).map((e) => e.id),
      sources: ['hotline', 'police', 'petition'],
      items: ['environment', 'disputes'],
      severityFrom: 1,
      severityTo: 4,
      level: 'severe',
    });
  });
  it('ignores de-escalation, chains outside the window, single sources and chains not ending in 110 or a petition', () => {
    expect(detectEscalations([event({ source: 'hotline' }, 0, 3), event({ source: 'police' }, 2, 1)])).toEqual([]);
    expect(detectEscalations([event({ source: 'hotline' }, 0, 1), event({ source: 'police' }, 31, 2)])).toEqual([]);
    expect(detectEscalations([event({ source: 'police' }, 0, 1), event({ source: 'police' }, 3, 2)])).toEqual([]);
    expect(detectEscalations([event({ source: 'police' }, 0, 1), event({ source: 'hotline' }, 3, 2)])).toEqual([]);
  });
  it('skips a spike to keep the longest non-decreasing chain, and matches by address', () => {
    const a = event({ source: 'hotline' }, 0, 2);
    const spike = event({ source: 'hotline' }, 1, 5);
    const b = event({ source: 'hotline' }, 2, 3);
    const c = event({ source: 'police' }, 3, 4);
    expect(detectEscalations([a, spike, b, c])[0]!.eventIds).toEqual([a.id, b.id, c.id]);
    const neighbours = [
      event({ source: 'hotline', reporterHash: 'x', addressKey: '锦江区-某小区-3栋' }, 0, 1),
      event({ source: 'petition', reporterHash: 'y', addressKey: '锦江区-某小区-3栋' }, 9, 1),
    ];
    const [warning] = detectEscalations(neighbours);
    expect(warning).toMatchObject({ keyKind: 'address', level: 'warning', sources: ['hotline', 'petition'] });
  });
});
