import type { Matrix } from '@aml/data';
import type { FitData, LearningCurve, SavedModel, TabularModel } from './model';

/** Saved ridge regression. */
export interface SavedRidge extends SavedModel {
  readonly w: number[];
  readonly b: number;
  readonly lambda: number;
}

/** Solve the symmetric positive definite system A x = r (A (d, d) row-major) by Cholesky. */
export function choleskySolve(A: Float64Array, r: Float64Array, d: number): Float64Array {
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * d + j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 0))
          throw new Error(
            `ridge: the normal equations are singular at column ${i}; raise lambda or drop a duplicated feature`,
          );
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j];
    }
  }
  const z = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = r[i];
    for (let k = 0; k < i; k++) s -= L[i * d + k] * z[k];
    z[i] = s / L[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < d; k++) s -= L[k * d + i] * x[k];
    x[i] = s / L[i * d + i];
  }
  return x;
}

/**
 * Ridge regression in closed form: minimise |y - X w - b|^2 + lambda |w|^2 (bias not penalised),
 * solved on centred data: (Xc^T Xc + lambda I) w = Xc^T yc, b = mean(y) - mean(X) w. The linear baseline
 * for regression: exact, no training steps.
 */
export function ridgeModel(
  lambda = 1e-6,
  fitted?: { w: number[]; b: number },
  poll?: () => void | Promise<void>,
): TabularModel {
  let w: Float64Array = fitted ? Float64Array.from(fitted.w) : new Float64Array(0);
  let b = fitted?.b ?? 0;
  return {
    name: 'linear',
    async fit(data: FitData): Promise<LearningCurve> {
      const { X, y } = data;
      const d = X.cols;
      const n = X.rows;
      const mx = new Float64Array(d);
      let my = 0;
      for (let i = 0; i < n; i++) {
        my += y[i] / n;
        for (let j = 0; j < d; j++) mx[j] += X.data[i * d + j] / n;
      }
      const A = new Float64Array(d * d);
      const r = new Float64Array(d);
      for (let i = 0; i < n; i++) {
        if (poll && i % 16384 === 16383) await poll(); // a pending signal stops a long pass here
        for (let j = 0; j < d; j++) {
          const xj = X.data[i * d + j] - mx[j];
          r[j] += xj * (y[i] - my);
          for (let k = 0; k <= j; k++) A[j * d + k] += xj * (X.data[i * d + k] - mx[k]);
        }
      }
      for (let j = 0; j < d; j++) {
        for (let k = 0; k < j; k++) A[k * d + j] = A[j * d + k];
        A[j * d + j] += lambda * n;
      }
      w = choleskySolve(A, r, d);
      b = my - mx.reduce((s, m, j) => s + m * w[j], 0);
      return { train: [], val: [] };
    },
    predict(X: Matrix): Float64Array {
      if (X.cols !== w.length) throw new Error(`linear: fitted on ${w.length} features but got ${X.cols}`);
      const out = new Float64Array(X.rows);
      for (let i = 0; i < X.rows; i++) {
        let s = b;
        for (let j = 0; j < X.cols; j++) s += X.data[i * X.cols + j] * w[j];
        out[i] = s;
      }
      return out;
    },
    save: (): SavedRidge => ({ name: 'linear', w: Array.from(w), b, lambda }),
    dispose: () => undefined,
  };
}
