import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Column, DataError, formatCsv, parsePreprocessorState, type Table, transformTable } from '@aml/data';
import { z } from 'zod';
import { decodeValues, type TargetEncoding } from '../analyze/target';
import { defaultName, readTable, startBackend } from '../cli/io';
import { parseOptions, PredictOptionsSchema } from '../cli/options';
import { windowsOf, toSeries } from '../forecast/series';
import { argmaxRow } from '../models/metrics';
import type { SavedModel } from '../models/model';
import { specOf } from '../models/registry';
import { readModels } from '../models/store';
import { writeFileAtomic } from '@aml/core/node';
import { fsError } from '../run/folder';

const Saved = z.looseObject({ name: z.string() });
const EncodingSchema = z.union([
  z.strictObject({
    kind: z.literal('classes'),
    labels: z.strictObject({ kind: z.literal('labels'), classes: z.array(z.string()) }),
  }),
  z.strictObject({ kind: z.literal('standard'), mean: z.number(), std: z.number() }),
]);

/** zod schema of the saved models (model/'s data, or an older model.json) as `analyze` and `forecast` write them. */
export const ModelFileSchema = z.discriminatedUnion('task', [
  z.strictObject({
    version: z.literal(1),
    task: z.enum(['classification', 'regression']),
    target: z.string(),
    features: z.array(z.string()),
    best: z.string(),
    preprocessor: z.unknown(),
    encoding: EncodingSchema,
    models: z.record(z.string(), Saved),
  }),
  z.strictObject({
    version: z.literal(1),
    task: z.literal('forecast'),
    target: z.string(),
    time: z.string(),
    window: z.number().int().positive(),
    scaler: z.strictObject({ mean: z.number(), std: z.number() }),
    best: z.string(),
    models: z.record(z.string(), Saved),
  }),
]);

/**
 * The saved models of `dir` (a results folder, its model/ folder, or an older model.json's folder) checked
 * against `ModelFileSchema`; `file` is where they were read from.
 */
export function readModelFile(
  dir: string,
  warn?: (line: string) => void,
): { readonly file: string; readonly saved: z.infer<typeof ModelFileSchema> } {
  const { path: file, content } = readModels(dir, warn);
  const r = ModelFileSchema.safeParse(content);
  if (!r.success) throw new DataError({ file }, `does not match the expected structure:\n${z.prettifyError(r.error)}`);
  return { file, saved: r.data };
}

/**
 * `data-lab predict <model-dir> <file>`: apply a saved model (with its preprocessing) to new rows with the
 * training schema and write the rows with their predictions as CSV. A missing column or a column whose kind
 * changed (numbers vs text) is an error naming it.
 */
export async function predict(
  modelDir: string,
  file: string,
  raw: Record<string, unknown>,
): Promise<{ output: string; rows: number; model: string }> {
  const o = parseOptions(PredictOptionsSchema, raw, 'predict');
  const { file: mf, saved } = readModelFile(modelDir);
  const which = o.model ?? saved.best;
  if (!saved.models[which])
    throw new Error(`--model '${which}' is not in ${mf}; saved models: ${Object.keys(saved.models).join(', ')}`);
  const resultsDir = path.basename(path.dirname(mf)) === 'model' ? path.dirname(path.dirname(mf)) : path.dirname(mf);
  const output = o.output ?? path.join(resultsDir, `predictions-${defaultName(file)}.csv`);
  if (fs.existsSync(output) && !o.force)
    throw new Error(`${output} already exists; pass --force to overwrite it, or choose --output`);
  await startBackend(o.backend, true);
  const model = specOf(saved.models[which] as SavedModel).load(saved.models[which] as SavedModel);
  try {
    const table = await readTable(file, { types: o.types, allowNonfinite: o.allowNonfinite });
    let out: Table;
    if (saved.task === 'forecast') {
      const s = toSeries(table, saved.time, saved.target);
      if (s.values.length < saved.window)
        throw new DataError(
          { file },
          `has ${s.values.length} rows but the model reads windows of ${saved.window}`,
          `at least ${saved.window} rows`,
        );
      // Append a placeholder so the last window (ending at the last row) yields the next-step forecast.
      const ext = Float64Array.from([...s.values, s.values[s.values.length - 1]]);
      const w = windowsOf(ext, saved.window, saved.scaler.mean, saved.scaler.std);
      const pred = Float64Array.from(model.predict(w.X), (v) => v * saved.scaler.std + saved.scaler.mean);
      const forecast = new Float64Array(ext.length).fill(NaN);
      w.targetIndex.forEach((ti, k) => (forecast[ti] = pred[k]));
      const step = s.time.length > 1 ? s.time[s.time.length - 1] - s.time[s.time.length - 2] : 1;
      const time = Float64Array.from([...s.time, s.time[s.time.length - 1] + step]);
      const tType = table.columns.find((c) => c.name === saved.time)!.type === 'date' ? 'date' : 'number';
      out = {
        columns: [
          { name: saved.time, type: tType, values: time } as Column,
          { name: saved.target, type: 'number', values: Float64Array.from([...s.values, NaN]) },
          { name: 'forecast', type: 'number', values: forecast },
        ],
        nRows: time.length,
        source: file,
      };
    } else {
      const pre = parsePreprocessorState(saved.preprocessor, mf);
      const X = transformTable(pre, table);
      const p = model.predict(X);
      const enc = saved.encoding as TargetEncoding;
      const extra: Column[] = [];
      if (enc.kind === 'classes') {
        const K = enc.labels.classes.length;
        extra.push({
          name: 'prediction',
          type: 'string',
          values: Array.from({ length: X.rows }, (_, i) => enc.labels.classes[argmaxRow(p, i, K)]),
        });
        enc.labels.classes.forEach((c, k) =>
          extra.push({
            name: `p(${c})`,
            type: 'number',
            values: Float64Array.from({ length: X.rows }, (_, i) => p[i * K + k]),
          }),
        );
      } else {
        extra.push({ name: 'prediction', type: 'number', values: decodeValues(enc, p) });
      }
      const names = new Set(extra.map((c) => c.name));
      out = {
        columns: [...table.columns.filter((c) => !names.has(c.name)), ...extra],
        nRows: table.nRows,
        source: file,
      };
    }
    try {
      writeFileAtomic(output, formatCsv(out));
    } catch (e) {
      throw fsError(e, output);
    }
    if (!o.quiet) process.stderr.write(`data-lab predict: ${out.nRows} rows with ${which} predictions -> ${output}\n`);
    return { output, rows: out.nRows, model: which };
  } finally {
    model.dispose();
  }
}
