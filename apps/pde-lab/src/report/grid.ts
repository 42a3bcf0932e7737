/**
 * Evaluation grids over a problem's box: every input axis gets `n` evenly spaced points.
 * For plotting, the first input varies fastest (row-major `z[j * nx + i]` at (x_i, y_j)), which is
 * the layout `heatmapFigure` takes. Inputs beyond the second are held at their mid-range.
 */

/** A box in input space. */
export interface Box {
  /** Lower bound of each input (d). */
  readonly lo: readonly number[];
  /** Upper bound of each input (d). */
  readonly hi: readonly number[];
}

/** A tensor-product grid of points. */
export interface EvalGrid {
  /** Values along the plotted axes (one or two arrays). */
  readonly axes: readonly Float64Array[];
  /** Points, row-major (N, d), first axis fastest. */
  readonly points: Float64Array;
  /** Number of points N. */
  readonly n: number;
}

/** n evenly spaced values from a to b inclusive. */
export function linspace(a: number, b: number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
  return out;
}

/** Grid over the first min(d, 2) inputs of `box` with n points per axis; other inputs at mid-range. */
export function plotGrid(box: Box, n: number): EvalGrid {
  const d = box.lo.length;
  const k = Math.min(d, 2);
  const axes = Array.from({ length: k }, (_, a) => linspace(box.lo[a], box.hi[a], n));
  const mid = box.lo.map((l, a) => (l + box.hi[a]) / 2);
  const N = k === 1 ? n : n * n;
  const points = new Float64Array(N * d);
  for (let p = 0; p < N; p++) {
    const row = points.subarray(p * d, (p + 1) * d);
    row.set(mid);
    row[0] = axes[0][p % n];
    if (k === 2) row[1] = axes[1][Math.floor(p / n)];
  }
  return { axes, points, n: N };
}

/** Points along input `axis` (n values over its range) with input `fixed` held at `value`; other inputs mid-range. */
export function slicePoints(box: Box, axis: number, fixed: number, value: number, n: number): { along: Float64Array; points: Float64Array } {
  const d = box.lo.length;
  const along = linspace(box.lo[axis], box.hi[axis], n);
  const points = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) points[i * d + a] = (box.lo[a] + box.hi[a]) / 2;
    points[i * d + axis] = along[i];
    points[i * d + fixed] = value;
  }
  return { along, points };
}
