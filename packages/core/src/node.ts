/**
 * @aml/core/node: the Node-only half of the engine, for programs that keep runs in folders.
 * The results folder of a run (refuses to overwrite an earlier run without force, atomic writes, the
 * run log), checkpoint files (manifests, resume), saved models, log files, the terminal progress bar, and
 * SIGINT/SIGTERM handling (the first signal stops the run after the current step so it can save).
 * The main entry `@aml/core` loads this module on its own when a run asks for a checkpoint in Node, and
 * never in a browser.
 *
 * @example
 *   import { openRunLog, prepareResultsDir, readManifest, writeJson } from '@aml/core/node';
 *   prepareResultsDir('results/heat', false);           // throws ResultsExistError over an earlier run
 *   const log = openRunLog('results/heat/log.txt');
 *   writeJson('results/heat/metrics.json', { relL2: 1e-3 });
 *   const m = readManifest('results/heat/checkpoint'); // null when there is none
 *
 * @module @aml/core/node
 */
import { resolve } from 'node:path';

export {
  readManifest,
  CheckpointWriter,
  saveCheckpoint,
  loadCheckpoint,
  restoreCheckpoint,
  checkpointExtra,
} from './checkpoint/io';
export type { CheckpointContent, LoadedCheckpoint } from './checkpoint/io';
export { checkpointCallback, resumeRun } from './checkpoint/run';
export { saveModel, loadModel, isSavedModel, restoreModelVariables, MODEL_KIND } from './checkpoint/model';
export type { ModelContent, LoadedModel } from './checkpoint/model';
export { writeLayersModel, layersModelFiles, LAYERS_WEIGHTS_FILE } from './checkpoint/layers-files';
export {
  prepareResultsDir,
  earlierRun,
  ResultsExistError,
  RUN_ARTIFACTS,
  writeJson,
  writeFileAtomic,
  isStdoutFile,
} from './run-folder/folder';
export { openRunLog } from './run-folder/log';
export type { RunLog, RunLogOptions } from './run-folder/log';
export { watchSignals, InterruptedError, SIGNAL_EXIT } from './run-folder/signals';
export type { SignalWatch, SignalSource, StopSignal, WatchSignalsOptions } from './run-folder/signals';
export { appendLines } from './train/callbacks/append-lines';
export { progressBar } from './train/progress-bar';

/** True when two folder paths name the same folder (after resolving against the working directory). */
export function samePath(a: string, b: string): boolean {
  return resolve(a) === resolve(b);
}
