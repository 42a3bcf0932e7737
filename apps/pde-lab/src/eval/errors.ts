/**
 * Errors of a prediction against reference values: relative L2 (||u - u_ref|| / ||u_ref||, the
 * figure PINN papers report) and max absolute error, per output component.
 */

/** Errors of one output component. */
export interface ComponentErrors {
  /** ||u - u_ref||_2 / ||u_ref||_2 (absolute L2 if the reference is identically 0). */
  readonly relL2: number;
  /** max |u - u_ref|. */
  readonly maxAbs: number;
  /** sqrt(mean (u - u_ref)^2). */
  readonly rmse: number;
}

/** Errors of `pred` against `ref`, both length N. */
export function componentErrors(pred: ArrayLike<number>, ref: ArrayLike<number>): ComponentErrors {
  if (pred.length !== ref.length) throw new Error(`componentErrors: ${pred.length} predictions vs ${ref.length} reference values`);
  if (pred.length === 0) throw new Error('componentErrors: no points');
  let num = 0;
  let den = 0;
  let maxAbs = 0;
  for (let i = 0; i < pred.length; i++) {
    const e = pred[i] - ref[i];
    num += e * e;
    den += ref[i] * ref[i];
    maxAbs = Math.max(maxAbs, Math.abs(e));
  }
  return { relL2: den > 0 ? Math.sqrt(num / den) : Math.sqrt(num), maxAbs, rmse: Math.sqrt(num / pred.length) };
}

/** Column `j` of a row-major (N, m) array. */
export function column(values: ArrayLike<number>, m: number, j: number): Float64Array {
  const n = values.length / m;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[i * m + j];
  return out;
}
