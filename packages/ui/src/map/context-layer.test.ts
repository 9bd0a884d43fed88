import { describe, expect, it } from 'vitest';
import { buildContextLayer, cssHexToRgb } from './context-layer.ts';
import { DARK_THEME, LIGHT_THEME } from '../theme.ts';
import type { BoundaryCollection } from './geo-utils.ts';

const ONE_UNIT: BoundaryCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { code: '510104', name: '锦江区' } as never,
      geometry: { type: 'Polygon', coordinates: [[[104, 30.6], [104.1, 30.6], [104.1, 30.7], [104, 30.6]]] },
    },
  ],
};

describe('cssHexToRgb', () => {
  it('reads #rrggbb in either case', () => {
    expect(cssHexToRgb('#06142b')).toEqual([6, 20, 43]);
    expect(cssHexToRgb('#B7C3D0')).toEqual([183, 195, 208]);
  });
  it('refuses other notations instead of drawing black', () => {
    expect(() => cssHexToRgb('rgb(1,2,3)')).toThrow(/#rrggbb/);
    expect(() => cssHexToRgb('#abc')).toThrow(/#rrggbb/);
  });
});

describe('buildContextLayer', () => {
  it('draws the theme colours, faintly filled and not pickable', () => {
    for (const theme of [DARK_THEME, LIGHT_THEME]) {
      const layer = buildContextLayer(ONE_UNIT, theme);
      expect(layer.props.pickable).toBe(false);
      expect(layer.props.getFillColor).toEqual([...cssHexToRgb(theme.contextFill), 230]);
      expect(layer.props.getLineColor).toEqual([...cssHexToRgb(theme.contextLine), 255]);
      expect(layer.props.data).toBe(ONE_UNIT);
    }
  });
});
