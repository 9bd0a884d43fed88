import { describe, expect, it } from 'vitest';
import { GeoJsonLayer, LineLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import { buildContextLayers, cssHexToRgb, isContextPick } from './context-layer.ts';
import { buildChoroplethLayers } from './choropleth-layers.ts';
import { buildQuantileScale } from './color-scale.ts';
import { DARK_THEME, LIGHT_THEME } from '../theme.ts';
import type { BoundaryCollection, BoundaryFeature } from './geo-utils.ts';

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

const unit = (code: string, x: number): BoundaryFeature => ({
  type: 'Feature',
  properties: { code, name: code, level: 'district', parent_code: '5101' },
  geometry: { type: 'Polygon', coordinates: [[[x, 30], [x + 0.1, 30], [x + 0.1, 30.1], [x, 30]]] },
});

describe('buildContextLayers', () => {
  it('draws the theme colours, faintly filled, with one-pixel outlines', () => {
    for (const theme of [DARK_THEME, LIGHT_THEME]) {
      const [fill, outline] = buildContextLayers(ONE_UNIT, theme, null) as [GeoJsonLayer, LineLayer];
      const feature = ONE_UNIT.features[0]!;
      expect((fill.props.getFillColor as (f: unknown) => unknown)(feature)).toEqual([...cssHexToRgb(theme.contextFill), 230]);
      expect((outline.props.getColor as (s: unknown) => unknown)({})).toEqual([...cssHexToRgb(theme.contextLine), 255]);
      expect((outline.props.getWidth as (s: unknown) => unknown)({})).toBe(1);
      expect(fill.props.data).toEqual(ONE_UNIT.features);
      expect(outline.props.data).toHaveLength(3);
    }
  });

  it('keeps the units around the view and drops the far ones', () => {
    const data: BoundaryCollection = { type: 'FeatureCollection', features: [unit('a', 104), unit('b', 104.15), unit('far', 106)] };
    const [fill] = buildContextLayers(data, DARK_THEME, [104, 30, 104.1, 30.1]) as [GeoJsonLayer];
    expect((fill.props.data as BoundaryFeature[]).map((f) => f.properties.code)).toEqual(['a', 'b']);
  });

  it('lays out its attributes like the data layers, so both share GPU pipelines', () => {
    // Same layer classes with the same switches: what decides whether deck's attribute layouts
    // (and so the GPU pipelines compiled for them) are shared.
    const context = buildContextLayers(ONE_UNIT, DARK_THEME, null);
    const scale = buildQuantileScale([1, 2, 3], DARK_THEME.ramp);
    const data = buildChoroplethLayers({ id: 'c', features: ONE_UNIT.features, valueByCode: new Map(), scale, theme: DARK_THEME, showLabels: false }, []);
    expect(context.map((l) => l.constructor)).toEqual(data.map((l) => l.constructor));
    for (const [a, b] of context.map((l, i) => [l, data[i]!] as const)) {
      for (const key of ['pickable', 'filled', 'stroked', 'extruded', 'widthUnits', 'autoHighlight'] as const) {
        expect([key, (a.props as Record<string, unknown>)[key]]).toEqual([key, (b.props as Record<string, unknown>)[key]]);
      }
      for (const key of ['getFillColor', 'getColor', 'getWidth'] as const) {
        expect([key, typeof (a.props as Record<string, unknown>)[key]]).toEqual([key, typeof (b.props as Record<string, unknown>)[key]]);
      }
    }
  });

  it('tells picks on the surroundings from picks on the data', () => {
    const [fill] = buildContextLayers(ONE_UNIT, DARK_THEME, null);
    expect(isContextPick({ layer: fill } as unknown as PickingInfo)).toBe(true);
    expect(isContextPick({ layer: new GeoJsonLayer({ id: 'choropleth-5101-fill' }) } as unknown as PickingInfo)).toBe(false);
    expect(isContextPick({ layer: null } as unknown as PickingInfo)).toBe(false);
  });
});
