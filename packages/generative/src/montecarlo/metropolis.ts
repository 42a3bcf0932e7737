/**
 * Metropolis-Hastings for a generic target given by its log-density (up to a constant)
 * (Metropolis et al. 1953; Hastings 1970). Plain Float64Array states, no tfjs: cheap
 * per-step work where a tensor op would cost more in dispatch than in arithmetic.
 */
import type { Rng } from '@aml/core';
import { nonNegativeInt, positiveInt, positiveNumber } from '@aml/core';
import { z } from 'zod';

/**
 * A proposal x -> x'. Writes the candidate into `out` and returns the Hastings correction
 * log q(x | x') - log q(x' | x) (0 for a symmetric proposal).
 *
 * Worked example, an independence proposal from N(0, s^2) (not symmetric, so it returns the correction):
 *   const s = 2;
 *   const indep: Proposal = {
 *     propose(x, rng, out) {
 *       let c = 0;
 *       for (let i = 0; i < x.length; i++) { out[i] = rng.normal(0, s); c += (out[i] ** 2 - x[i] ** 2) / (2 * s * s); }
 *       return c; // log N(x; 0, s) - log N(x'; 0, s)
 *     },
 *   };
 */
export interface Proposal {
  propose(x: Float64Array, rng: Rng, out: Float64Array): number;
}

/** Gaussian random walk x' = x + stepSize * N(0, I) (symmetric: correction 0). */
export function randomWalk(stepSize: number | ArrayLike<number>): Proposal {
  return {
    propose(x, rng, out) {
      for (let i = 0; i < x.length; i++) {
        const s = typeof stepSize === 'number' ? stepSize : stepSize[i];
        out[i] = x[i] + s * rng.normal();
      }
      return 0;
    },
  };
}

/** Settings of a Metropolis-Hastings chain. */
export interface MetropolisConfig {
  /** Samples to store, >= 1. */
  readonly nSamples: number;
  /** Steps discarded before the first stored sample (thermalisation, default 1000). */
  readonly burnIn?: number;
  /** Steps between stored samples (thinning, default 1). */
  readonly thin?: number;
  /** Random-walk step size, used when no `proposal` is given (default 1). */
  readonly stepSize?: number;
}

const configSchema = z.strictObject({
  nSamples: positiveInt('nSamples'),
  burnIn: nonNegativeInt('burnIn').default(1000),
  thin: positiveInt('thin').default(1),
  stepSize: positiveNumber('stepSize').default(1),
});

/** Validate a config with zod, throwing an error that names the field. */
export function parseConfig<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`invalid ${what} config:\n${z.prettifyError(r.error)}`);
  return r.data;
}

/** A chain from `metropolis`. */
export interface Chain {
  /** Stored states, row-major, shape (n, d). */
  readonly samples: Float64Array;
  readonly n: number;
  readonly d: number;
  /** log-density of each stored state, shape (n). */
  readonly logDensity: Float64Array;
  /** Accepted fraction of all proposals (burn-in included). */
  readonly acceptance: number;
}

/**
 * Run Metropolis-Hastings on `logDensity` from `x0`.
 *
 * @param logDensity  log p(x) up to an additive constant; x has shape (d).
 * @param x0          starting state, shape (d); must have finite log-density.
 * @example
 *   // standard normal in 1D
 *   const c = metropolis((x) => -0.5 * x[0] * x[0], [0], { nSamples: 10000, stepSize: 2.4 }, new Rng(1));
 */
export function metropolis(
  logDensity: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  config: MetropolisConfig,
  rng: Rng,
  proposal?: Proposal,
): Chain {
  const c = parseConfig(configSchema, config, 'metropolis');
  const d = x0.length;
  const q = proposal ?? randomWalk(c.stepSize);
  let x = Float64Array.from(x0);
  let y = new Float64Array(d);
  let lp = logDensity(x);
  if (!Number.isFinite(lp)) throw new Error(`metropolis: x0 has log-density ${lp}; start where the target is positive`);
  const samples = new Float64Array(c.nSamples * d);
  const logs = new Float64Array(c.nSamples);
  let accepted = 0;
  const total = c.burnIn + c.nSamples * c.thin;
  let stored = 0;
  for (let t = 1; t <= total; t++) {
    const corr = q.propose(x, rng, y);
    const lpy = logDensity(y);
    const logA = lpy - lp + corr;
    if (logA >= 0 || Math.log(rng.uniform()) < logA) {
      [x, y] = [y, x];
      lp = lpy;
      accepted++;
    }
    if (t > c.burnIn && (t - c.burnIn) % c.thin === 0) {
      samples.set(x, stored * d);
      logs[stored++] = lp;
    }
  }
  return { samples, n: c.nSamples, d, logDensity: logs, acceptance: accepted / total };
}
