/**
 * A trained model saved in the checkpoint format (`format.ts`): the one format in which the project's
 * apps keep their final models. Same folder layout as a training checkpoint (manifest.json + one
 * weights file), with no optimizer state: `manifest.config.kind` is 'model', variables are tensor entries
 * `param/<name>`, the model's plain description is `manifest.extra.data` and any further float32 arrays are
 * `extra/<name>` entries.
 */
import type { tf } from '../tf';
import type { Manifest } from './format';
import { checkpointExtra, loadCheckpoint, readManifest, restoreCheckpoint, saveCheckpoint } from './io';

/** What a saved model holds. */
export interface ModelContent {
  /** Trainable variables by name (float32). */
  readonly variables?: Readonly<Record<string, tf.Variable>>;
  /** Further named float32 arrays (row-major). */
  readonly arrays?: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: Float32Array }>>;
  /** Plain JSON-able description: architecture, preprocessing, anything needed to rebuild the model. */
  readonly data?: unknown;
  /** Short labels for the manifest's `config` (e.g. { app: 'pde-lab', problem: 'heat' }). */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Training steps behind the model (default 0). */
  readonly step?: number;
}

/** A model read back by `loadModel`. */
export interface LoadedModel {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly data: unknown;
  /** Every stored variable and array by its name (variables first). */
  readonly arrays: ReadonlyMap<string, { readonly shape: number[]; readonly data: Float32Array }>;
}

/** `manifest.config.kind` of a saved model. */
export const MODEL_KIND = 'model';

/**
 * Save a trained model into `dir` (created; a model already there is replaced atomically).
 *
 * @example
 *   saveModel('results/heat/model', { variables: model.variables(), data: { layers: [2, 20, 1] }, config: { app: 'pde-lab' } });
 *   restoreModelVariables('results/heat/model', model.variables());
 */
export function saveModel(dir: string, content: ModelContent): Manifest {
  const existing = readManifest(dir);
  if (existing && existing.config.kind !== MODEL_KIND) {
    throw new Error(
      `${dir} holds a training checkpoint (step ${existing.step}), not a saved model; save the model into its own folder, e.g. <results>/model`,
    );
  }
  return saveCheckpoint(
    dir,
    {
      params: Object.entries(content.variables ?? {}),
      step: content.step ?? 0,
      config: { ...(content.config ?? {}), kind: MODEL_KIND },
      extra: { data: content.data ?? null, arrays: content.arrays },
    },
    { overwrite: true },
  );
}

/** True when `dir` holds a model written by `saveModel`. */
export function isSavedModel(dir: string): boolean {
  return readManifest(dir)?.config.kind === MODEL_KIND;
}

/** Read a model written by `saveModel` (checking the weights file is complete). */
export function loadModel(dir: string): LoadedModel {
  const ckpt = loadCheckpoint(dir);
  if (ckpt.manifest.config.kind !== MODEL_KIND) {
    throw new Error(
      `${dir} holds a training checkpoint, not a saved model (manifest config.kind is ${JSON.stringify(ckpt.manifest.config.kind)}, expected 'model')`,
    );
  }
  const arrays = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const name of ckpt.manifest.params) arrays.set(name, ckpt.values.get(`param/${name}`)!);
  const extra = checkpointExtra(ckpt);
  for (const [name, a] of Object.entries(extra?.arrays ?? {})) arrays.set(name, { shape: [...a.shape], data: a.data });
  return { dir, manifest: ckpt.manifest, data: extra?.data ?? null, arrays };
}

/**
 * Assign a saved model's variables to `vars`: every name must be saved with the same shape
 * (the error names the variable and both shapes); nothing changes when one does not fit.
 */
export function restoreModelVariables(dir: string, vars: Readonly<Record<string, tf.Variable>>): void {
  restoreCheckpoint(loadCheckpoint(dir), { params: Object.entries(vars) });
}
