import { describe, expect, it } from 'vitest';
import { compactFilter, exportUrl } from './event-queries.ts';

describe('export URLs', () => {
  it('carry exactly the filters that are set', () => {
    expect(exportUrl('events', 'csv', { unitCode: '510104', month: '2026-10', source: 'hotline', nature: 'complaint' })).toBe(
      '/api/export/events.csv?unitCode=510104&month=2026-10&source=hotline&nature=complaint',
    );
    expect(exportUrl('children', 'xlsx', { unitCode: '510104', month: '2026-10', item: 'housing' })).toBe('/api/export/children.xlsx?unitCode=510104&month=2026-10&item=housing');
    expect(compactFilter({ unitCode: '5101', month: '2026-01', source: undefined } as never)).toEqual({ unitCode: '5101', month: '2026-01' });
  });
});
