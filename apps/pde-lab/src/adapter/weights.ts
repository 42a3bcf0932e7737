/**
 * Saving and restoring named variables as `checkpoint/weights.json` (name -> shape and values),
 * so `pde-lab eval` can rebuild a trained model from its results folder. JSON keeps the files
 * readable and diffable; float32 values round-trip exactly through their shortest decimal form.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '@aml/core';
import { writeFileAtomic } from '@aml/plot';

/** File name inside the checkpoint folder. */
export const WEIGHTS_FILE = 'weights.json';

interface SavedVariable {
  readonly shape: number[];
  readonly values: number[];
}

/** Write every variable of `vars` into `dir/weights.json` (dir created). */
export function saveVariables(dir: string, vars: Readonly<Record<string, tf.Variable>>, extra: Record<string, unknown> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const out: Record<string, SavedVariable> = {};
  for (const [k, v] of Object.entries(vars)) out[k] = { shape: v.shape, values: Array.from(v.dataSync()) };
  // atomic: a run killed while saving leaves the previous file or the new one, never half of one
  writeFileAtomic(path.join(dir, WEIGHTS_FILE), JSON.stringify({ format: 'aml-weights-1', ...extra, variables: out }));
}

/** Assign the values saved in `dir/weights.json` to `vars`; names and shapes must match. */
export function loadVariables(dir: string, vars: Readonly<Record<string, tf.Variable>>): void {
  const file = path.join(dir, WEIGHTS_FILE);
  if (!fs.existsSync(file)) throw new Error(`${file} not found; the checkpoint folder holds no saved weights`);
  const saved = (JSON.parse(fs.readFileSync(file, 'utf8')) as { variables: Record<string, SavedVariable> }).variables;
  for (const [k, v] of Object.entries(vars)) {
    const s = saved[k];
    if (!s) throw new Error(`${file}: no variable '${k}' (saved: ${Object.keys(saved).join(', ')}); was the config changed after training?`);
    if (s.shape.join(',') !== v.shape.join(',')) {
      throw new Error(`${file}: variable '${k}' has shape [${s.shape}] but the model expects [${v.shape}]; was the network changed after training?`);
    }
    tf.tidy(() => v.assign(tf.tensor(s.values, s.shape, v.dtype)));
  }
}
