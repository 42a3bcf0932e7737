/**
 * ODE integrators on plain Float64Array (no tfjs): the classical references for the
 * PINN solvers and the data generators.
 *
 * - `rk4`: classical fourth-order Runge-Kutta with a fixed step.
 * - `rk45`: Dormand-Prince 5(4) with adaptive steps (Dormand & Prince 1980; the
 *   scheme of MATLAB's ode45 and SciPy's RK45), error per component scaled by
 *   atol + rtol * |y|, local extrapolation (the 5th-order solution is kept).
 */

import { check, nonNegativeNumber, positiveInt, positiveNumber } from '../validation/atoms';

/** Right-hand side dy/dt = f(t, y); writes nothing into y. Returns a new array (length of y). */
export type OdeRhs = (t: number, y: Float64Array) => Float64Array | number[];

/** A trajectory: times (T) and states (T rows of length n). */
export interface OdeSolution {
  /** Times, increasing (or decreasing when t1 < t0). */
  readonly t: Float64Array;
  /** y[k] is the state at t[k]. */
  readonly y: Float64Array[];
}

function checkInputs(name: string, y0: ArrayLike<number>, t0: number, t1: number): void {
  if (y0.length === 0) throw new Error(`${name}: y0 is empty; give the initial state as a non-empty array`);
  if (!Number.isFinite(t0) || !Number.isFinite(t1))
    throw new Error(`${name}: t0 and t1 must be finite, got ${t0}, ${t1}`);
}

function evalRhs(f: OdeRhs, t: number, y: Float64Array, n: number): Float64Array {
  const r = f(t, y);
  if (r.length !== n) throw new Error(`ODE right-hand side returned ${r.length} values for a state of length ${n}`);
  return r instanceof Float64Array ? r : Float64Array.from(r);
}

/** y + h * sum_i c_i k_i (the Runge-Kutta stage combination). */
function combine(y: Float64Array, h: number, ks: Float64Array[], cs: readonly number[]): Float64Array {
  const out = new Float64Array(y.length);
  for (let j = 0; j < y.length; j++) {
    let s = 0;
    for (let i = 0; i < ks.length; i++) if (cs[i] !== 0) s += cs[i] * ks[i][j];
    out[j] = y[j] + h * s;
  }
  return out;
}

/**
 * Classical RK4 from t0 to t1 in `steps` equal steps; global error O(h^4).
 *
 * @example
 *   const sol = rk4((t, y) => [-y[0]], [1], 0, 1, 100); // y(1) ≈ e^-1
 */
export function rk4(f: OdeRhs, y0: ArrayLike<number>, t0: number, t1: number, steps: number): OdeSolution {
  checkInputs('rk4', y0, t0, t1);
  check(positiveInt(), steps, 'rk4: steps');
  const n = y0.length;
  const h = (t1 - t0) / steps;
  const ts = new Float64Array(steps + 1);
  const ys: Float64Array[] = [Float64Array.from(y0)];
  ts[0] = t0;
  let y: Float64Array = ys[0];
  for (let s = 0; s < steps; s++) {
    const t = t0 + s * h;
    const k1 = evalRhs(f, t, y, n);
    const k2 = evalRhs(f, t + h / 2, combine(y, h, [k1], [0.5]), n);
    const k3 = evalRhs(f, t + h / 2, combine(y, h, [k2], [0.5]), n);
    const k4 = evalRhs(f, t + h, combine(y, h, [k3], [1]), n);
    y = combine(y, h, [k1, k2, k3, k4], [1 / 6, 1 / 3, 1 / 3, 1 / 6]);
    ts[s + 1] = s + 1 === steps ? t1 : t0 + (s + 1) * h;
    ys.push(y);
  }
  return { t: ts, y: ys };
}

/** Options of the adaptive Dormand-Prince integrator. */
export interface Rk45Options {
  /** Relative tolerance per component (default 1e-6). */
  readonly rtol?: number;
  /** Absolute tolerance per component (default 1e-9). */
  readonly atol?: number;
  /** First trial step (default: (t1 - t0) / 100). */
  readonly h0?: number;
  /** Largest step size (default: |t1 - t0|). */
  readonly maxStep?: number;
  /** Give up after this many attempted steps (default 1e6). */
  readonly maxSteps?: number;
  /** Also return the state at these times (dense output by a step that lands on them). */
  readonly tEval?: readonly number[];
}

/** Result of rk45: the accepted steps (or the tEval times) and counts. */
export interface Rk45Solution extends OdeSolution {
  /** Accepted and rejected steps. */
  readonly accepted: number;
  readonly rejected: number;
  /** Right-hand-side evaluations. */
  readonly evaluations: number;
}

