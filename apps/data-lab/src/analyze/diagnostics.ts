import type { Rng } from '@aml/core';
import type { Matrix } from '@aml/data';
import type { SupervisedTask, TabularModel } from '../models/model';
import { primaryOf } from './nested';
import { score } from './cv';
import type { TargetEncoding } from './target';

/** What a fold's held-out rows say about a fitted model beyond its scores. */
export interface FoldDiagnostics {
  /**
   * Permutation importance (Breiman 2001; scikit-learn's `permutation_importance`): per model input column, the
   * fall of the primary score when that column's held-out values are shuffled, one value per repeat (D, repeats).
   */
  readonly importance: number[][];
  /** Classification: the predicted class's probability per held-out row, in split order (N_val). */
  readonly confidence?: number[];
  /** Classification: whether each held-out row's predicted class is its true class (N_val). */
  readonly correct?: boolean[];
}

/**
 * Diagnostics of a fitted model on held-out rows X (N, D) with encoded targets y (N): permutation importance with
 * `repeats` seeded shuffles per column, and for classifiers the confidence of each prediction.
 */
export function diagnose(
  m: TabularModel,
  X: Matrix,
  y: Float64Array,
  task: SupervisedTask,
  enc: TargetEncoding,
  K: number,
  repeats: number,
  rng: Rng,
): FoldDiagnostics {
  const key = primaryOf(task);
  const out = m.predict(X);
  const base = score(task, enc, out, y, K)[key];
  const importance: number[][] = [];
  const Xp: Matrix = { rows: X.rows, cols: X.cols, data: Float64Array.from(X.data) };
  for (let j = 0; j < X.cols; j++) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = rng.permutation(X.rows);
      for (let i = 0; i < X.rows; i++) Xp.data[i * X.cols + j] = X.data[perm[i] * X.cols + j];
      drops.push(base - score(task, enc, m.predict(Xp), y, K)[key]);
    }
    for (let i = 0; i < X.rows; i++) Xp.data[i * X.cols + j] = X.data[i * X.cols + j];
    importance.push(drops);
  }
  if (task !== 'classification') return { importance };
  const arg = Array.from({ length: X.rows }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (out[i * K + k] > out[i * K + best]) best = k;
    return best;
  });
  return { importance, confidence: arg.map((k, i) => out[i * K + k]), correct: arg.map((k, i) => k === y[i]) };
}

/** Reliability curve: rows binned by confidence into `bins` equal-width bins; mean confidence and accuracy per non-empty bin. */
export function calibrationCurve(
  confidence: readonly number[],
  correct: readonly boolean[],
  bins = 10,
): { confidence: number[]; accuracy: number[]; count: number[] } {
  const s = new Float64Array(bins),
    a = new Float64Array(bins),
    n = new Float64Array(bins);
  confidence.forEach((c, i) => {
    const b = Math.min(bins - 1, Math.floor(c * bins));
    s[b] += c;
    a[b] += correct[i] ? 1 : 0;
    n[b]++;
  });
  const keep = Array.from(n.keys()).filter((b) => n[b] > 0);
  return {
    confidence: keep.map((b) => s[b] / n[b]),
    accuracy: keep.map((b) => a[b] / n[b]),
    count: keep.map((b) => n[b]),
  };
}
