/**
 * Point samplers on the unit cube [0, 1)^d, seeded by an explicit `Rng`.
 * Geometries map these points into their bounding box (and reject what falls outside).
 *
 * - 'grid': a tensor grid with about n points (n^(1/d) per axis, cell centres).
 * - 'uniform': independent uniform points.
 * - 'lhs': Latin hypercube (McKay, Beckman & Conover 1979): each axis is cut into n
 *   strata and every stratum holds exactly one point.
 * - 'halton': the Halton low-discrepancy sequence (radical inverse in the first d primes),
 *   randomly shifted modulo 1 (Cranley-Patterson rotation) so the seed matters.
 */
import { check, positiveInt, type Rng } from '@aml/core';

/** Names of the samplers. */
export const SAMPLER_NAMES = ['grid', 'uniform', 'lhs', 'halton'] as const;
export type SamplerName = (typeof SAMPLER_NAMES)[number];

const PRIMES = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];

function checkCount(n: number, d: number): void {
  check(positiveInt(), n, 'sampler: number of points');
  check(positiveInt(), d, 'sampler: dimension');
}

/** Radical inverse of i in base b (van der Corput). */
export function radicalInverse(i: number, b: number): number {
  let f = 1;
  let r = 0;
  while (i > 0) {
    f /= b;
    r += f * (i % b);
    i = Math.floor(i / b);
  }
  return r;
}

/**
 * n points in [0, 1)^d as a flat row-major Float64Array (n*d).
 * For 'grid', the count is rounded to m^d with m = round(n^(1/d)).
 */
export function sampleUnitCube(name: SamplerName, n: number, d: number, rng: Rng): Float64Array {
  checkCount(n, d);
  switch (name) {
    case 'uniform': {
      const out = new Float64Array(n * d);
      for (let k = 0; k < out.length; k++) out[k] = rng.uniform();
      return out;
    }
    case 'lhs': {
      const out = new Float64Array(n * d);
      for (let j = 0; j < d; j++) {
        const perm = rng.permutation(n);
        for (let i = 0; i < n; i++) out[i * d + j] = (perm[i] + rng.uniform()) / n;
      }
      return out;
    }
    case 'halton': {
      if (d > PRIMES.length) throw new Error(`sampler 'halton' supports up to ${PRIMES.length} dimensions, got ${d}`);
      const shift = Array.from({ length: d }, () => rng.uniform());
      const out = new Float64Array(n * d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < d; j++) {
          const v = radicalInverse(i + 1, PRIMES[j]) + shift[j];
          out[i * d + j] = v - Math.floor(v);
        }
      }
      return out;
    }
    case 'grid': {
      const m = Math.max(1, Math.round(n ** (1 / d)));
      const total = m ** d;
      const out = new Float64Array(total * d);
      for (let i = 0; i < total; i++) {
        let r = i;
        for (let j = d - 1; j >= 0; j--) {
          out[i * d + j] = ((r % m) + 0.5) / m;
          r = Math.floor(r / m);
        }
      }
      return out;
    }
    default:
      throw new Error(`unknown sampler ${JSON.stringify(name)}; use one of ${SAMPLER_NAMES.join(', ')}`);
  }
}

/** Grid including the end points: m points per axis from 0 to 1 (used for evaluation grids). */
export function closedGrid(m: readonly number[]): Float64Array {
  const d = m.length;
  for (const k of m)
    if (!Number.isInteger(k) || k < 2) throw new Error(`grid resolution must be an integer >= 2 per axis, got ${k}`);
  const total = m.reduce((a, b) => a * b, 1);
  const out = new Float64Array(total * d);
  for (let i = 0; i < total; i++) {
    let r = i;
    for (let j = d - 1; j >= 0; j--) {
      out[i * d + j] = (r % m[j]) / (m[j] - 1);
      r = Math.floor(r / m[j]);
    }
  }
  return out;
}
