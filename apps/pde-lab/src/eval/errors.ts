/**
 * Errors of a prediction against reference values, per output component, from @aml/pinn's
 * `compareValues` (relative L2 ||u - u_ref|| / ||u_ref||, the figure PINN papers report; max
 * absolute error; RMSE). A diverged network (NaN predictions) scores NaN instead of failing,
 * so its metrics and report are still written.
 */
import { compareValues } from '@aml/pinn';

/** Errors of one output component. */
export interface ComponentErrors {
  /** ||u - u_ref||_2 / ||u_ref||_2 (absolute L2 if the reference is identically 0). */
  readonly relL2: number;
  /** max |u - u_ref|. */
  readonly maxAbs: number;
  /** sqrt(mean (u - u_ref)^2). */
  readonly rmse: number;
  /** mean |u - u_ref| (the figure the course's Black-Scholes notebook reports). */
  readonly meanAbs: number;
}

/** Errors of `pred` against `ref`, both length N. */
export function componentErrors(pred: ArrayLike<number>, ref: ArrayLike<number>): ComponentErrors {
  if (pred.length !== ref.length)
    throw new Error(`componentErrors: ${pred.length} predictions vs ${ref.length} reference values`);
  for (let i = 0; i < pred.length; i++) {
    if (!Number.isFinite(pred[i])) return { relL2: NaN, maxAbs: NaN, rmse: NaN, meanAbs: NaN };
  }
  const r = compareValues(pred, ref);
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs(pred[i] - ref[i]);
  return { relL2: r.relativeL2, maxAbs: r.maxAbs, rmse: r.rmse, meanAbs: sum / pred.length };
}

/** Column `j` of a row-major (N, m) array. */
export function column(values: ArrayLike<number>, m: number, j: number): Float64Array {
  const n = values.length / m;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * m + j];
  return out;
}
