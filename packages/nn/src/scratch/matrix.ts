/**
 * Tiny row-major float64 matrices for the from-scratch teaching code (no tfjs).
 * Only what the FFNN, convolution and RNN references need; clarity over speed.
 */

/** A rows x cols matrix stored row-major: element (i, j) is data[i * cols + j]. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** A new matrix; `data` defaults to zeros. */
export function mat(rows: number, cols: number, data?: ArrayLike<number>): Mat {
  const d = new Float64Array(rows * cols);
  if (data) {
    if (data.length !== rows * cols)
      throw new Error(`mat: expected ${rows * cols} values for (${rows}, ${cols}), got ${data.length}`);
    d.set(data);
  }
  return { rows, cols, data: d };
}

/** Matrix from nested arrays. */
export function fromRows(rows: readonly (readonly number[])[]): Mat {
  return mat(rows.length, rows[0].length, rows.flat());
}

/** C = A B (optionally A^T or B^T), shapes checked. */
export function matmul(A: Mat, B: Mat, transA = false, transB = false): Mat {
  const [m, k] = transA ? [A.cols, A.rows] : [A.rows, A.cols];
  const [k2, n] = transB ? [B.cols, B.rows] : [B.rows, B.cols];
  if (k !== k2) throw new Error(`matmul: inner sizes differ, (${m}, ${k}) x (${k2}, ${n})`);
  const C = mat(m, n);
  const a = A.data,
    b = B.data,
    c = C.data;
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * A.cols + i] : a[i * A.cols + p];
      if (aip === 0) continue;
      for (let j = 0; j < n; j++) c[i * n + j] += aip * (transB ? b[j * B.cols + p] : b[p * B.cols + j]);
    }
  return C;
}

/** Elementwise map into a new matrix. */
export function map(A: Mat, f: (v: number, i: number) => number): Mat {
  const C = mat(A.rows, A.cols);
  for (let i = 0; i < A.data.length; i++) C.data[i] = f(A.data[i], i);
  return C;
}

/** Elementwise binary op of same-shape matrices. */
export function zip(A: Mat, B: Mat, f: (a: number, b: number) => number): Mat {
  if (A.rows !== B.rows || A.cols !== B.cols)
    throw new Error(`zip: shapes (${A.rows}, ${A.cols}) and (${B.rows}, ${B.cols}) differ`);
  return map(A, (v, i) => f(v, B.data[i]));
}

/** Add a row vector (length cols) to every row. */
export function addRow(A: Mat, b: Float64Array): Mat {
  return map(A, (v, i) => v + b[i % A.cols]);
}

/** Column sums (length cols). */
export function sumRows(A: Mat): Float64Array {
  const s = new Float64Array(A.cols);
  for (let i = 0; i < A.rows; i++) for (let j = 0; j < A.cols; j++) s[j] += A.data[i * A.cols + j];
  return s;
}

/** Rows `idx` of A, as a new matrix. */
export function takeRows(A: Mat, idx: ArrayLike<number>): Mat {
  const C = mat(idx.length, A.cols);
  for (let r = 0; r < idx.length; r++) C.data.set(A.data.subarray(idx[r] * A.cols, (idx[r] + 1) * A.cols), r * A.cols);
  return C;
}
