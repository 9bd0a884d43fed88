/**
 * Dependency direction (../shared/STYLE.md):
 *   domain (pure) → db (the only place SQL lives) → api (tRPC routers) → apps/server
 *   domain → ui → the three dashboards, which import only *types* from api.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'packages/domain holds schemas and math: no I/O, no React, no other workspace package.',
      severity: 'error',
      from: { path: '^packages/domain/src' },
      to: {
        path: ['^packages/(db|api|ui)/', '^apps/', 'node_modules/(@duckdb|express|react|react-dom|maplibre-gl|@deck\\.gl|echarts)/'],
      },
    },
    {
      name: 'domain-no-node-io',
      severity: 'error',
      from: { path: '^packages/domain/src', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(fs|net|http|https|child_process|node:fs|node:net|node:http|node:child_process)$' },
    },
    {
      name: 'db-below-api',
      severity: 'error',
      from: { path: '^packages/db/src' },
      to: { path: ['^packages/(api|ui)/', '^apps/'] },
    },
    {
      name: 'reports-below-api',
      severity: 'error',
      from: { path: '^packages/reports/src' },
      to: { path: ['^packages/(api|ui)/', '^apps/'] },
    },
    {
      name: 'api-below-apps',
      severity: 'error',
      from: { path: '^packages/api/src' },
      to: { path: ['^packages/ui/', '^apps/'] },
    },
    {
      name: 'sql-only-in-db',
      comment: 'Only packages/db talks to DuckDB.',
      severity: 'error',
      from: { pathNot: '^(packages/db/|bench/)' },
      to: { path: 'node_modules/@duckdb/' },
    },
    {
      name: 'front-end-never-touches-db-or-server',
      severity: 'error',
      from: { path: '^(packages/ui|apps/(city-command|district-hub|street-disposal))/' },
      to: { path: ['^packages/(db|reports)/', '^apps/server/'] },
    },
    {
      name: 'front-end-imports-only-api-types',
      comment: 'Dashboards and ui may import AppRouter and friends as types only.',
      severity: 'error',
      from: { path: '^(packages/ui|apps/(city-command|district-hub|street-disposal))/' },
      to: { path: '^packages/api/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dashboards-are-independent',
      severity: 'error',
      from: { path: '^apps/(city-command|district-hub|street-disposal)/' },
      to: { path: '^apps/' , pathNot: '^apps/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '(^|/)node_modules/\\.vite'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    combinedDependencies: true,
    preserveSymlinks: false,
  },
};
