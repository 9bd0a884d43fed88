/**
 * The social condition index (社情指数) method, hotspots and early warnings — pure functions.
 * Method description: docs/index-methodology.md. Version: METHOD_VERSION.
 */
export * from './indicators.ts';
export * from './weights.ts';
export * from './smoothing.ts';
export * from './normalise.ts';
export * from './aggregate.ts';
export * from './decompose.ts';
export * from './compute-index.ts';
export * from './sensitivity.ts';
export * from './fdr.ts';
export * from './hotspots.ts';
export * from './mann-kendall.ts';
export * from './emerging.ts';
export * from './early-warning.ts';
export * from './escalation.ts';
// Generic helpers under names unlikely to collide with the rest of the domain package.
export { normalSurvival, quantile, quantileSorted, twoSidedP } from './stats.ts';
export { createRandom, dirichletSample, poissonSample, type Random } from './random.ts';
