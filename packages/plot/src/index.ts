/**
 * @aml/plot: plotly figure specs from typed helpers and an offline HTML report builder; runs in a
 * browser too. PNG export and results folders are in `@aml/plot/node`.
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
// PNG export, results folders, atomic writes and the run log are Node-only: `@aml/plot/node` (src/node.ts).
