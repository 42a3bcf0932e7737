import { Matrix } from '@aml/data';

/**
 * Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan, sec. 8.5):
 * plenty for covariance matrices of tabular features (tens of columns), exact to rounding.
 *
 * @returns eigenvalues (descending) and eigenvectors as columns of a row-major (d, d) matrix.
 */
export function symmetricEigen(S: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        // Rotation angle that zeroes A[p][q].
        const theta = (A[q * d + q] - A[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = A[k * d + p];
          const akq = A[k * d + q];
          A[k * d + p] = c * akp - s * akq;
          A[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = A[p * d + k];
          const aqk = A[q * d + k];
          A[p * d + k] = c * apk - s * aqk;
          A[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = V[k * d + p];
          const vkq = V[k * d + q];
          V[k * d + p] = c * vkp - s * vkq;
          V[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((a, b) => A[b * d + b] - A[a * d + a]);
  const values = Float64Array.from(order, (i) => A[i * d + i]);
  const vectors = new Float64Array(d * d);
  order.forEach((src, j) => { for (let k = 0; k < d; k++) vectors[k * d + j] = V[k * d + src]; });
  return { values, vectors };
}

/** A fitted PCA. */
export interface Pca {
  /** Column means (d). */
  readonly mean: Float64Array;
  /** Principal axes as columns, (d, d) row-major, by decreasing variance. */
  readonly components: Float64Array;
  /** Variance along each axis (d), descending. */
  readonly variance: Float64Array;
  /** variance / total variance (d). */
  readonly explained: Float64Array;
}

/** PCA of X (N, d) from the eigen-decomposition of its covariance (1/N). */
export function fitPca(X: Matrix): Pca {
  const { rows: n, cols: d } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j] / n;
  const C = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = X.data[i * d + a] - mean[a];
      for (let b = a; b < d; b++) C[a * d + b] += (xa * (X.data[i * d + b] - mean[b])) / n;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) C[a * d + b] = C[b * d + a];
  const { values, vectors } = symmetricEigen(C, d);
  const variance = Float64Array.from(values, (v) => Math.max(v, 0));
  const total = variance.reduce((s, v) => s + v, 0) || 1;
  return { mean, components: vectors, variance, explained: Float64Array.from(variance, (v) => v / total) };
}

/** Coordinates of X (N, d) on the first k axes: (N, k). */
export function pcaTransform(p: Pca, X: Matrix, k: number): Matrix {
  const d = X.cols;
  const out = new Float64Array(X.rows * k);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (X.data[i * d + a] - p.mean[a]) * p.components[a * d + j];
      out[i * k + j] = s;
    }
  }
  return { data: out, rows: X.rows, cols: k };
}

/** Mean squared reconstruction error per entry when keeping k axes = (sum of the dropped variances) / d. */
export function pcaReconstructionError(p: Pca, k: number): number {
  return p.variance.subarray(k).reduce((s, v) => s + v, 0) / p.variance.length;
}
