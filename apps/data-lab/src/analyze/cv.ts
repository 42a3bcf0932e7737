import { Rng } from '@aml/core';
import {
  fitPreprocessor,
  kFold,
  type Matrix,
  type PreprocessConfig,
  type PreprocessorState,
  stratifiedKFold,
  type Table,
  transformTable,
} from '@aml/data';
import { argmaxRow, classificationScores, meanStd, regressionScores } from '../models/metrics';
import type { Hyper, LearningCurve, ModelSpec, SavedModel, SupervisedTask, TrainSettings } from '../models/model';
import { formatSeconds } from '../cli/progress';
import type { Checkpoint, FoldEntry } from '../run/checkpoint';
import { decodeValues, encodeTarget, fitTarget, type TargetEncoding } from './target';
import { primaryOf, selectModels, type Selection, type Tuning, tune } from './nested';
import { diagnose, type FoldDiagnostics } from './diagnostics';

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
  /**
   * Most rows a model trained by gradient steps fits on: above it, a seeded random subsample of the training
   * rows (scores always use every validation row; closed-form models use every training row).
   */
  readonly maxTrainRows?: number;
  /** Finished fits are saved here and skipped on resume. */
  readonly checkpoint?: Checkpoint;
  /**
   * Inner folds of nested cross-validation: each model's grid point is chosen by this many folds of each outer
   * training fold (and the model by its best inner score). 0 or absent: every model runs at its default point.
   */
  readonly inner?: number;
}

/** Training rows a model fits on: all of them, or for a gradient-trained model at most `max` drawn with a seed. */
export function trainRows(rows: readonly number[], max: number, trained: boolean, seed: number): readonly number[] {
  if (!trained || rows.length <= max) return rows;
  const perm = new Rng(seed).permutation(rows.length).subarray(0, max).sort();
  return Array.from(perm, (k) => rows[k]);
}

/** Result of one model on one fold. */
export interface FoldScore {
  readonly scores: Record<string, number>;
  readonly curve: LearningCurve;
  /** Seconds of tuning, fit and predict. */
  readonly seconds: number;
  /** CPU seconds of the same (user + system of this process): what a busy machine does not inflate. */
  readonly cpuSeconds?: number;
  /** What inner cross-validation chose (nested CV). */
  readonly tuning?: Tuning;
  /** Permutation importance and confidences on the fold's held-out rows (nested CV runs). */
  readonly diagnostics?: FoldDiagnostics;
}

