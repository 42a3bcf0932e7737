/**
 * @aml/plot/node: the Node-only half of the package: PNG export through headless Chromium, the
 * results folder every run writes (refuses to overwrite without force), atomic writes, the run log,
 * and the path of the installed plotly bundle.
 *
 * @example
 *   import { prepareResultsDir, writeJson, exportPng } from '@aml/plot/node';
 *   const dir = prepareResultsDir('results/heat', { force: true });
 *
 * @module @aml/plot/node
 */
export * from './export/chromium';
export * from './run-folder/folder';
export * from './run-folder/log';
export { PLOTLY_FILE, plotlyBundlePath } from './report/bundle';
