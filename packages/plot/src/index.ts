/**
 * @aml/plot: plotly figure specs from typed helpers, an offline HTML report builder, PNG export
 * through headless Chromium, and the results folder every run writes (refuses to overwrite without force).
 * Public surface of the package.
 *
 * plotly.js cannot run in Node: helpers build JSON specs; the report's page loads plotly in the browser.
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
export { PLOTLY_FILE, plotlyBundlePath } from './report/bundle';
export * from './export/chromium';
export * from './run-folder/folder';
export * from './run-folder/log';
