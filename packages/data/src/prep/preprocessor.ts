import { z } from 'zod';
import { DataError } from '../table/errors';
import { type Column, getColumn, type Table } from '../table/table';
import { applyOneHot, fitOneHot } from './encode';
import { applyImputer, fitImputer } from './impute';
import { applyScaler, fitMinMaxScaler, fitStandardScaler, type Matrix } from './scalers';

/** Configuration of a table preprocessor (typed data; saved inside the fitted state). */
export interface PreprocessConfig {
  /** Feature columns, in the order they enter the model. */
  readonly features: readonly string[];
  /** Fill for missing numbers: the training 'mean' or 'median' (text columns always use the mode). */
  readonly impute: 'mean' | 'median';
  /** Scaling of the numeric outputs: 'standard' (z-score), 'minmax' ([0, 1]) or 'none'. */
  readonly scale: 'standard' | 'minmax' | 'none';
}

const ImputerSchema = z.strictObject({
  kind: z.literal('impute'),
  strategy: z.enum(['mean', 'median', 'mode']),
  fill: z.union([z.number(), z.string()]),
});
const ScalerSchema = z.union([
  z.strictObject({ kind: z.literal('standard'), mean: z.array(z.number()), std: z.array(z.number()) }),
  z.strictObject({ kind: z.literal('minmax'), min: z.array(z.number()), max: z.array(z.number()) }),
]);

/** zod schema of a fitted preprocessor, used when a saved model is loaded. */
export const PreprocessorStateSchema = z.strictObject({
  version: z.literal(1),
  config: z.strictObject({
    features: z.array(z.string()),
    impute: z.enum(['mean', 'median']),
    scale: z.enum(['standard', 'minmax', 'none']),
  }),
  columns: z.array(
    z.strictObject({
      name: z.string(),
      type: z.enum(['number', 'string', 'date']),
      impute: ImputerSchema,
      onehot: z.strictObject({ kind: z.literal('onehot'), categories: z.array(z.string()) }).optional(),
    }),
  ),
  scaler: ScalerSchema.nullable(),
  /** Names of the output columns (one-hot columns as `name=category`). */
  outputs: z.array(z.string()),
});

/** A fitted preprocessor: every statistic comes from the training rows; plain JSON. */
export type PreprocessorState = z.infer<typeof PreprocessorStateSchema>;

function checkColumn(t: Table, name: string, type: Column['type'] | undefined): Column {
  const c = t.columns.find((x) => x.name === name);
  if (!c) {
    throw new DataError(
      { file: t.source },
      `column '${name}' is missing`,
      `the columns the model was trained on: ${t.columns.length ? '' : '(none) '}` +
        `include '${name}' (this file has: ${t.columns.map((x) => x.name).join(', ')})`,
    );
  }
  if (type && (c.type === 'string') !== (type === 'string')) {
    throw new DataError(
      { file: t.source },
      `column '${name}' holds ${c.type === 'string' ? 'text' : 'numbers'} but held ${type === 'string' ? 'text' : 'numbers'} in training`,
      'the same column types as the training file',
    );
  }
  return c;
}

/**
 * Fit imputers, one-hot encoders and the scaler on the training rows `rows` only
 * (validation rows must not leak into any statistic).
 *
 * @example
 *   const st = fitPreprocessor(table, { features: ['x1', 'x2', 'site'], impute: 'median', scale: 'standard' }, fold.train);
 *   const X = transformTable(st, table);   // (N, 2 + #sites)
 */
