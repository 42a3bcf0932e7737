/**
 * Regression / field-error metrics: MSE, RMSE, MAE, R^2 and the relative L2 error used to
 * report PINN accuracy (||u_pred - u_true||_2 / ||u_true||_2). Inputs of any shape are flattened.
 */
import { sameLength, toFloat64, type Values } from './inputs';

function pair(who: string, yTrue: Values, yPred: Values): [Float64Array, Float64Array] {
  const t = toFloat64(yTrue),
    p = toFloat64(yPred);
  sameLength(who, t, p);
  return [t, p];
}

/** Mean squared error. @example mse([1, 2, 3], [1, 2, 5]) // 4/3 */
export function mse(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('mse', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += (p[i] - t[i]) ** 2;
  return s / t.length;
}

/** Root mean squared error. @example rmse([0, 0], [3, 4]) // sqrt(12.5) */
export function rmse(yTrue: Values, yPred: Values): number {
  return Math.sqrt(mse(yTrue, yPred));
}

/** Mean absolute error. @example mae([1, 2, 3], [2, 2, 1]) // 1 */
export function mae(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('mae', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < t.length; i++) s += Math.abs(p[i] - t[i]);
  return s / t.length;
}

/**
 * Coefficient of determination R^2 = 1 - SS_res / SS_tot. For a constant yTrue (SS_tot = 0) it is
 * 1 for a perfect prediction and 0 otherwise (scikit-learn's convention).
 * @example r2([1, 2, 3], [1, 2, 4]) // 0.5
 */
export function r2(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('r2', yTrue, yPred);
  let mean = 0;
  for (const v of t) mean += v;
  mean /= t.length;
  let res = 0,
    tot = 0;
  for (let i = 0; i < t.length; i++) {
    res += (t[i] - p[i]) ** 2;
    tot += (t[i] - mean) ** 2;
  }
  if (tot === 0) return res === 0 ? 1 : 0;
  return 1 - res / tot;
}

/**
 * Relative L2 error ||yPred - yTrue||_2 / ||yTrue||_2 (the PINN literature's accuracy figure).
 * @example relativeL2([3, 4], [3, 5]) // 0.2
 */
export function relativeL2(yTrue: Values, yPred: Values): number {
  const [t, p] = pair('relativeL2', yTrue, yPred);
  let num = 0,
    den = 0;
  for (let i = 0; i < t.length; i++) {
    num += (p[i] - t[i]) ** 2;
    den += t[i] ** 2;
  }
  if (den === 0) throw new Error('relativeL2: yTrue is all zeros, so the relative error is undefined; use rmse or mae');
  return Math.sqrt(num / den);
}
