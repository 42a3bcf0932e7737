import type { Matrix } from '@aml/data';
import type { FitData, LearningCurve, SavedModel, TabularModel } from './model';

/** Saved L2-regularised multinomial logistic regression. */
export interface SavedLogistic extends SavedModel {
  /** Weights (D, K) row-major, then biases (K). */
  readonly w: number[];
  readonly b: number[];
  readonly lambda: number;
  readonly K: number;
}

/** Class probabilities (N, K) of softmax(X W + b). */
function softmaxRows(X: Matrix, w: Float64Array, b: Float64Array, K: number): Float64Array {
  const D = X.cols;
  const p = new Float64Array(X.rows * K);
  for (let i = 0; i < X.rows; i++) {
    const o = i * K;
    for (let k = 0; k < K; k++) p[o + k] = b[k];
    for (let j = 0; j < D; j++) {
      const x = X.data[i * D + j];
      if (x === 0) continue;
      for (let k = 0; k < K; k++) p[o + k] += x * w[j * K + k]; // contiguous in w's row j
    }
    let mx = -Infinity;
    for (let k = 0; k < K; k++) if (p[o + k] > mx) mx = p[o + k];
    let s = 0;
    for (let k = 0; k < K; k++) s += p[o + k] = Math.exp(p[o + k] - mx);
    for (let k = 0; k < K; k++) p[o + k] /= s;
  }
  return p;
}

/** Largest eigenvalue of X^T X / n by power iteration (a bound for the loss's curvature). */
function topEigen(X: Matrix): number {
  const { rows: n, cols: D } = X;
  let v = new Float64Array(D).fill(1 / Math.sqrt(D));
  let lam = 0;
  for (let it = 0; it < 30; it++) {
    const u = new Float64Array(D);
    for (let i = 0; i < n; i++) {
      let xv = 0;
      for (let j = 0; j < D; j++) xv += X.data[i * D + j] * v[j];
      for (let j = 0; j < D; j++) u[j] += (X.data[i * D + j] * xv) / n;
    }
    lam = Math.hypot(...u);
    if (lam === 0) return 1;
    v = u.map((x) => x / lam);
  }
  return lam;
}

/**
 * Multinomial logistic regression with an L2 penalty: minimise mean cross-entropy + lambda/2 |W|^2 (biases not
 * penalised), in float64 by Nesterov's accelerated gradient with step 1/L, L = lambda_max(X^T X / n) / 2 + lambda,
 * a bound on the curvature, for at most `iterations` steps, fewer once no gradient entry exceeds `tolerance` (the objective is convex; this is scikit-learn's
 * LogisticRegression with C = 1 / (n lambda)). Predicts class probabilities (N, K).
 */
export function logisticModel(
  K: number,
  lambda: number,
  iterations = 300,
  fitted?: { w: number[]; b: number[] },
  tolerance = 1e-4,
  poll?: () => void | Promise<void>,
): TabularModel {
  let w = fitted ? Float64Array.from(fitted.w) : new Float64Array(0);
  let b = fitted ? Float64Array.from(fitted.b) : new Float64Array(K);
  return {
    name: 'linear',
    async fit(data: FitData): Promise<LearningCurve> {
      const { X, y } = data;
      const { rows: n, cols: D } = X;
      const step = 1 / (topEigen(X) / 2 + lambda + 1e-12);
      w = new Float64Array(D * K);
      b = new Float64Array(K);
      let pw = w.slice(),
        pb = b.slice();
      const lw = new Float64Array(D * K),
        lb = new Float64Array(K),
        gw = new Float64Array(D * K),
        gb = new Float64Array(K);
      const curve: LearningCurve = { train: [], val: [] };
      for (let t = 1; t <= iterations; t++) {
        const m = (t - 1) / (t + 2); // Nesterov momentum
        for (let i = 0; i < w.length; i++) lw[i] = w[i] + m * (w[i] - pw[i]);
        for (let k = 0; k < K; k++) lb[k] = b[k] + m * (b[k] - pb[k]);
        const p = softmaxRows(X, lw, lb, K);
        for (let i = 0; i < w.length; i++) gw[i] = lambda * lw[i];
        gb.fill(0);
        for (let i = 0; i < n; i++) {
          const o = i * K;
          p[o + y[i]] -= 1; // p - onehot(y): the residual of row i
          for (let k = 0; k < K; k++) gb[k] += p[o + k] / n;
          for (let j = 0; j < D; j++) {
            const x = X.data[i * D + j] / n;
            if (x === 0) continue;
            for (let k = 0; k < K; k++) gw[j * K + k] += x * p[o + k];
          }
        }
        pw = w;
        pb = b;
        w = new Float64Array(D * K);
        b = new Float64Array(K);
        let g2 = 0;
        for (let i = 0; i < w.length; i++) {
          w[i] = lw[i] - step * gw[i];
          g2 = Math.max(g2, Math.abs(gw[i]));
        }
        for (let k = 0; k < K; k++) {
          b[k] = lb[k] - step * gb[k];
          g2 = Math.max(g2, Math.abs(gb[k]));
        }
        if (g2 < tolerance) break; // converged: largest gradient entry below the tolerance
        if (poll)
          await poll(); // a pending signal stops the run here
        else if (t % 50 === 0) await new Promise((r) => setImmediate(r)); // let signals in
      }
      return curve;
    },
    predict(X: Matrix): Float64Array {
      if (X.cols * K !== w.length) throw new Error(`linear: fitted on ${w.length / K} features but got ${X.cols}`);
      return softmaxRows(X, w, b, K);
    },
    save: (): SavedLogistic => ({ name: 'linear', w: Array.from(w), b: Array.from(b), lambda, K }),
    dispose: () => undefined,
  };
}