export function fitPreprocessor(t: Table, config: PreprocessConfig, rows?: ArrayLike<number>): PreprocessorState {
  if (config.features.length === 0)
    throw new Error('fitPreprocessor: features is empty; name at least one feature column');
  const columns: PreprocessorState['columns'] = config.features.map((name) => {
    const c = getColumn(t, name);
    const impute = fitImputer(c, c.type === 'string' ? 'mode' : config.impute, rows);
    if (c.type !== 'string') return { name, type: c.type, impute };
    const filled = applyImputer(impute, c) as Extract<Column, { type: 'string' }>;
    return { name, type: c.type, impute, onehot: fitOneHot(filled.values, rows) };
  });
  const outputs = columns.flatMap((c) => (c.onehot ? c.onehot.categories.map((k) => `${c.name}=${k}`) : [c.name]));
  const partial: PreprocessorState = {
    version: 1,
    config: { ...config, features: [...config.features] },
    columns,
    scaler: null,
    outputs,
  };
  if (config.scale === 'none') return partial;
  const X = encode(partial, t);
  const isNumeric = numericMask(partial);
  // Scale numeric outputs only: one-hot columns stay 0/1.
  const sub = selectCols(X, isNumeric);
  const fitted = config.scale === 'standard' ? fitStandardScaler(sub, rows) : fitMinMaxScaler(sub, rows);
  return { ...partial, scaler: fitted };
}

function numericMask(s: PreprocessorState): boolean[] {
  return s.columns.flatMap((c) => (c.onehot ? c.onehot.categories.map(() => false) : [true]));
}

function selectCols(X: Matrix, mask: boolean[]): Matrix {
  const idx = mask.flatMap((m, j) => (m ? [j] : []));
  const data = new Float64Array(X.rows * idx.length);
  for (let i = 0; i < X.rows; i++) idx.forEach((j, q) => (data[i * idx.length + q] = X.data[i * X.cols + j]));
  return { data, rows: X.rows, cols: idx.length };
}

/** Impute and encode (no scaling): (N, outputs). */
function encode(s: PreprocessorState, t: Table): Matrix {
  const D = s.outputs.length;
  const data = new Float64Array(t.nRows * D);
  let off = 0;
  for (const spec of s.columns) {
    const c = applyImputer(spec.impute, checkColumn(t, spec.name, spec.type));
    if (spec.onehot) {
      const k = spec.onehot.categories.length;
      const oh = applyOneHot(spec.onehot, c.values as (string | null)[]);
      for (let i = 0; i < t.nRows; i++) for (let q = 0; q < k; q++) data[i * D + off + q] = oh[i * k + q];
      off += k;
    } else {
      for (let i = 0; i < t.nRows; i++) data[i * D + off] = c.values[i] as number;
      off += 1;
    }
  }
  return { data, rows: t.nRows, cols: D };
}

/**
 * Apply a fitted preprocessor to any table with the training columns (extra columns are ignored):
 * (N, outputs) row-major. The table is not modified.
 */
export function transformTable(s: PreprocessorState, t: Table): Matrix {
  const X = encode(s, t);
  if (!s.scaler) return X;
  const mask = numericMask(s);
  const idx = mask.flatMap((m, j) => (m ? [j] : []));
  // Scale the numeric columns of the fresh matrix in place, a block of rows at a time: the same arithmetic as
  // scaling the whole numeric sub-matrix, without three more (N, D) copies (150 MB each for a million rows).
  const B = 4096;
  for (let r0 = 0; r0 < X.rows; r0 += B) {
    const rows = Math.min(B, X.rows - r0);
    const block: Matrix = { data: X.data.subarray(r0 * X.cols, (r0 + rows) * X.cols), rows, cols: X.cols };
    const scaled = applyScaler(s.scaler, selectCols(block, mask));
    for (let i = 0; i < rows; i++)
      idx.forEach((j, q) => (block.data[i * X.cols + j] = scaled.data[i * scaled.cols + q]));
  }
  return X;
}

/** Validate a saved state (e.g. read from model.json) with a readable message. */
export function parsePreprocessorState(v: unknown, file = '<preprocessor>'): PreprocessorState {
  const r = PreprocessorStateSchema.safeParse(v);
  if (!r.success) throw new DataError({ file }, `is not a saved preprocessor:\n${z.prettifyError(r.error)}`);
  return r.data;
}
