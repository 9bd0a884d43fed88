import { describe, expect, it } from 'vitest';
import { eventPointTooltip, placeOrdersAtGrids } from './point-layers.ts';
import type { BoundaryFeature } from './geo-utils.ts';

const square = (code: string, x: number, y: number): BoundaryFeature => ({
  type: 'Feature',
  properties: { code, name: code, level: 'grid', parent_code: code.slice(0, 12) },
  geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]] },
});

describe('placeOrdersAtGrids', () => {
  const grids = [square('510104017001001', 104, 30), square('510104017001002', 104.1, 30)];
  it('puts an order at its grid centroid, spreads a second one nearby and drops orders of unknown grids', () => {
    const placed = placeOrdersAtGrids(
      [
        { id: 'a', gridCode: '510104017001001' },
        { id: 'b', gridCode: '510104017001001' },
        { id: 'c', gridCode: '510104017001002' },
        { id: 'd', gridCode: '510104099001001' },
      ],
      grids,
    );
    expect(placed.map((p) => p.id)).toEqual(['a', 'b', 'c']);
    expect(placed[0]!.position[0]).toBeCloseTo(104.005, 6);
    expect(placed[0]!.position[1]).toBeCloseTo(30.005, 6);
    const [ax, ay] = placed[0]!.position;
    const [bx, by] = placed[1]!.position;
    const apart = Math.hypot(bx - ax, by - ay);
    expect(apart).toBeGreaterThan(0.0002);
    expect(apart).toBeLessThan(0.001);
    expect(placed[2]!.position[0]).toBeCloseTo(104.105, 6);
  });
});

describe('eventPointTooltip', () => {
  const point = { id: 1, lng: 104.06, lat: 30.65, source: 'hotline', item: 'urban_management', urgency: 'normal' } as unknown as Parameters<typeof eventPointTooltip>[0]['object'];
  it('names the source and item in the chosen language, and ignores objects that are not event points', () => {
    expect(eventPointTooltip({ object: point }, 'zh')).toBe('网络理政 · 城市管理');
    expect(eventPointTooltip({ object: point }, 'en')).toBe('12345 online governance · Urban management');
    expect(eventPointTooltip({ object: { id: 'WO-1', gridCode: '510104017001001' } }, 'zh')).toBeNull();
    expect(eventPointTooltip({}, 'zh')).toBeNull();
  });
});
