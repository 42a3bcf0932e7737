import type { Rng } from '@aml/core';
import type { Matrix } from '@aml/data';

/** A fitted CART tree as flat arrays (plain JSON): node i splits on `feature[i]` at `threshold[i]`, or is a leaf (feature -1). */
export interface Tree {
  readonly feature: number[];
  readonly threshold: number[];
  readonly left: number[];
  readonly right: number[];
  /** Leaf values: K class fractions (classification) or one mean (regression) per node, node-major. */
  readonly value: number[];
  /** Values per node: K, or 1 for regression. */
  readonly width: number;
}

/** How one tree grows. */
export interface TreeConfig {
  /** Classes K >= 2, or 0 for regression. */
  readonly K: number;
  /** Columns drawn at random for each split (Breiman's mtry). */
  readonly mtry: number;
  /** Fewest rows a leaf may hold. */
  readonly minLeaf: number;
  /** Deepest level a node may sit at. */
  readonly maxDepth: number;
}

/** Impurity of a node from its class counts (Gini, times n) or its sum and sum of squares (SSE). */
function impurity(K: number, n: number, counts: Float64Array, sum: number, sq: number): number {
  if (n === 0) return 0;
  if (K === 0) return sq - (sum * sum) / n;
  let g = n;
  for (let k = 0; k < K; k++) g -= (counts[k] * counts[k]) / n;
  return g;
}

/** Columns of X (N, D) cut into at most `bins` (default 32) bins at quantiles of the rows `idx`: codes (N, D) and edges per column. */
export interface Binned {
  readonly codes: Uint8Array;
  /** edges[f][b]: rows with code <= b have x <= edges[f][b]. */
  readonly edges: Float64Array[];
}

/** Bin every column at quantiles of rows `rows` (bins <= 256); code(x) = number of edges below x. */
export function binColumns(X: Matrix, rows: ArrayLike<number>, bins = 32): Binned {
  if (!(Number.isInteger(bins) && bins >= 2 && bins <= 256))
    throw new Error(`binColumns: bins must be an integer in [2, 256], got ${bins}`);
  const { rows: N, cols: D } = X;
  const codes = new Uint8Array(N * D);
  const edges: Float64Array[] = [];
  const v = new Float64Array(rows.length);
  for (let f = 0; f < D; f++) {
    for (let k = 0; k < rows.length; k++) v[k] = X.data[rows[k] * D + f];
    v.sort();
    const e: number[] = [];
    for (let b = 1; b < bins; b++) {
      const q = v[Math.min(v.length - 1, Math.floor((b * v.length) / bins))];
      if (q < v[v.length - 1] && (e.length === 0 || q > e[e.length - 1])) e.push(q);
    }
    edges.push(Float64Array.from(e));
    for (let i = 0; i < N; i++) {
      const x = X.data[i * D + f];
      let c = 0;
      while (c < e.length && e[c] < x) c++;
      codes[i * D + f] = c;
    }
  }
  return { codes, edges };
}

/**
 * Grow a CART tree (Breiman et al. 1984) on rows `idx` (with repeats: a bootstrap sample) of binned columns with
 * targets y (N): at each node the best split (largest fall of Gini impurity, or of squared error for regression)
 * over `mtry` columns drawn from `rng`, at a bin edge (histogram splitting, as LightGBM and scikit-learn's
 * HistGradientBoosting do: one pass over the node's rows per column); a node stops splitting when pure, too
 * small or too deep.
 */
export function growTree(B: Binned, D: number, y: Float64Array, idx: Uint32Array, c: TreeConfig, rng: Rng): Tree {
  const width = c.K === 0 ? 1 : c.K;
  const W = Math.max(c.K, 1);
  const t = {
    feature: [] as number[],
    threshold: [] as number[],
    left: [] as number[],
    right: [] as number[],
    value: [] as number[],
    width,
  };
  const nbMax = B.edges.reduce((m, e) => Math.max(m, e.length + 1), 1);
  const hc = new Float64Array(nbMax * W); // per bin: class counts, or sums (regression)
  const hn = new Float64Array(nbMax),
    hq = new Float64Array(nbMax);
  const lc = new Float64Array(W);
  const grow = (rows: Uint32Array, depth: number): number => {
    const node = t.feature.length;
    t.feature.push(-1);
    t.threshold.push(0);
    t.left.push(-1);
    t.right.push(-1);
    const counts = new Float64Array(W);
    let sum = 0,
      sq = 0;
    for (const i of rows) {
      if (c.K) counts[y[i]]++;
      else {
        sum += y[i];
        sq += y[i] * y[i];
      }
    }
    const n = rows.length;
    if (c.K) for (let k = 0; k < c.K; k++) t.value.push(counts[k] / n);
    else t.value.push(sum / n);
    const parent = impurity(c.K, n, counts, sum, sq);
    if (depth >= c.maxDepth || n < 2 * c.minLeaf || parent <= 1e-12 * n) return node;
    let best = { gain: 1e-12, f: -1, bin: 0 };
    for (const f of rng.permutation(D).subarray(0, c.mtry)) {
      const nb = B.edges[f].length + 1;
      hc.fill(0, 0, nb * W);
      hn.fill(0, 0, nb);
      hq.fill(0, 0, nb);
      for (const i of rows) {
        const b = B.codes[i * D + f];
        hn[b]++;
        if (c.K) hc[b * W + y[i]]++;
        else {
          hc[b] += y[i];
          hq[b] += y[i] * y[i];
        }
      }
      lc.fill(0);
      let ln = 0,
        ls = 0,
        lq = 0;
      for (let b = 0; b < nb - 1; b++) {
        ln += hn[b];
        if (c.K) for (let k = 0; k < W; k++) lc[k] += hc[b * W + k];
        else {
          ls += hc[b];
          lq += hq[b];
        }
        if (ln < c.minLeaf || n - ln < c.minLeaf) continue;
        let right: number;
        if (c.K) {
          let g = n - ln;
          for (let q = 0; q < c.K; q++) g -= (counts[q] - lc[q]) ** 2 / (n - ln);
          right = g;
        } else right = impurity(0, n - ln, lc, sum - ls, sq - lq);
        const gain = parent - impurity(c.K, ln, lc, ls, lq) - right;
        if (gain > best.gain) best = { gain, f, bin: b };
      }
    }
    if (best.f < 0) return node;
    const L: number[] = [],
      R: number[] = [];
    for (const i of rows) (B.codes[i * D + best.f] <= best.bin ? L : R).push(i);
    t.feature[node] = best.f;
    t.threshold[node] = B.edges[best.f][best.bin];
    t.left[node] = grow(Uint32Array.from(L), depth + 1);
    t.right[node] = grow(Uint32Array.from(R), depth + 1);
    return node;
  };
  grow(idx, 0);
  return t;
}

/** Add `scale` times the tree's leaf values for every row of X (N, D) into out (N, width). */
export function addTreePrediction(t: Tree, X: Matrix, scale: number, out: Float64Array): void {
  for (let i = 0; i < X.rows; i++) {
    let node = 0;
    while (t.feature[node] >= 0)
      node = X.data[i * X.cols + t.feature[node]] <= t.threshold[node] ? t.left[node] : t.right[node];
    for (let k = 0; k < t.width; k++) out[i * t.width + k] += scale * t.value[node * t.width + k];
  }
}
