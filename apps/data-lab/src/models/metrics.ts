/**
 * Scores of predictions against the truth, on plain arrays (the scores of cross-validation folds).
 */

/** Index of the largest of K probabilities in row i of (N, K). */
export function argmaxRow(p: ArrayLike<number>, i: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
  return best;
}

/** Confusion matrix (K, K): m[t][p] counts true class t predicted as p. */
export function confusion(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, K: number): number[][] {
  const m = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/** Classification scores from class probabilities (N, K). */
export function classificationScores(yTrue: ArrayLike<number>, prob: ArrayLike<number>, K: number): Record<string, number> {
  const n = yTrue.length;
  const pred = Array.from({ length: n }, (_, i) => argmaxRow(prob, i, K));
  const m = confusion(yTrue, pred, K);
  let correct = 0;
  let logLoss = 0;
  for (let i = 0; i < n; i++) {
    if (pred[i] === yTrue[i]) correct++;
    logLoss -= Math.log(Math.max(prob[i * K + yTrue[i]], 1e-15));
  }
  // Macro F1: classes absent from both truth and predictions are skipped.
  const f1s: number[] = [];
  for (let k = 0; k < K; k++) {
    const tp = m[k][k];
    const fp = m.reduce((s, row, t) => s + (t === k ? 0 : row[k]), 0);
    const fn = m[k].reduce((s, v, p) => s + (p === k ? 0 : v), 0);
    if (tp + fp + fn > 0) f1s.push((2 * tp) / (2 * tp + fp + fn));
  }
  return { accuracy: correct / n, macroF1: f1s.reduce((a, b) => a + b, 0) / f1s.length, logLoss: logLoss / n };
}

/** Regression scores: RMSE, MAE and R^2 (1 - SSE / SST about the mean of yTrue). */
export function regressionScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Record<string, number> {
  const n = yTrue.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] / n;
  let sse = 0; let sae = 0; let sst = 0;
  for (let i = 0; i < n; i++) {
    const e = yPred[i] - yTrue[i];
    sse += e * e;
    sae += Math.abs(e);
    sst += (yTrue[i] - mean) ** 2;
  }
  return { rmse: Math.sqrt(sse / n), mae: sae / n, r2: sst > 0 ? 1 - sse / sst : NaN };
}

/** Mean and (population) standard deviation. */
export function meanStd(v: readonly number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}