// Dormand-Prince tableau.
const C = [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1];
const A: number[][] = [
  [],
  [1 / 5],
  [3 / 40, 9 / 40],
  [44 / 45, -56 / 15, 32 / 9],
  [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
  [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
];
/** 5th-order weights (= last row of A: first same as last). */
const B5 = [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0];
/** 4th-order embedded weights. */
const B4 = [5179 / 57600, 0, 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40];

/**
 * Adaptive Dormand-Prince RK5(4) from t0 to t1. A step is accepted when the scaled
 * RMS error norm sqrt(mean((e_i / (atol + rtol max(|y_i|, |y_new,i|)))^2)) <= 1; the
 * next step is h * clamp(0.9 * err^(-1/5), 0.2, 5).
 *
 * @example
 *   const sol = rk45((t, y) => [y[1], -y[0]], [0, 1], 0, 10, { rtol: 1e-8, atol: 1e-10 });
 */
export function rk45(f: OdeRhs, y0: ArrayLike<number>, t0: number, t1: number, opts: Rk45Options = {}): Rk45Solution {
  checkInputs('rk45', y0, t0, t1);
  const rtol = opts.rtol ?? 1e-6;
  const atol = opts.atol ?? 1e-9;
  check(positiveNumber(), rtol, 'rk45: rtol');
  check(nonNegativeNumber(), atol, 'rk45: atol');
  const n = y0.length;
  const dir = t1 >= t0 ? 1 : -1;
  const span = Math.abs(t1 - t0);
  const maxStep = opts.maxStep ?? span;
  const maxSteps = opts.maxSteps ?? 1_000_000;
  const tEval = opts.tEval ? [...opts.tEval].sort((a, b) => dir * (a - b)) : undefined;
  if (tEval) {
    for (const te of tEval) {
      if (dir * (te - t0) < 0 || dir * (te - t1) > 0)
        throw new Error(`rk45: tEval time ${te} lies outside [${t0}, ${t1}]`);
    }
  }
  let h = Math.min(opts.h0 ?? span / 100, maxStep);
  let t = t0;
  let y: Float64Array = Float64Array.from(y0);
  let k1 = evalRhs(f, t, y, n);
  let evaluations = 1;
  let accepted = 0;
  let rejected = 0;
  const ts: number[] = [];
  const ys: Float64Array[] = [];
  let evalIdx = 0;
  if (!tEval) {
    ts.push(t);
    ys.push(y);
  } else {
    while (evalIdx < tEval.length && tEval[evalIdx] === t0) {
      ts.push(t0);
      ys.push(y);
      evalIdx++;
    }
  }
  while (dir * (t1 - t) > 0) {
    if (accepted + rejected >= maxSteps)
      throw new Error(`rk45: gave up after ${maxSteps} steps at t=${t}; loosen rtol/atol or raise maxSteps`);
    // Land exactly on the next tEval time or on t1.
    let target = t1;
    if (tEval && evalIdx < tEval.length) target = tEval[evalIdx];
    // Land when the rest is within rounding of one step, so no sliver step is left.
    const remaining = Math.abs(target - t);
    const landing = h >= remaining - 1e-12 * span;
    const hTry = landing ? remaining : h;
    const hs = dir * hTry;
    const ks: Float64Array[] = [k1];
    for (let s = 1; s < 7; s++) {
      ks.push(evalRhs(f, t + C[s] * hs, combine(y, hs, ks, A[s]), n));
    }
    evaluations += 6;
    const y5 = combine(y, hs, ks.slice(0, 6), B5);
    let errSq = 0;
    for (let j = 0; j < n; j++) {
      let e = 0;
      for (let s = 0; s < 7; s++) e += (B5[s] - B4[s]) * ks[s][j];
      e *= hs;
      const sc = atol + rtol * Math.max(Math.abs(y[j]), Math.abs(y5[j]));
      errSq += (e / sc) ** 2;
    }
    const err = Math.sqrt(errSq / n);
    if (!Number.isFinite(err)) throw new Error(`rk45: the solution became non-finite at t=${t}`);
    const factor = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
    if (err <= 1) {
      t = landing ? target : t + hs;
      y = y5;
      k1 = ks[6];
      accepted++;
      if (!tEval) {
        ts.push(t);
        ys.push(y);
      } else {
        while (evalIdx < tEval.length && tEval[evalIdx] === t) {
          ts.push(t);
          ys.push(y);
          evalIdx++;
        }
      }
      // A step shortened to land on an output time must not shrink the nominal step.
      h = Math.min(maxStep, landing ? Math.max(hTry * factor, h) : hTry * factor);
    } else {
      rejected++;
      h = hTry * factor;
      if (h < 1e-14 * Math.max(1, Math.abs(t)))
        throw new Error(`rk45: step size underflow at t=${t}; the problem may be stiff`);
    }
  }
  return { t: Float64Array.from(ts), y: ys, accepted, rejected, evaluations };
}
