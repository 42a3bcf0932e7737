/**
 * Two-sample distances between point clouds: squared MMD with a Gaussian kernel
 * (Gretton et al. 2012, unbiased U-statistic) and the energy distance (Szekely & Rizzo 2013).
 * Plain arrays: samples are row-major (n, d) Float32Array/Float64Array/number[].
 */

type Rows = ArrayLike<number>;

function sqDist(a: Rows, i: number, b: Rows, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const t = a[i * d + k] - b[j * d + k];
    s += t * t;
  }
  return s;
}

function rows(x: Rows, d: number, what: string): number {
  if (!(Number.isInteger(d) && d >= 1)) throw new Error(`${what}: d must be an integer >= 1, got ${d}`);
  if (x.length % d !== 0) throw new Error(`${what}: sample length ${x.length} is not a multiple of d = ${d}`);
  const n = x.length / d;
  if (n < 2) throw new Error(`${what}: need at least 2 samples, got ${n}`);
  return n;
}

/**
 * Median of the pairwise Euclidean distances of (n, d) samples (at most `maxPairs` random-free
 * pairs, taken in order): the usual bandwidth heuristic. Fix it from the TRUE samples when
 * comparing several models so every model is measured with the same kernel.
 */
export function medianBandwidth(x: Rows, d: number, maxRows = 1000): number {
  const n = Math.min(rows(x, d, 'medianBandwidth'), maxRows);
  const ds: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) ds.push(Math.sqrt(sqDist(x, i, x, j, d)));
  ds.sort((a, b) => a - b);
  return ds[Math.floor(ds.length / 2)];
}

/**
 * Unbiased squared MMD with k(x, y) = exp(-|x - y|^2 / (2 h^2)):
 *   MMD^2 = E k(x,x') + E k(y,y') - 2 E k(x,y),  within-sample sums exclude i = j.
 * Zero in expectation when both samples come from the same distribution (may be slightly negative).
 * @param x (n, d); @param y (m, d)
 * @param bandwidth h, or several (the kernel is then the mean of the Gaussian kernels: sensitive at
 *   every scale given; a single median-heuristic bandwidth sees little beyond mean and covariance).
 *   Default: median heuristic on x and y pooled.
 */
export function mmd2(x: Rows, y: Rows, d: number, bandwidth?: number | readonly number[]): number {
  const n = rows(x, d, 'mmd2'),
    m = rows(y, d, 'mmd2');
  const hs =
    bandwidth === undefined
      ? [medianBandwidth(Float64Array.from([...Array.from(x), ...Array.from(y)]), d)]
      : typeof bandwidth === 'number'
        ? [bandwidth]
        : [...bandwidth];
  if (hs.length === 0 || !hs.every((h) => h > 0)) throw new Error(`mmd2: bandwidth must be > 0, got ${hs.join(', ')}`);
  const gs = hs.map((h) => 1 / (2 * h * h));
  const k = (d2: number) => {
    let s = 0;
    for (const g of gs) s += Math.exp(-g * d2);
    return s / gs.length;
  };
  let kxx = 0,
    kyy = 0,
    kxy = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) kxx += k(sqDist(x, i, x, j, d));
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) kyy += k(sqDist(y, i, y, j, d));
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) kxy += k(sqDist(x, i, y, j, d));
  return (2 * kxx) / (n * (n - 1)) + (2 * kyy) / (m * (m - 1)) - (2 * kxy) / (n * m);
}

/**
 * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (U-statistics within samples);
 * >= 0 in expectation, 0 iff the distributions are equal. Shapes as in `mmd2`.
 */
export function energyDistance(x: Rows, y: Rows, d: number): number {
  const n = rows(x, d, 'energyDistance'),
    m = rows(y, d, 'energyDistance');
  let xx = 0,
    yy = 0,
    xy = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) xx += Math.sqrt(sqDist(x, i, x, j, d));
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) yy += Math.sqrt(sqDist(y, i, y, j, d));
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += Math.sqrt(sqDist(x, i, y, j, d));
  return (2 * xy) / (n * m) - (2 * xx) / (n * (n - 1)) - (2 * yy) / (m * (m - 1));
}

/**
 * Samples of the single Gaussian fitted to `x` (its mean and full covariance, by Cholesky):
 * the baseline every generative model must beat on MMD. @returns (count, d).
 */
export function gaussianBaseline(x: Rows, d: number, count: number, rng: { normal(): number }): Float64Array {
  const n = rows(x, d, 'gaussianBaseline');
  const mu = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mu[k] += x[i * d + k] / n;
  const C = new Float64Array(d * d);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < d; a++)
      for (let b = 0; b < d; b++) C[a * d + b] += ((x[i * d + a] - mu[a]) * (x[i * d + b] - mu[b])) / (n - 1);
  const Lc = new Float64Array(d * d); // lower Cholesky factor, C = L L^T
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let s = C[a * d + b];
      for (let k = 0; k < b; k++) s -= Lc[a * d + k] * Lc[b * d + k];
      Lc[a * d + b] = a === b ? Math.sqrt(Math.max(s, 1e-12)) : s / Lc[b * d + b];
    }
  }
  const out = new Float64Array(count * d);
  const z = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    for (let k = 0; k < d; k++) z[k] = rng.normal();
    for (let a = 0; a < d; a++) {
      let s = mu[a];
      for (let k = 0; k <= a; k++) s += Lc[a * d + k] * z[k];
      out[i * d + a] = s;
    }
  }
  return out;
}
