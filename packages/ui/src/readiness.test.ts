import { beforeAll, describe, expect, it } from 'vitest';

// readiness.ts publishes to `window.__cityops` and `<html data-first-paint>`; give it the two
// objects it touches (this project's tests run in Node, the browser behaviour is covered by e2e).
const html = { dataset: {} as Record<string, string> };
beforeAll(() => {
  Object.assign(globalThis, { window: globalThis, document: { documentElement: html } });
});

describe('first-paint readiness', () => {
  it('records the first paint once map, data layers and charts are drawn, then runs the waiting work', async () => {
    const { markChartFinished, markDeckRendered, markMapIdle, onFirstPaint, setFirstPaintCharts } = await import('./readiness.ts');
    setFirstPaintCharts(2);
    const calls: string[] = [];
    onFirstPaint(() => calls.push('basemap'));
    const cancelled = onFirstPaint(() => calls.push('cancelled'));
    cancelled();

    markMapIdle(true);
    markDeckRendered(true, ['510104']);
    markChartFinished('a');
    expect(html.dataset.firstPaint).toBeUndefined();
    expect(calls).toEqual([]);

    markChartFinished('b');
    expect(Number(html.dataset.firstPaint)).toBeGreaterThanOrEqual(0);
    expect(calls).toEqual(['basemap']);

    // Later changes neither repeat the listeners nor move the recorded paint.
    const recorded = html.dataset.firstPaint;
    markDeckRendered(false);
    markDeckRendered(true, ['510104']);
    expect(calls).toEqual(['basemap']);
    expect(html.dataset.firstPaint).toBe(recorded);

    // Work that subscribes after the paint (e.g. a map mounted by a drill-down) runs at once.
    onFirstPaint(() => calls.push('late'));
    expect(calls).toEqual(['basemap', 'late']);
  });
});
