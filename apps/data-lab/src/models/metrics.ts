/**
 * Scores of cross-validation folds, from @aml/core's metrics (accuracy, macro F1, confusion matrix, RMSE,
 * MAE, R^2); only the log-loss, which needs the probabilities, is computed here.
 */
import { accuracy, confusionMatrix, f1, mae, r2, rmse } from '@aml/core';

/** Index of the largest of K probabilities in row i of (N, K). */
export function argmaxRow(p: ArrayLike<number>, i: number, K: number): number {
  let best = 0;
  for (let k = 1; k < K; k++) if (p[i * K + k] > p[i * K + best]) best = k;
  return best;
}

/** Confusion matrix (K, K): m[t][p] counts true class t predicted as p. */
export function confusion(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, K: number): number[][] {
  return confusionMatrix(yTrue, yPred, K);
}

/** Classification scores from class probabilities (N, K): accuracy, macro F1 and mean log-loss. */
export function classificationScores(
  yTrue: ArrayLike<number>,
  prob: ArrayLike<number>,
  K: number,
): Record<string, number> {
  const n = yTrue.length;
  const pred = Array.from({ length: n }, (_, i) => argmaxRow(prob, i, K));
  let logLoss = 0;
  for (let i = 0; i < n; i++) logLoss -= Math.log(Math.max(prob[i * K + yTrue[i]], 1e-15));
  return {
    accuracy: accuracy(yTrue, pred),
    macroF1: f1(yTrue, pred, { average: 'macro', numClasses: K }),
    logLoss: logLoss / n,
  };
}

/** Regression scores: RMSE, MAE and R^2. */
export function regressionScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Record<string, number> {
  return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
}

/** Mean and (population) standard deviation. */
export function meanStd(v: readonly number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length) };
}
