/**
 * The course's cost functions C(a, t) of the output activations a and targets t, each with
 * dC/da. All are means over the n rows of the batch (n = number of samples).
 *
 *   MSE (OLS):            C = 1/n sum (t - a)^2,                         dC/da = -2/n (t - a)
 *   Binary CE (LogReg):   C = -1/n sum [t log(a+e) + (1-t) log(1-a+e)],  dC/da = -1/n [t/(a+e) - (1-t)/(1-a+e)]
 *   Categorical CE:       C = -1/n sum t log(a + e)                       dC/da = -1/n t/(a+e)
 * with e = 1e-9. With a softmax output, CE's delta simplifies to (a - t)/n (see ffnn.ts).
 */

/** A cost over flattened (n, k) arrays, n rows. */
export interface ScratchCost {
  readonly name: 'mse' | 'bce' | 'ce';
  value(a: Float64Array, t: Float64Array, n: number): number;
  grad(a: Float64Array, t: Float64Array, n: number): Float64Array;
}

const E = 1e-9;

/** Mean squared error (the course's CostOLS). */
export const costMse: ScratchCost = {
  name: 'mse',
  value: (a, t, n) => a.reduce((s, v, i) => s + (t[i] - v) ** 2, 0) / n,
  grad: (a, t, n) => a.map((v, i) => (-2 / n) * (t[i] - v)),
};

/** Binary cross-entropy (the course's CostLogReg). */
export const costBce: ScratchCost = {
  name: 'bce',
  value: (a, t, n) => -a.reduce((s, v, i) => s + t[i] * Math.log(v + E) + (1 - t[i]) * Math.log(1 - v + E), 0) / n,
  grad: (a, t, n) => a.map((v, i) => (-1 / n) * (t[i] / (v + E) - (1 - t[i]) / (1 - v + E))),
};

/** Categorical cross-entropy (the course's CostCrossEntropy), targets one-hot. */
export const costCe: ScratchCost = {
  name: 'ce',
  value: (a, t, n) => -a.reduce((s, v, i) => s + t[i] * Math.log(v + E), 0) / n,
  grad: (a, t, n) => a.map((v, i) => (-1 / n) * (t[i] / (v + E))),
};