/** Everything a report needs from cross-validation. */
export interface CvResult {
  /** Per fold, per model. */
  readonly folds: { readonly train: number; readonly val: number; readonly models: Record<string, FoldScore> }[];
  /** Mean and std over folds of each metric, per model. */
  readonly summary: Record<string, Record<string, { mean: number; std: number }>>;
  /** Total fit + predict seconds over folds, per model. */
  readonly seconds: Record<string, number>;
  /** The same in CPU seconds. */
  readonly cpuSeconds: Record<string, number>;
  /** Out-of-fold predictions per model: class index or value in target units, per row (N). */
  readonly oof: Record<string, Float64Array>;
  /** True target per row: class index or value (N). */
  readonly truth: Float64Array;
  /** Class names (classification). */
  readonly classes?: readonly string[];
  /** Model chosen by inner cross-validation in each outer fold, and its outer score (nested CV only). */
  readonly selection?: Selection;
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
export function score(
  task: SupervisedTask,
  enc: TargetEncoding,
  out: Float64Array,
  y: Float64Array,
  K: number,
): Record<string, number> {
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
  // Only the target is encoded on all rows here: the features are encoded per fold, with that fold's statistics.
  const allEnc = fitTarget(
    c.table,
    c.target,
    c.task,
    Array.from({ length: n }, (_, i) => i),
  );
  const all = { enc: allEnc, y: encodeTarget(allEnc, c.table, c.target) };
  const classes = all.enc.kind === 'classes' ? all.enc.labels.classes : undefined;
  const K = classes?.length ?? 0;
  const splits =
    c.task === 'classification' ? stratifiedKFold(all.y, c.folds, rng.fork()) : kFold(n, c.folds, rng.fork());
  const oof: Record<string, Float64Array> = Object.fromEntries(c.models.map((m) => [m.name, new Float64Array(n)]));
  const seconds: Record<string, number> = Object.fromEntries(c.models.map((m) => [m.name, 0]));
  const cpuSeconds: Record<string, number> = Object.fromEntries(c.models.map((m) => [m.name, 0]));
  const folds: CvResult['folds'] = [];
  for (const [f, split] of splits.entries()) {
    const models: Record<string, FoldScore> = {};
    let prepared: FoldData | undefined; // encoded once per fold, only if some model of it still has to be fitted
    const data = () => (prepared ??= foldData(c, split));
    for (const spec of c.models) {
      const createRng = rng.fork();
      const fitRng = rng.fork(); // drawn even when the fit is skipped, so a resumed run sees the same streams
      await c.settings.poll?.();
      const done = c.checkpoint?.fold(f, spec.name) ?? (await fitFold(c, f, split, data(), spec, K, createRng, fitRng));
      models[spec.name] = {
        scores: done.scores,
        curve: done.curve,
        seconds: done.seconds,
        cpuSeconds: done.cpuSeconds,
        tuning: done.tuning,
        diagnostics: done.diagnostics,
      };
      seconds[spec.name] += done.seconds;
      cpuSeconds[spec.name] += done.cpuSeconds ?? NaN;
      split.val.forEach((i, k) => (oof[spec.name][i] = done.pred[k]));
      c.log(
        `fold ${f + 1}/${splits.length} ${spec.name}: ${Object.entries(done.scores)
          .map(([k, v]) => `${k} ${v.toPrecision(4)}`)
          .join(', ')} (${formatSeconds(done.seconds)})`,
      );
    }
    folds.push({ train: split.train.length, val: split.val.length, models });
  }
  const summary: CvResult['summary'] = {};
  for (const spec of c.models) {
    const metrics = Object.keys(folds[0].models[spec.name].scores);
    summary[spec.name] = Object.fromEntries(
      metrics.map((k) => [k, meanStd(folds.map((f) => f.models[spec.name].scores[k]))]),
    );
  }
  const truth = c.task === 'classification' ? all.y : decodeValues(all.enc, all.y);
  const selection = c.inner
    ? selectModels(
        folds,
        c.models.map((m) => m.name),
        primaryOf(c.task),
      )
    : undefined;
  return { folds, summary, seconds, cpuSeconds, oof, truth, classes, selection };
}

/** Fit one model on one fold's training rows and score it on its validation rows; saved to the checkpoint. */
interface FoldData {
  readonly enc: TargetEncoding;
  /** All rows encoded with the fold's training statistics (N, D), their targets (N), the validation rows. */
  readonly X: Matrix;
  readonly y: Float64Array;
  readonly Xva: Matrix;
  readonly yva: Float64Array;
}

function foldData(c: CvConfig, split: { train: number[]; val: number[] }): FoldData {
  const { enc, X, y } = prepare(c, split.train);
  return { enc, X, y, Xva: takeRows(X, split.val), yva: Float64Array.from(split.val, (i) => y[i]) };
}

async function fitFold(
  c: CvConfig,
  f: number,
  split: { train: number[]; val: number[] },
  d: FoldData,
  spec: ModelSpec,
  K: number,
  createRng: Rng,
  fitRng: Rng,
): Promise<FoldEntry> {
  const { enc, X, y, Xva, yva } = d;
  const fitIdx = trainRows(
    split.train,
    c.maxTrainRows ?? Infinity,
    spec.steps(2, c.settings, c.task) > 0,
    c.seed + 1000 * (f + 1),
  );
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  // nested CV: the grid point is chosen on the outer training rows only, never on split.val
  const tuning = c.inner ? await tune(c, split.train, spec, K, c.inner, createRng.fork()) : undefined;
  const m = spec.create(c.task, X.cols, K, c.settings, createRng, tuning?.hp);
  try {
    const curve = await m.fit(
      { X: takeRows(X, fitIdx), y: Float64Array.from(fitIdx, (i) => y[i]), val: { X: Xva, y: yva } },
      fitRng,
    );
    const out = m.predict(Xva);
    const sec = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const scores = score(c.task, enc, out, yva, K);
    const pred =
      c.task === 'classification'
        ? Float64Array.from(split.val, (_, k) => argmaxRow(out, k, K))
        : decodeValues(enc, out);
    // after the timing: importance is a report, not part of the model's cost
    const diagnostics = c.inner ? diagnose(m, Xva, yva, c.task, enc, K, 5, createRng.fork()) : undefined;
    const entry = { scores, curve, seconds: sec, cpuSeconds, pred, tuning, diagnostics };
    c.checkpoint?.saveFold(f, spec.name, entry);
    return entry;
  } finally {
    m.dispose();
  }
}

/** A model fitted on all rows, with what predict needs. */
export interface FinalModel {
  readonly preprocessor: PreprocessorState;
  readonly target: TargetEncoding;
  readonly models: Record<string, SavedModel>;
}

/** Fit every model on all rows (the saved model) at grid point `hps[name]` (default: its first); the preprocessor is fitted on all rows too. */
export async function fitFinal(c: CvConfig, hps: Record<string, Hyper> = {}): Promise<FinalModel> {
  const rows = Array.from({ length: c.table.nRows }, (_, i) => i);
  const { pre, enc, X, y } = prepare(c, rows);
  const K = enc.kind === 'classes' ? enc.labels.classes.length : 0;
  const rng = new Rng(c.seed + 1);
  const models: Record<string, SavedModel> = {};
  for (const spec of c.models) {
    const createRng = rng.fork();
    const fitRng = rng.fork(); // drawn even when the fit is skipped, so a resumed run sees the same streams
    const saved = c.checkpoint?.final(spec.name);
    if (saved) {
      models[spec.name] = saved;
      continue;
    }
    const fitIdx = trainRows(rows, c.maxTrainRows ?? Infinity, spec.steps(2, c.settings, c.task) > 0, c.seed);
    const m = spec.create(c.task, X.cols, K, c.settings, createRng, hps[spec.name]);
    try {
      await m.fit(
        fitIdx === rows ? { X, y } : { X: takeRows(X, fitIdx), y: Float64Array.from(fitIdx, (i) => y[i]) },
        fitRng,
      );
      models[spec.name] = m.save();
      c.checkpoint?.saveFinal(spec.name, models[spec.name]);
    } finally {
      m.dispose();
    }
  }
  return { preprocessor: pre, target: enc, models };
}
