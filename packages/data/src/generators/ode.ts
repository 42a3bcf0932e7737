import { type OdeSolution, type Rng, rk4 } from '@aml/core';

/**
 * Trajectories of classical ODE systems, integrated with fixed-step RK4 from @aml/core: the data of the
 * course's ODE-learning experiments (fit a network or a neural ODE to an oscillator or to Lorenz).
 */

/** Settings of the damped, driven harmonic oscillator x'' + 2 gamma x' + omega0^2 x = F cos(omega t). */
export interface OscillatorConfig {
  /** Natural angular frequency omega0 > 0 (default 1). */
  readonly omega0?: number;
  /** Damping rate gamma >= 0 (default 0.1). */
  readonly gamma?: number;
  /** Drive amplitude F (default 0: free oscillation). */
  readonly driveAmplitude?: number;
  /** Drive angular frequency omega (default 1). */
  readonly driveFrequency?: number;
  /** Initial position (default 1). */
  readonly x0?: number;
  /** Initial velocity (default 0). */
  readonly v0?: number;
  /** End time (start is 0; default 20). */
  readonly t1?: number;
  /** RK4 steps (default 2000); the trajectory has steps + 1 points. */
  readonly steps?: number;
  /** Standard deviation of Gaussian noise added to the observed x (default 0; needs `rng`). */
  readonly noise?: number;
}

/** A sampled oscillator trajectory. */
export interface OscillatorTrajectory {
  /** Times, length T = steps + 1. */
  readonly t: Float64Array;
  /** Positions (noisy if `noise` > 0), length T. */
  readonly x: Float64Array;
  /** Velocities (noise-free), length T. */
  readonly v: Float64Array;
}

function positive(name: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0))
    throw new Error(`${name} must be ${allowZero ? '>= 0' : '> 0'}, got ${v}`);
}

/**
 * Integrate the damped driven oscillator as the first-order system (x, v)' = (v, F cos(omega t) - 2 gamma v - omega0^2 x).
 *
 * @example
 *   const { t, x } = dampedOscillator({ gamma: 0.05, t1: 30, steps: 3000 });
 */
export function dampedOscillator(c: OscillatorConfig = {}, rng?: Rng): OscillatorTrajectory {
  const w0 = c.omega0 ?? 1;
  const g = c.gamma ?? 0.1;
  const F = c.driveAmplitude ?? 0;
  const w = c.driveFrequency ?? 1;
  const noise = c.noise ?? 0;
  positive('omega0', w0);
  positive('gamma', g, true);
  positive('noise', noise, true);
  if (noise > 0 && !rng) throw new Error('dampedOscillator: noise > 0 needs an rng (pass new Rng(seed))');
  const sol = rk4(
    (t, y) => [y[1], F * Math.cos(w * t) - 2 * g * y[1] - w0 * w0 * y[0]],
    [c.x0 ?? 1, c.v0 ?? 0],
    0,
    c.t1 ?? 20,
    c.steps ?? 2000,
  );
  const x = Float64Array.from(sol.y, (y) => y[0] + (noise > 0 ? rng!.normal(0, noise) : 0));
  return { t: sol.t, x, v: Float64Array.from(sol.y, (y) => y[1]) };
}

/**
 * The exact free (F = 0) under-damped solution, the oracle for the generator:
 * x(t) = e^{-gamma t} (x0 cos(wd t) + (v0 + gamma x0) / wd sin(wd t)), wd = sqrt(omega0^2 - gamma^2).
 */
export function oscillatorExact(t: number, omega0: number, gamma: number, x0: number, v0: number): number {
  if (gamma >= omega0)
    throw new Error(
      `oscillatorExact covers the under-damped case gamma < omega0, got gamma=${gamma}, omega0=${omega0}`,
    );
  const wd = Math.sqrt(omega0 * omega0 - gamma * gamma);
  return Math.exp(-gamma * t) * (x0 * Math.cos(wd * t) + ((v0 + gamma * x0) / wd) * Math.sin(wd * t));
}

/** Settings of the Lorenz system x' = sigma (y - x), y' = x (rho - z) - y, z' = x y - beta z. */
export interface LorenzConfig {
  /** sigma (default 10). */
  readonly sigma?: number;
  /** rho (default 28: the chaotic regime). */
  readonly rho?: number;
  /** beta (default 8/3). */
  readonly beta?: number;
  /** Initial state [x, y, z] (default [1, 1, 1]). */
  readonly y0?: readonly [number, number, number];
  /** End time (default 10). */
  readonly t1?: number;
  /** RK4 steps (default 10,000: dt = 1e-3, well inside RK4's stability and accuracy for this system). */
  readonly steps?: number;
}

/** Right-hand side of the Lorenz system (exported for tests and for neural-ODE targets). */
export function lorenzRhs(sigma = 10, rho = 28, beta = 8 / 3) {
  return (_t: number, s: Float64Array): number[] => [
    sigma * (s[1] - s[0]),
    s[0] * (rho - s[2]) - s[1],
    s[0] * s[1] - beta * s[2],
  ];
}

/** A Lorenz trajectory: times (T) and states (T, 3) row-major. */
export interface LorenzTrajectory {
  readonly t: Float64Array;
  /** Row-major (T, 3): x, y, z per time. */
  readonly states: Float64Array;
}

/**
 * Integrate the Lorenz system (Lorenz 1963) with RK4.
 *
 * @example
 *   const { t, states } = lorenz({ t1: 20, steps: 20_000 });   // states (20001, 3)
 */
export function lorenz(c: LorenzConfig = {}): LorenzTrajectory {
  const sol: OdeSolution = rk4(lorenzRhs(c.sigma, c.rho, c.beta), c.y0 ?? [1, 1, 1], 0, c.t1 ?? 10, c.steps ?? 10_000);
  const states = new Float64Array(sol.y.length * 3);
  sol.y.forEach((y, k) => states.set(y, 3 * k));
  return { t: sol.t, states };
}
