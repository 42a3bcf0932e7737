/**
 * Principal component analysis (the course's week 8-9): centre the data, form the covariance
 * C = X_c^T X_c / (n - 1), diagonalise it; the eigenvectors are the principal directions and the
 * eigenvalues the variance along each. Plain float64.
 */
import { symmetricEigen } from './linalg';

/** A fitted PCA. */
export interface Pca {
  /** Features d. */
  readonly dim: number;
  /** Kept components k. */
  readonly k: number;
  /** Feature means (d). */
  readonly mean: Float64Array;
  /** Principal directions as rows (k, d), unit length, by decreasing variance. */
  readonly components: Float64Array;
  /** Variance along each of ALL d directions (eigenvalues of the covariance), descending. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance (d). */
  readonly explainedVarianceRatio: Float64Array;
  /** Project rows (n, d) -> scores (n, k). */
  transform(X: ArrayLike<number>): Float64Array;
  /** Map scores (n, k) back to the data space (n, d). */
  inverseTransform(Z: ArrayLike<number>): Float64Array;
}

/**
 * Fit PCA to n rows of d features (row-major) keeping k components (default all).
 *
 * @example
 *   const p = pca(X, n, d, 2);
 *   const z = p.transform(X);            // (n, 2)
 *   componentsForVariance(p, 0.95)       // smallest k explaining 95%
 */
export function pca(X: ArrayLike<number>, n: number, d: number, k = d): Pca {
  if (X.length !== n * d) throw new Error(`pca: expected n*d = ${n}*${d} values, got ${X.length}`);
  if (n < 2) throw new Error(`pca: need at least 2 rows, got ${n}`);
  if (!Number.isInteger(k) || k < 1 || k > d)
    throw new Error(`pca: components must be an integer in 1..${d}, got ${k}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j] / n;
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = X[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) C[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++)
    for (let b = a; b < d; b++) {
      C[a * d + b] /= n - 1;
      C[b * d + a] = C[a * d + b];
    }
  const { values, vectors } = symmetricEigen(C, d);
  const explainedVariance = values.map((v) => Math.max(v, 0));
  const total = explainedVariance.reduce((s, v) => s + v, 0);
  const components = vectors.slice(0, k * d);
  return {
    dim: d,
    k,
    mean,
    components,
    explainedVariance,
    explainedVarianceRatio: explainedVariance.map((v) => (total > 0 ? v / total : 0)),
    transform(Y) {
      const m = Y.length / d;
      const Z = new Float64Array(m * k);
      for (let i = 0; i < m; i++)
        for (let c = 0; c < k; c++) {
          let s = 0;
          for (let j = 0; j < d; j++) s += (Y[i * d + j] - mean[j]) * components[c * d + j];
          Z[i * k + c] = s;
        }
      return Z;
    },
    inverseTransform(Z) {
      const m = Z.length / k;
      const Y = new Float64Array(m * d);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < d; j++) {
          let s = mean[j];
          for (let c = 0; c < k; c++) s += Z[i * k + c] * components[c * d + j];
          Y[i * d + j] = s;
        }
      return Y;
    },
  };
}

/** Smallest number of components whose cumulative explained-variance ratio reaches `target` (e.g. 0.95). */
export function componentsForVariance(p: Pick<Pca, 'explainedVarianceRatio'>, target: number): number {
  if (!(target > 0 && target <= 1)) throw new Error(`componentsForVariance: target must be in (0, 1], got ${target}`);
  let s = 0;
  for (let i = 0; i < p.explainedVarianceRatio.length; i++) {
    s += p.explainedVarianceRatio[i];
    if (s >= target - 1e-12) return i + 1;
  }
  return p.explainedVarianceRatio.length;
}
