import { Rng } from '@aml/core';
import { fitPreprocessor, kFold, Matrix, PreprocessConfig, PreprocessorState, stratifiedKFold, Table, transformTable } from '@aml/data';
import { argmaxRow, classificationScores, meanStd, regressionScores } from '../models/metrics';
import { LearningCurve, ModelSpec, SavedModel, SupervisedTask, TrainSettings } from '../models/model';
import { decodeValues, encodeTarget, fitTarget, TargetEncoding } from './target';

/** Inputs of a cross-validation run. */
export interface CvConfig {
  readonly table: Table;
  readonly target: string;
  readonly features: readonly string[];
  readonly task: SupervisedTask;
  /** Number of folds k >= 2. */
  readonly folds: number;
  readonly seed: number;
  readonly prep: Omit<PreprocessConfig, 'features'>;
  readonly settings: TrainSettings;
  readonly models: readonly ModelSpec[];
  /** Log lines (to log.txt and, unless quiet, the console). */
  readonly log: (line: string) => void;
}

/** Result of one model on one fold. */
export interface FoldScore {
  readonly scores: Record<string, number>;
  readonly curve: LearningCurve;
  readonly seconds: number;
}

/** Everything a report needs from cross-validation. */
export interface CvResult {
  /** Per fold, per model. */
  readonly folds: { readonly train: number; readonly val: number; readonly models: Record<string, FoldScore> }[];
  /** Mean and std over folds of each metric, per model. */
  readonly summary: Record<string, Record<string, { mean: number; std: number }>>;
  /** Total fit + predict seconds over folds, per model. */
  readonly seconds: Record<string, number>;
  /** Out-of-fold predictions per model: class index or value in target units, per row (N). */
  readonly oof: Record<string, Float64Array>;
  /** True target per row: class index or value (N). */
  readonly truth: Float64Array;
  /** Class names (classification). */
  readonly classes?: readonly string[];
}

/** Preprocessor and target encoding fitted on `rows`, and the encoded matrices. */
export function prepare(c: Pick<CvConfig, 'table' | 'target' | 'features' | 'task' | 'prep'>, rows: readonly number[]) {
  const pre = fitPreprocessor(c.table, { features: c.features, ...c.prep }, rows);
  const enc = fitTarget(c.table, c.target, c.task, rows);
  return { pre, enc, X: transformTable(pre, c.table), y: encodeTarget(enc, c.table, c.target) };
}

/** Rows `idx` of a matrix (N, D). */
export function takeRows(X: Matrix, idx: readonly number[]): Matrix {
  const data = new Float64Array(idx.length * X.cols);
  idx.forEach((i, k) => data.set(X.data.subarray(i * X.cols, (i + 1) * X.cols), k * X.cols));
  return { data, rows: idx.length, cols: X.cols };
}

/** Scores of raw model output on rows with encoded targets `y`. */
export function score(task: SupervisedTask, enc: TargetEncoding, out: Float64Array, y: Float64Array, K: number): Record<string, number> {
  if (task === 'classification') return classificationScores(y, out, K);
  return regressionScores(decodeValues(enc, y), decodeValues(enc, out));
}

/**
 * k-fold cross-validation (stratified for classification) of every model. In each fold the preprocessor
 * and the target encoding are fitted on the training rows only, so no validation statistic leaks.
 */
export async function crossValidate(c: CvConfig): Promise<CvResult> {
  const n = c.table.nRows;
  const rng = new Rng(c.seed);
  const all = prepare(c, Array.from({ length: n }, (_, i) => i));
  const classes = all.enc.kind === 'classes' ? all.enc.labels.classes : undefined;
  const K = classes?.length ?? 0;
  const splits = c.task === 'classification' ? stratifiedKFold(all.y, c.folds, rng.fork()) : kFold(n, c.folds, rng.fork());
  const oof: Record<string, Float64Array> = Object.fromEntries(c.models.map((m) => [m.name, new Float64Array(n)]));
  const seconds: Record<string, number> = Object.fromEntries(c.models.map((m) => [m.name, 0]));
  const folds: CvResult['folds'] = [];
  for (const [f, split] of splits.entries()) {
    const { enc, X, y } = prepare(c, split.train);
    const Xtr = takeRows(X, split.train);
    const Xva = takeRows(X, split.val);
    const ytr = Float64Array.from(split.train, (i) => y[i]);
    const yva = Float64Array.from(split.val, (i) => y[i]);
    const models: Record<string, FoldScore> = {};
    for (const spec of c.models) {
      const t0 = performance.now();
      const m = spec.create(c.task, X.cols, K, c.settings, rng.fork());
      try {
        const curve = await m.fit({ X: Xtr, y: ytr, val: { X: Xva, y: yva } }, rng.fork());
        const out = m.predict(Xva);
        const sec = (performance.now() - t0) / 1000;
        const scores = score(c.task, enc, out, yva, K);
        models[spec.name] = { scores, curve, seconds: sec };
        seconds[spec.name] += sec;
        const pred = c.task === 'classification' ? Float64Array.from(split.val, (_, k) => argmaxRow(out, k, K)) : decodeValues(enc, out);
        split.val.forEach((i, k) => (oof[spec.name][i] = pred[k]));
        c.log(`fold ${f + 1}/${splits.length} ${spec.name}: ${Object.entries(scores).map(([k, v]) => `${k} ${v.toPrecision(4)}`).join(', ')} (${sec.toFixed(1)} s)`);
      } finally {
        m.dispose();
      }
    }
    folds.push({ train: split.train.length, val: split.val.length, models });
  }
  const summary: CvResult['summary'] = {};
  for (const spec of c.models) {
    const metrics = Object.keys(folds[0].models[spec.name].scores);
    summary[spec.name] = Object.fromEntries(metrics.map((k) => [k, meanStd(folds.map((f) => f.models[spec.name].scores[k]))]));
  }
  const truth = c.task === 'classification' ? all.y : decodeValues(all.enc, all.y);
  return { folds, summary, seconds, oof, truth, classes };
}

/** A model fitted on all rows, with what predict needs. */
export interface FinalModel {
  readonly preprocessor: PreprocessorState;
  readonly target: TargetEncoding;
  readonly models: Record<string, SavedModel>;
}

/** Fit every model on all rows (the saved model); the preprocessor is fitted on all rows too. */
export async function fitFinal(c: CvConfig): Promise<FinalModel> {
  const rows = Array.from({ length: c.table.nRows }, (_, i) => i);
  const { pre, enc, X, y } = prepare(c, rows);
  const K = enc.kind === 'classes' ? enc.labels.classes.length : 0;
  const rng = new Rng(c.seed + 1);
  const models: Record<string, SavedModel> = {};
  for (const spec of c.models) {
    const m = spec.create(c.task, X.cols, K, c.settings, rng.fork());
    try {
      await m.fit({ X, y }, rng.fork());
      models[spec.name] = m.save();
    } finally {
      m.dispose();
    }
  }
  return { preprocessor: pre, target: enc, models };
}
