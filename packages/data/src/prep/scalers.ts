/**
 * Column scalers for a row-major matrix X (N, d). Fit on the training rows only, then apply the same
 * statistics to validation/test/new rows: that is what keeps validation scores honest. States are plain
 * JSON, saved with a model. Missing values (NaN) are ignored when fitting and stay NaN.
 */

/** Fitted standardisation: x' = (x - mean) / std per column. */
export interface StandardScalerState {
  readonly kind: 'standard';
  /** Per-column training mean, length d. */
  readonly mean: number[];
  /** Per-column training standard deviation (population, ddof 0), 1 where it is 0. */
  readonly std: number[];
}

/** Fitted min-max scaling: x' = (x - min) / (max - min), so training values fall in [0, 1]. */
export interface MinMaxScalerState {
  readonly kind: 'minmax';
  /** Per-column training minimum, length d. */
  readonly min: number[];
  /** Per-column training maximum, length d. */
  readonly max: number[];
}

/** Any fitted scaler. */
export type ScalerState = StandardScalerState | MinMaxScalerState;

/** A row-major matrix (rows, cols) of float64. */
export interface Matrix {
  readonly data: Float64Array;
  readonly rows: number;
  readonly cols: number;
}

function checkMatrix(m: Matrix, what: string): void {
  if (m.data.length !== m.rows * m.cols)
    throw new Error(`${what}: data has ${m.data.length} values but rows * cols = ${m.rows} * ${m.cols}`);
}

/** Rows used for fitting: `rows` if given (training indices), else all. */
function fitRows(m: Matrix, rows?: ArrayLike<number>): ArrayLike<number> {
  return rows ?? Array.from({ length: m.rows }, (_, i) => i);
}

/** Fit a standard scaler on the rows `rows` of X (default all rows). */
export function fitStandardScaler(X: Matrix, rows?: ArrayLike<number>): StandardScalerState {
  checkMatrix(X, 'fitStandardScaler');
  const idx = fitRows(X, rows);
  const mean: number[] = [];
  const std: number[] = [];
  for (let j = 0; j < X.cols; j++) {
    let n = 0;
    let s = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = X.data[idx[k] * X.cols + j];
      if (!Number.isNaN(v)) {
        s += v;
        n++;
      }
    }
    if (n === 0) throw new Error(`fitStandardScaler: column ${j} has no values in the fitting rows`);
    const mu = s / n;
    let ss = 0;
    for (let k = 0; k < idx.length; k++) {
      const v = X.data[idx[k] * X.cols + j];
      if (!Number.isNaN(v)) ss += (v - mu) * (v - mu);
    }
    const sd = Math.sqrt(ss / n);
    mean.push(mu);
    std.push(sd > 0 ? sd : 1); // a constant column stays finite (it becomes 0)
  }
  return { kind: 'standard', mean, std };
}

/** Fit a min-max scaler on the rows `rows` of X (default all rows). */
export function fitMinMaxScaler(X: Matrix, rows?: ArrayLike<number>): MinMaxScalerState {
  checkMatrix(X, 'fitMinMaxScaler');
  const idx = fitRows(X, rows);
  const min = new Array<number>(X.cols).fill(Infinity);
  const max = new Array<number>(X.cols).fill(-Infinity);
  for (let k = 0; k < idx.length; k++) {
    for (let j = 0; j < X.cols; j++) {
      const v = X.data[idx[k] * X.cols + j];
      if (Number.isNaN(v)) continue;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
    }
  }
  min.forEach((m, j) => {
    if (m === Infinity) throw new Error(`fitMinMaxScaler: column ${j} has no values in the fitting rows`);
  });
  return { kind: 'minmax', min, max };
}

function affine(s: ScalerState, d: number): { shift: number[]; scale: number[] } {
  const n = s.kind === 'standard' ? s.mean.length : s.min.length;
  if (n !== d) throw new Error(`scaler was fitted on ${n} columns but the matrix has ${d}`);
  if (s.kind === 'standard') return { shift: s.mean, scale: s.std };
  return { shift: s.min, scale: s.min.map((m, j) => (s.max[j] > m ? s.max[j] - m : 1)) };
}

/** Apply a fitted scaler: a new matrix, X is not modified. */
export function applyScaler(s: ScalerState, X: Matrix): Matrix {
  checkMatrix(X, 'applyScaler');
  const { shift, scale } = affine(s, X.cols);
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < X.data.length; i++) {
    const j = i % X.cols;
    out[i] = (X.data[i] - shift[j]) / scale[j];
  }
  return { data: out, rows: X.rows, cols: X.cols };
}

/** Undo a fitted scaler (e.g. to report predictions in the target's units). */
export function invertScaler(s: ScalerState, X: Matrix): Matrix {
  checkMatrix(X, 'invertScaler');
  const { shift, scale } = affine(s, X.cols);
  const out = new Float64Array(X.data.length);
  for (let i = 0; i < X.data.length; i++) {
    const j = i % X.cols;
    out[i] = X.data[i] * scale[j] + shift[j];
  }
  return { data: out, rows: X.rows, cols: X.cols };
}
