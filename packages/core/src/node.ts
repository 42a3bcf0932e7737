/**
 * @aml/core/node: the Node-only half of the engine, for programs that keep runs in folders.
 * Checkpoint files (atomic writes, manifests, resume), saved models, log files and the terminal
 * progress bar. The main entry `@aml/core` loads this module on its own when a run asks for a
 * checkpoint in Node, and never in a browser.
 *
 * @example
 *   import { readManifest, saveModel, appendLines } from '@aml/core/node';
 *   const m = readManifest('results/heat/checkpoint'); // null when there is none
 *
 * @module @aml/core/node
 */
import { resolve } from 'node:path';

export {
  readManifest, CheckpointWriter, saveCheckpoint, loadCheckpoint, restoreCheckpoint, checkpointExtra,
} from './checkpoint/io';
export type { CheckpointContent, LoadedCheckpoint } from './checkpoint/io';
export { checkpointCallback, resumeRun } from './checkpoint/run';
export { saveModel, loadModel, isSavedModel, restoreModelVariables, MODEL_KIND } from './checkpoint/model';
export type { ModelContent, LoadedModel } from './checkpoint/model';
export { writeLayersModel, layersModelFiles, LAYERS_WEIGHTS_FILE } from './checkpoint/layers-files';
export { appendLines } from './train/callbacks/append-lines';
export { progressBar } from './train/progress-bar';

/** True when two folder paths name the same folder (after resolving against the working directory). */
export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}
