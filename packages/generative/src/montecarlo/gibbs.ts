/**
 * Gibbs sampling (Geman & Geman 1984): update one block of coordinates at a time from its
 * full conditional. Generic over user conditionals, plus the course's multivariate-Gaussian case.
 */
import type { Rng } from '@aml/core';
import { nonNegativeInt, positiveInt } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from './metropolis';

/**
 * One Gibbs update: resample some coordinates of `x` in place from p(x_block | x_rest).
 *
 * Worked example, a bivariate normal with correlation r (x_0 | x_1 ~ N(r x_1, 1 - r^2)):
 *   const r = 0.8;
 *   const conds: GibbsConditional[] = [
 *     (x, rng) => { x[0] = rng.normal(r * x[1], Math.sqrt(1 - r * r)); },
 *     (x, rng) => { x[1] = rng.normal(r * x[0], Math.sqrt(1 - r * r)); },
 *   ];
 */
export type GibbsConditional = (x: Float64Array, rng: Rng) => void;

/** Settings of a Gibbs chain. */
export interface GibbsConfig {
  /** Samples to store, >= 1. */
  readonly nSamples: number;
  /** Full sweeps discarded first (default 100). */
  readonly burnIn?: number;
  /** Full sweeps between stored samples (default 1). */
  readonly thin?: number;
}

const schema = z.strictObject({
  nSamples: positiveInt('nSamples'),
  burnIn: nonNegativeInt('burnIn').default(100),
  thin: positiveInt('thin').default(1),
});

/**
 * Run systematic-scan Gibbs: each sweep applies every conditional once, in order.
 * @returns samples row-major, shape (nSamples, d) with d = x0.length.
 */
export function gibbs(
  conditionals: readonly GibbsConditional[],
  x0: ArrayLike<number>,
  config: GibbsConfig,
  rng: Rng,
): Float64Array {
  const c = parseConfig(schema, config, 'gibbs');
  if (conditionals.length === 0) throw new Error('gibbs: give at least one conditional');
  const d = x0.length;
  const x = Float64Array.from(x0);
  const out = new Float64Array(c.nSamples * d);
  const sweep = () => {
    for (const f of conditionals) f(x, rng);
  };
  for (let t = 0; t < c.burnIn; t++) sweep();
  for (let n = 0; n < c.nSamples; n++) {
    for (let t = 0; t < c.thin; t++) sweep();
    out.set(x, n * d);
  }
  return out;
}

/** Inverse of a small symmetric positive-definite matrix (Gauss-Jordan), row-major (d, d). */
function invert(a: ArrayLike<number>, d: number): Float64Array {
  const m = Float64Array.from(a);
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(m[r * d + col]) > Math.abs(m[piv * d + col])) piv = r;
    const p = m[piv * d + col];
    if (Math.abs(p) < 1e-14) throw new Error('gaussianGibbs: covariance is singular; give a positive-definite matrix');
    for (let k = 0; k < d; k++) {
      [m[col * d + k], m[piv * d + k]] = [m[piv * d + k], m[col * d + k]];
      [inv[col * d + k], inv[piv * d + k]] = [inv[piv * d + k], inv[col * d + k]];
    }
    for (let k = 0; k < d; k++) {
      m[col * d + k] /= p;
      inv[col * d + k] /= p;
    }
    for (let r = 0; r < d; r++) {
      if (r === col) continue;
      const f = m[r * d + col];
      for (let k = 0; k < d; k++) {
        m[r * d + k] -= f * m[col * d + k];
        inv[r * d + k] -= f * inv[col * d + k];
      }
    }
  }
  return inv;
}

/**
 * Single-site conditionals of N(mean, cov): with precision P = cov^-1,
 * x_i | x_-i ~ N(mean_i - (1/P_ii) sum_{j != i} P_ij (x_j - mean_j), 1/P_ii)
 * (the Schur-complement form N(a + C B^-1 (g - b), A - C B^-1 C^T) of the course, for 1x1 blocks).
 * @param mean shape (d); @param cov row-major (d, d), symmetric positive-definite.
 */
export function gaussianConditionals(mean: ArrayLike<number>, cov: ArrayLike<number>): GibbsConditional[] {
  const d = mean.length;
  if (cov.length !== d * d)
    throw new Error(`gaussianConditionals: cov has ${cov.length} entries, expected d*d = ${d * d}`);
  const P = invert(cov, d);
  const out: GibbsConditional[] = [];
  for (let i = 0; i < d; i++) {
    const pii = P[i * d + i];
    out.push((x, rng) => {
      let s = 0;
      for (let j = 0; j < d; j++) if (j !== i) s += P[i * d + j] * (x[j] - mean[j]);
      x[i] = rng.normal(mean[i] - s / pii, Math.sqrt(1 / pii));
    });
  }
  return out;
}
