/**
 * The method of lines for a 1D evolution equation u_t = F(x, u, u_x, u_xx): centred second-order
 * differences on a uniform grid turn it into an ODE system, integrated by @aml/core's adaptive
 * Dormand-Prince RK45 (Schiesser 1991, "The Numerical Method of Lines"). Boundaries: periodic, or
 * Dirichlet values at both ends. The solution is computed lazily at the times asked for and cached.
 */
import { rk45 } from '@aml/core';

/** A solution u(x, t) on points: rows (x, t) of a (N, 2) row-major array -> (N) values. */
export type SpaceTimeField = (points: Float64Array) => Float64Array;

/** Settings of `methodOfLines`. */
export interface MethodOfLinesSetup {
  /** F on the unknown nodes: x, u, u_x, u_xx, each (n) -> (n). */
  readonly rhs: (x: Float64Array, u: Float64Array, ux: Float64Array, uxx: Float64Array) => Float64Array;
  /** u(x, t0) on nodes (n) -> (n). */
  readonly initial: (x: Float64Array) => Float64Array;
  /** Space interval [a, b]. */
  readonly interval: readonly [number, number];
  /** Start time. */
  readonly t0: number;
  /** 'periodic' (u(a) = u(b)), or fixed values at a and b. */
  readonly boundary: 'periodic' | { readonly dirichlet: readonly [number, number] };
  /** Cells of the grid (nx + 1 nodes, ends included). */
  readonly nx: number;
  /** Relative tolerance of RK45 (absolute tolerance rtol / 100; default 1e-8). */
  readonly rtol?: number;
}

/** Sorted distinct values of column j of a (N, d) row-major array. */
export function distinctColumn(points: Float64Array, d: number, j: number): number[] {
  const s = new Set<number>();
  for (let i = j; i < points.length; i += d) s.add(points[i]);
  return [...s].sort((a, b) => a - b);
}

/**
 * Solve by the method of lines; values between nodes are interpolated linearly in x.
 *
 * @example
 *   // heat u_t = u_xx on [0, 1], u = 0 at both ends
 *   const u = methodOfLines({ rhs: (_x, _u, _ux, uxx) => uxx, initial: (x) => x.map((v) => Math.sin(Math.PI * v)),
 *     interval: [0, 1], t0: 0, boundary: { dirichlet: [0, 0] }, nx: 64 });
 *   u(Float64Array.of(0.5, 0.1)); // [exp(-pi^2 / 10)] to ~2e-4
 */
export function methodOfLines(s: MethodOfLinesSetup): SpaceTimeField {
  const [a, b] = s.interval;
  if (!(b > a)) throw new Error(`methodOfLines: interval [${a}, ${b}] is empty`);
  if (!Number.isInteger(s.nx) || s.nx < 2) throw new Error(`methodOfLines: nx must be an integer >= 2, got ${s.nx}`);
  const nx = s.nx;
  const rtol = s.rtol ?? 1e-8;
  const h = (b - a) / nx;
  const periodic = s.boundary === 'periodic';
  // Unknowns: periodic -> x_0..x_{nx-1} (x_nx = x_0); Dirichlet -> interior x_1..x_{nx-1}.
  const xs = Float64Array.from({ length: nx + 1 }, (_, i) => a + i * h);
  const ends = periodic ? undefined : (s.boundary as { dirichlet: readonly [number, number] }).dirichlet;
  const full = (y: Float64Array): Float64Array => {
    const v = new Float64Array(nx + 1);
    if (periodic) {
      v.set(y);
      v[nx] = y[0];
    } else {
      v.set(y, 1);
      [v[0], v[nx]] = ends!;
    }
    return v;
  };
  const n = periodic ? nx : nx - 1;
  const off = periodic ? 0 : 1;
  const xIn = xs.slice(off, off + n);
  const f = (_t: number, y: Float64Array) => {
    const v = full(y);
    const ux = new Float64Array(n);
    const uxx = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const i = k + off;
      const left = i === 0 ? v[nx - 1] : v[i - 1]; // periodic wrap at i = 0
      const right = v[i + 1];
      ux[k] = (right - left) / (2 * h);
      uxx[k] = (right - 2 * v[i] + left) / (h * h);
    }
    return s.rhs(xIn, y, ux, uxx);
  };
  const y0 = s.initial(xIn);
  const cache = new Map<number, Float64Array>([[s.t0, full(y0)]]);
  return (points) => {
    const need = distinctColumn(points, 2, 1).filter((t) => !cache.has(t));
    if (need.length) {
      const tMax = need[need.length - 1];
      const sol = rk45(f, y0, s.t0, tMax, { rtol, atol: rtol * 1e-2, tEval: need, maxStep: (tMax - s.t0) / 20 });
      sol.t.forEach((t, k) => cache.set(t, full(sol.y[k])));
    }
    const out = new Float64Array(points.length / 2);
    for (let i = 0; i < out.length; i++) {
      const v = cache.get(points[2 * i + 1])!;
      // Linear interpolation in x on the fine grid.
      const j = Math.min(nx - 1, Math.max(0, Math.floor((points[2 * i] - a) / h)));
      const w = (points[2 * i] - xs[j]) / h;
      out[i] = (1 - w) * v[j] + w * v[j + 1];
    }
    return out;
  };
}
