/**
 * @aml/plot/node: the Node-only half of the package: PNG export through headless Chromium and the
 * path of the installed plotly bundle. The results folder a run writes (refuse-to-overwrite, atomic
 * writes, the run log) is the engine's: `@aml/core/node`.
 *
 * @example
 *   import { exportPng } from '@aml/plot/node';
 *   exportPng('results/heat/report.html', 'results/heat/report.png');
 *
 * @module @aml/plot/node
 */
export * from './export/chromium';
export { PLOTLY_FILE, plotlyBundlePath } from './report/bundle';
