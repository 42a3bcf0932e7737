/**
 * @aml/plot: plotly figure specs from typed helpers and an offline HTML report builder; runs in a
 * browser too. PNG export is in `@aml/plot/node`; results folders are the engine's (`@aml/core/node`).
 * Public surface of the package.
 *
 * plotly.js cannot run in Node: helpers build JSON specs; the report's page loads plotly in the browser.
 *
 * @module @aml/plot
 */
export * from './figures/spec';
export * from './figures/lines';
export * from './figures/scatter';
export * from './figures/field';
export * from './figures/images';
export * from './figures/confusion';
export * from './figures/histogram';
export * from './figures/table';
export * from './figures/history';
export * from './report/report';
export type { PlotlyMode } from './report/bundle';
// PNG export is Node-only: `@aml/plot/node` (src/node.ts). Results folders, atomic writes and the run log: `@aml/core/node`.
