export * from './errors.ts';
export * from './units.ts';
export * from './sources.ts';
export * from './categories.ts';
export * from './departments.ts';
export * from './event-schema.ts';
export * from './scope.ts';
export * from './pii.ts';
