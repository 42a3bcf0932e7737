/**
 * The trained model of a run, in core's checkpoint format: `<results>/model/` (manifest.json + one
 * weights file, read by `pde-lab eval` and `pde-lab export`). `<results>/checkpoint/` holds the resumable
 * training state instead. Results folders written before this format kept the model as
 * `checkpoint/weights.json` (`aml-weights-1` JSON); those still load, with a one-line notice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '@aml/core';
import { isSavedModel, restoreModelVariables, saveModel } from '@aml/core/node';

/** Folder of the trained model inside a results folder. */
export const MODEL_DIR = 'model';
/** File of the older JSON format inside `checkpoint/`. */
export const LEGACY_WEIGHTS_FILE = 'weights.json';

interface SavedVariable {
  readonly shape: number[];
  readonly values: number[];
}

/** Save every variable of `vars` as a model in `dir` (created; a model already there is replaced). */
export function saveVariables(
  dir: string,
  vars: Readonly<Record<string, tf.Variable>>,
  config: Record<string, unknown> = {},
): void {
  saveModel(dir, { variables: vars, config: { app: 'pde-lab', ...config } });
}

/**
 * The folder holding the trained model of results folder `results`: `model/`, or `checkpoint/` when it
 * holds the older `weights.json`; null when neither does.
 */
export function modelDirOf(results: string): string | null {
  const dir = path.join(results, MODEL_DIR);
  if (isSavedModel(dir)) return dir;
  const legacy = path.join(results, 'checkpoint');
  return fs.existsSync(path.join(legacy, LEGACY_WEIGHTS_FILE)) ? legacy : null;
}

/**
 * Assign the values saved in `dir` (a model folder, or a `checkpoint/` folder with the older `weights.json`,
 * which prints `warn`'s one-line notice) to `vars`; names and shapes must match.
 */
export function loadVariables(
  dir: string,
  vars: Readonly<Record<string, tf.Variable>>,
  warn: (line: string) => void = (l) => void process.stderr.write(`${l}\n`),
): void {
  if (isSavedModel(dir)) {
    restoreModelVariables(dir, vars);
    return;
  }
  const file = path.join(dir, LEGACY_WEIGHTS_FILE);
  if (!fs.existsSync(file))
    throw new Error(
      `${dir} holds no saved model (no manifest.json of a model, no ${LEGACY_WEIGHTS_FILE}); give the results folder of a completed pde-lab run`,
    );
  warn(
    `pde-lab: ${file} is in the older aml-weights-1 format, which will stop loading in a later version; run the experiment again to save ${MODEL_DIR}/ in the checkpoint format`,
  );
  const saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as { variables: Record<string, SavedVariable> }).variables;
  for (const [k, v] of Object.entries(vars)) {
    const s = saved[k];
    if (!s)
      throw new Error(
        `${file}: no variable '${k}' (saved: ${Object.keys(saved).join(', ')}); was the config changed after training?`,
      );
    if (s.shape.join(',') !== v.shape.join(',')) {
      throw new Error(
        `${file}: variable '${k}' has shape [${s.shape}] but the model expects [${v.shape}]; was the network changed after training?`,
      );
    }
  }
  for (const [k, v] of Object.entries(vars))
    tf.tidy(() => v.assign(tf.tensor(saved[k].values, saved[k].shape, v.dtype)));
}
