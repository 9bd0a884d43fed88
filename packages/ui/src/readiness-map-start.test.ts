import { beforeAll, describe, expect, it, vi } from 'vitest';

// readiness.ts keeps its state per module instance and touches `window` and `<html>` only.
beforeAll(() => {
  Object.assign(globalThis, { window: globalThis, document: { documentElement: { dataset: {} } } });
});

describe("charts' first drawing and the map's first frame", () => {
  it('runs at once when no map is starting, waits for a starting map, and gives up waiting after the timeout', async () => {
    vi.useFakeTimers();
    try {
      const { afterMapStart, expectMapStart, markMapStarted } = await import('./readiness.ts');
      const calls: string[] = [];
      afterMapStart(() => calls.push('no map'), 1000);
      expect(calls).toEqual(['no map']);

      expectMapStart();
      afterMapStart(() => calls.push('chart a'), 1000);
      const cancel = afterMapStart(() => calls.push('unmounted chart'), 1000);
      cancel();
      expect(calls).toEqual(['no map']);
      markMapStarted();
      expect(calls).toEqual(['no map', 'chart a']);
      vi.advanceTimersByTime(2000);
      expect(calls).toEqual(['no map', 'chart a']);

      // Started once: later charts draw at once, and later maps do not hold them again.
      expectMapStart();
      afterMapStart(() => calls.push('chart b'), 1000);
      expect(calls).toEqual(['no map', 'chart a', 'chart b']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('draws a waiting chart after the timeout when the map never starts', async () => {
    vi.resetModules();
    vi.useFakeTimers();
    try {
      const { afterMapStart, expectMapStart, markMapStarted } = await import('./readiness.ts');
      const calls: string[] = [];
      expectMapStart();
      afterMapStart(() => calls.push('chart'), 1500);
      vi.advanceTimersByTime(1499);
      expect(calls).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(calls).toEqual(['chart']);
      markMapStarted();
      expect(calls).toEqual(['chart']);
    } finally {
      vi.useRealTimers();
    }
  });
});
