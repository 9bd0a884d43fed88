import { describe, expect, it } from 'vitest';
import * as method from './index.ts';

describe('index-method entry point', () => {
  it('exports the public API and the method version', () => {
    expect(method.METHOD_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
    for (const name of ['computeSocialConditionIndex', 'buildBaseline', 'decomposeScoreChange', 'rankSensitivity', 'getisOrdGiStar', 'emergingHotSpotAnalysis', 'detectAlerts', 'detectEscalations', 'benjaminiHochberg', 'mannKendall', 'empiricalBayesRates']) {
      expect(typeof (method as Record<string, unknown>)[name]).toBe('function');
    }
  });
});
