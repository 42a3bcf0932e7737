/**
 * Small dense linear algebra in float64 for PCA and subspace comparisons (no tfjs):
 * the cyclic Jacobi eigenvalue method for symmetric matrices, Gram-Schmidt, principal angles.
 */

/**
 * Eigen-decomposition of a symmetric d x d matrix (row-major) by cyclic Jacobi rotations
 * (Golub & Van Loan 8.5). Returns eigenvalues in descending order and the matching unit
 * eigenvectors as the ROWS of `vectors` (d x d row-major).
 */
export function symmetricEigen(
  A: ArrayLike<number>,
  d: number,
  tol = 1e-12,
  maxSweeps = 100,
): { values: Float64Array; vectors: Float64Array } {
  if (A.length !== d * d) throw new Error(`symmetricEigen: expected ${d}x${d} = ${d * d} values, got ${A.length}`);
  const a = Float64Array.from(A);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  const off = () => {
    let s = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) s += a[i * d + j] ** 2;
    return s;
  };
  const scale = Math.max(
    1e-300,
    a.reduce((s, x) => s + x * x, 0),
  );
  for (let sweep = 0; sweep < maxSweeps && off() > tol * tol * scale; sweep++) {
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        // rotation angle that zeroes a_pq
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p],
            akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k],
            aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p],
            vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
  }
  const order = Array.from({ length: d }, (_, i) => i).sort((i, j) => a[j * d + j] - a[i * d + i]);
  const values = Float64Array.from(order, (i) => a[i * d + i]);
  const vectors = new Float64Array(d * d);
  order.forEach((col, r) => {
    for (let k = 0; k < d; k++) vectors[r * d + k] = v[k * d + col];
  });
  return { values, vectors };
}

/** Orthonormal basis (k rows of length d) of the span of the k rows of B, by modified Gram-Schmidt. */
export function orthonormalRows(B: ArrayLike<number>, k: number, d: number): Float64Array {
  const Q = Float64Array.from(B);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      let dot = 0;
      for (let t = 0; t < d; t++) dot += Q[i * d + t] * Q[j * d + t];
      for (let t = 0; t < d; t++) Q[i * d + t] -= dot * Q[j * d + t];
    }
    let n = 0;
    for (let t = 0; t < d; t++) n += Q[i * d + t] ** 2;
    n = Math.sqrt(n);
    if (n < 1e-12) throw new Error(`orthonormalRows: row ${i} is linearly dependent on the previous rows`);
    for (let t = 0; t < d; t++) Q[i * d + t] /= n;
  }
  return Q;
}

/**
 * Principal angles (radians, ascending) between the spans of the k rows of A and of B (each k x d):
 * cos(theta_i) are the singular values of Q_A Q_B^T (Bjorck & Golub 1973).
 */
export function principalAngles(A: ArrayLike<number>, B: ArrayLike<number>, k: number, d: number): Float64Array {
  const QA = orthonormalRows(A, k, d),
    QB = orthonormalRows(B, k, d);
  const M = new Float64Array(k * k); // Q_A Q_B^T
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) for (let t = 0; t < d; t++) M[i * k + j] += QA[i * d + t] * QB[j * d + t];
  const MtM = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) for (let t = 0; t < k; t++) MtM[i * k + j] += M[t * k + i] * M[t * k + j];
  const { values } = symmetricEigen(MtM, k);
  return Float64Array.from(values, (s2) => Math.acos(Math.min(1, Math.sqrt(Math.max(0, s2)))));
}
