/**
 * The saved models of a run, in core's checkpoint format: `<results>/model/` holds manifest.json and one
 * weights file. Each network's parameters are float32 arrays `<model>/<i>` in the weights file; the rest
 * (task, features, preprocessing, target encoding, architectures, closed-form coefficients in float64) is
 * the manifest's plain data, the same object an older `model/model.json` held. Those older files still
 * load, with a one-line notice.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSavedModel, loadModel, saveModel } from '@aml/core/node';
import { DataError } from '@aml/data';

/** What `analyze` and `forecast` save: task settings and `models` (name -> `save()` output). */
export interface ModelFileContent {
  readonly models: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly [key: string]: unknown;
}

type WeightList = { shape: number[]; values: number[] }[];

const isWeightList = (w: unknown): w is WeightList =>
  Array.isArray(w) &&
  w.every(
    (e) =>
      e !== null &&
      typeof e === 'object' &&
      Array.isArray((e as { shape?: unknown }).shape) &&
      Array.isArray((e as { values?: unknown }).values),
  );

/** Save `content` as a model in `dir` (created; a model already there is replaced atomically). */
export function saveModels(dir: string, content: ModelFileContent): void {
  const arrays: Record<string, { shape: number[]; data: Float32Array }> = {};
  const models: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(content.models)) {
    const { weights, ...rest } = m;
    if (!isWeightList(weights)) {
      models[name] = m;
      continue;
    }
    // Network weights are float32 tensors, so float32 storage is exact.
    const keys = weights.map((w, i) => {
      const key = `${name}/${i}`;
      arrays[key] = { shape: w.shape, data: Float32Array.from(w.values) };
      return key;
    });
    models[name] = { ...rest, weightArrays: keys };
  }
  saveModel(dir, {
    data: { ...content, models },
    arrays,
    config: { app: 'data-lab', task: content.task, best: content.best },
  });
}

/** Where the saved models of `dir` are: a model folder (`<dir>/model` or `dir`), or an older model.json. */
export function modelLocation(dir: string): { readonly kind: 'checkpoint' | 'json'; readonly path: string } {
  for (const d of [path.join(dir, 'model'), dir]) if (isSavedModel(d)) return { kind: 'checkpoint', path: d };
  for (const f of [path.join(dir, 'model', 'model.json'), path.join(dir, 'model.json')])
    if (fs.existsSync(f)) return { kind: 'json', path: f };
  throw new DataError(
    { file: dir },
    'holds no saved model (no model/manifest.json)',
    'a results folder written by `data-lab analyze` or `forecast` (it holds model/)',
  );
}

/**
 * Read the saved models of `dir` back into the object `saveModels` was given (weights as
 * `{ shape, values }` lists again). An older model.json is read as it is, after `warn`'s notice.
 */
export function readModels(
  dir: string,
  warn: (line: string) => void = (l) => void process.stderr.write(`${l}\n`),
): { readonly path: string; readonly content: unknown } {
  const where = modelLocation(dir);
  if (where.kind === 'json') {
    warn(
      `data-lab: ${where.path} is in the older model.json format, which will stop loading in a later version; run analyze (or forecast) again to save model/ in the checkpoint format`,
    );
    return { path: where.path, content: JSON.parse(fs.readFileSync(where.path, 'utf8')) };
  }
  const m = loadModel(where.path);
  const data = m.data as { models?: Record<string, Record<string, unknown>> } | null;
  if (!data || typeof data.models !== 'object')
    throw new DataError(
      { file: path.join(where.path, 'manifest.json') },
      'is a saved model without data-lab models',
      'a model folder written by `data-lab analyze` or `forecast`',
    );
  const models: Record<string, unknown> = {};
  for (const [name, s] of Object.entries(data.models)) {
    const { weightArrays, ...rest } = s;
    if (!Array.isArray(weightArrays)) {
      models[name] = s;
      continue;
    }
    const weights = (weightArrays as string[]).map((key) => {
      const a = m.arrays.get(key);
      if (!a)
        throw new DataError(
          { file: path.join(where.path, 'manifest.json') },
          `lists array '${key}' of model '${name}' but the weights file lacks it`,
          'a complete model folder (save it again)',
        );
      return { shape: a.shape, values: Array.from(a.data) };
    });
    models[name] = { ...rest, weights };
  }
  return { path: path.join(where.path, 'manifest.json'), content: { ...data, models } };
}
