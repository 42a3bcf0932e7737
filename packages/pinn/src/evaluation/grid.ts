/**
 * Evaluation grids: where a solution is scored and plotted. `boxGrid` and `evaluationGrid` give
 * the full tensor grid over a geometry (last axis fastest; points outside a non-box geometry
 * dropped) for errors; `plotGrid` and `slicePoints` give the grids of the report's maps and slices
 * (first axis fastest, row-major `z[j * nx + i]` at (x_i, y_j), the layout `heatmapFigure` takes;
 * inputs beyond the plotted ones held at mid-range). One module, so scores and plots agree.
 */
import type { Geometry } from '../geometry/geometry';

/**
 * A tensor grid over a box: m[i] points per axis from lo[i] to hi[i] inclusive, last axis
 * fastest. Returns points (n*d) flat.
 */
export function boxGrid(lo: readonly number[], hi: readonly number[], m: readonly number[]): Float64Array {
  const d = lo.length;
  if (hi.length !== d || m.length !== d) throw new Error(`grid: lo, hi and resolution need ${d} entries each`);
  m.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 2)
      throw new Error(`grid: resolution of axis ${i} must be an integer >= 2, got ${k}`);
  });
  const total = m.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total * d);
  for (let idx = 0; idx < total; idx++) {
    let r = idx;
    for (let j = d - 1; j >= 0; j--) {
      out[idx * d + j] = lo[j] + ((hi[j] - lo[j]) * (r % m[j])) / (m[j] - 1);
      r = Math.floor(r / m[j]);
    }
  }
  return out;
}

/** Points of a tensor grid over the geometry's bounding box that lie inside it (default 101 per axis, 41 in 3-d and up). */
export function evaluationGrid(geometry: Geometry, resolution?: readonly number[]): Float64Array {
  const d = geometry.dim;
  const m = resolution ?? new Array<number>(d).fill(d >= 3 ? 41 : 101);
  if (m.length !== d)
    throw new Error(`reference.grid: needs ${d} resolutions (${geometry.names.join(', ')}), got ${m.length}`);
  const all = boxGrid(geometry.bbox.lo, geometry.bbox.hi, m);
  const keep: number[] = [];
  for (let k = 0; k < all.length / d; k++) {
    const p = all.subarray(k * d, (k + 1) * d);
    if (geometry.inside(p)) keep.push(...p);
  }
  return Float64Array.from(keep);
}

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
export function slicePoints(
  box: Box,
  axis: number,
  fixed: number,
  value: number,
  n: number,
): { along: Float64Array; points: Float64Array } {
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
