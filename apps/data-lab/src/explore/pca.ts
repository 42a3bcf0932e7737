import type { Matrix } from '@aml/data';
import { pca } from '@aml/nn';

/** What explore reports of a PCA. */
export interface PcaSummary {
  /** Explained-variance ratio of every component (d), descending. */
  readonly explained: Float64Array;
  /** Rows on the first two components (N, 2). */
  readonly embedding: Matrix;
  /** Mean squared error per entry of the rank-2 reconstruction. */
  readonly reconstructionError: number;
}

/**
 * PCA of X (N, d) with @aml/nn's `pca` (covariance with 1/(n - 1), as in the course): the explained-variance
 * ratios, the 2D embedding, and the error of mapping that embedding back to the data space.
 */
export function pcaSummary(X: Matrix): PcaSummary {
  const p = pca(X.data, X.rows, X.cols, 2);
  const z = p.transform(X.data); // (N, 2)
  const back = p.inverseTransform(z); // (N, d)
  let se = 0;
  for (let i = 0; i < X.data.length; i++) se += (back[i] - X.data[i]) ** 2;
  return {
    explained: p.explainedVarianceRatio,
    embedding: { data: z, rows: X.rows, cols: 2 },
    reconstructionError: se / X.data.length,
  };
}
