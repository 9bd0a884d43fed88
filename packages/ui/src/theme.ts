/** Two themes: a dark big-screen one (市城运中心大屏) and a light desk one (analysts, streets). */
export type ThemeName = 'dark' | 'light';

export type Rgb = [number, number, number];

export interface Theme {
  name: ThemeName;
  /** Map background (the "sea" around the city) and the context boundaries drawn on it. */
  mapBackground: string;
  contextFill: string;
  contextLine: string;
  /** Outline of choropleth units and the highlighted one. */
  unitLine: Rgb;
  highlightLine: Rgb;
  /** Label colour and halo for unit names drawn by deck.gl. */
  label: Rgb;
  labelHalo: Rgb;
  /** Sequential ramp for counts and rates, light → intense. */
  ramp: Rgb[];
  /** Colour of each source in charts. */
  sourceColors: Record<'petition' | 'hotline' | 'police', string>;
  text: string;
  textMuted: string;
  gridLine: string;
  echartsTheme: string;
}

export const DARK_THEME: Theme = {
  name: 'dark',
  mapBackground: '#06142b',
  contextFill: '#0b2145',
  contextLine: '#1f4d8a',
  unitLine: [120, 200, 255],
  highlightLine: [255, 255, 255],
  label: [235, 245, 255],
  labelHalo: [6, 20, 43],
  ramp: [
    [20, 72, 120],
    [32, 128, 170],
    [90, 190, 160],
    [240, 200, 80],
    [245, 130, 50],
    [230, 60, 60],
  ],
  sourceColors: { petition: '#f5b83d', hotline: '#36c5f0', police: '#ff5d6c' },
  text: '#e6f1ff',
  textMuted: '#8fb3de',
  gridLine: '#1c3a66',
  echartsTheme: 'cityops-dark',
};

export const LIGHT_THEME: Theme = {
  name: 'light',
  mapBackground: '#e9eef3',
  contextFill: '#f7f9fb',
  contextLine: '#b7c3d0',
  unitLine: [90, 100, 115],
  highlightLine: [20, 30, 45],
  label: [25, 35, 50],
  labelHalo: [255, 255, 255],
  ramp: [
    [255, 245, 220],
    [253, 212, 158],
    [252, 166, 100],
    [240, 110, 70],
    [210, 55, 50],
    [150, 20, 40],
  ],
  sourceColors: { petition: '#d48806', hotline: '#1677ff', police: '#cf1322' },
  text: '#1f2937',
  textMuted: '#64748b',
  gridLine: '#e2e8f0',
  echartsTheme: 'cityops-light',
};

export function themeByName(name: ThemeName): Theme {
  return name === 'dark' ? DARK_THEME : LIGHT_THEME;
}

export function rgbToCss([r, g, b]: Rgb, alpha = 1): string {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}
