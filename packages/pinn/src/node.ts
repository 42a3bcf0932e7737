/**
 * @aml/pinn/node: the functions of `@aml/pinn` that read or write files, for Node programs.
 * The main entry exports them too (they load `node:fs` only when called, so it bundles for a
 * browser); importing them from here says in the code that a file system is needed. In Node the
 * fused kernel is read from `<package>/build` on its own (`kernelDir`); a page loads it by URL
 * with `loadFusedKernel` from the main entry.
 *
 * @example
 *   import { readReferenceGridSync, writeMlpNpz } from '@aml/pinn/node';
 *
 * @module @aml/pinn/node
 */
export { readReferenceGrid, readReferenceGridSync } from './reference-grid/reference-grid';
export { writeMlpNpz } from './export/npz-weights';
export { writeMlpLayers } from './export/layers';
export { kernelDir } from './fused/runtime';
