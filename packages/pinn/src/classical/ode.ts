/**
 * A reference trajectory of an ODE system y' = f(t, y), y(t0) = y0, at any set of times, by
 * @aml/core's adaptive Dormand-Prince RK45 landing exactly on each time asked for.
 */
import { rk45, type OdeRhs } from '@aml/core';

/** Settings of `odeTrajectory`. */
export interface OdeTrajectorySetup {
  /** Right-hand side f(t, y), y (m) -> (m). */
  readonly rhs: OdeRhs;
  /** State at t0 (m). */
  readonly y0: ArrayLike<number>;
  /** Start time. */
  readonly t0: number;
  /** Relative tolerance (default 1e-9). */
  readonly rtol?: number;
  /** Absolute tolerance (default rtol / 1000). */
  readonly atol?: number;
}

/**
 * y at the given times: times (N) -> (N, m) row-major. Each call integrates from t0 to the
 * latest time asked for (times must not be before t0).
 *
 * @example
 *   // Lorenz from (1, 1, 1), sigma = 10, rho = 28, beta = 8/3
 *   const y = odeTrajectory({ rhs: (_t, [x, y, z]) => [10 * (y - x), x * (28 - z) - y, x * y - (8 / 3) * z], y0: [1, 1, 1], t0: 0, rtol: 1e-10 });
 *   y(Float64Array.of(0.5, 1)); // (2, 3): x, y, z at t = 0.5 and t = 1
 */
export function odeTrajectory(s: OdeTrajectorySetup): (times: Float64Array) => Float64Array {
  const rtol = s.rtol ?? 1e-9;
  const atol = s.atol ?? rtol * 1e-3;
  const m = s.y0.length;
  return (times) => {
    const tEval = [...new Set(times)].sort((a, b) => a - b).filter((t) => t !== s.t0);
    if (tEval.length && tEval[0] < s.t0)
      throw new Error(`odeTrajectory: time ${tEval[0]} is before the start t0 = ${s.t0}`);
    const sol = tEval.length ? rk45(s.rhs, s.y0, s.t0, tEval[tEval.length - 1], { rtol, atol, tEval }) : undefined;
    const at = new Map<number, ArrayLike<number>>([[s.t0, s.y0]]);
    if (sol) sol.t.forEach((t, k) => at.set(t, sol.y[k]));
    const out = new Float64Array(times.length * m);
    for (let i = 0; i < times.length; i++) {
      const y = at.get(times[i]);
      if (!y) throw new Error(`odeTrajectory: RK45 gave no state at t = ${times[i]}`);
      for (let k = 0; k < m; k++) out[i * m + k] = y[k];
    }
    return out;
  };
}
