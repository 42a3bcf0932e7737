/**
 * Noisy observations of a reference solution, for inverse problems: points drawn uniformly in
 * the domain, values from the reference plus relative Gaussian noise noise * std(output) * N(0, 1)
 * per output (the noise model of Raissi et al. 2019), all from one seeded generator.
 */
import { check, nonNegativeNumber, positiveInt, Rng } from '@aml/core';
import type { Geometry } from '../geometry/index';

/** Settings of `observeReference`. */
export interface ObserveOptions {
  /** Number of observed points. */
  readonly count: number;
  /** Relative noise level (default 0): noise * std(output) * N(0, 1) is added to each value. */
  readonly noise?: number;
  /** Seed of the points and the noise. */
  readonly seed: number;
}

/** Observed points (rows of the d inputs) and values (rows of the m outputs). */
export interface Observations {
  readonly points: number[][];
  readonly values: number[][];
}

/**
 * Add noise * std(column) * N(0, 1) to each of the m columns of values (N, m) row-major, in place,
 * column by column with rng's normals; the standard deviation is the population one (divide by N).
 */
export function addRelativeNoise(values: Float64Array, m: number, noise: number, rng: Rng): Float64Array {
  check(nonNegativeNumber(), noise, 'observations: noise');
  const n = values.length / m;
  for (let j = 0; j < m; j++) {
    const col = Array.from({ length: n }, (_, k) => values[k * m + j]);
    const mean = col.reduce((a, b) => a + b, 0) / n;
    const std = Math.sqrt(col.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
    for (let k = 0; k < n; k++) values[k * m + j] += noise * std * rng.normal();
  }
  return values;
}

/**
 * `count` points drawn uniformly in the geometry (its `sampleInterior(count, rng, 'uniform')`),
 * the reference there (points (N, d) -> values (N, m)) and the noise, from `new Rng(seed)`.
 *
 * @example
 *   const obs = observeReference((p) => p.map((_, i) => ...), timeDomain(interval(0, 1), 0, 1), 1, { count: 500, noise: 0.01, seed: 1 });
 *   observations(obs.points, obs.values); // the condition
 */
export function observeReference(
  reference: (points: Float64Array) => Float64Array,
  geometry: Geometry,
  m: number,
  o: ObserveOptions,
): Observations {
  check(positiveInt(), o.count, 'observations: count');
  const rng = new Rng(o.seed);
  const d = geometry.dim;
  const pts = geometry.sampleInterior(o.count, rng, 'uniform');
  const vals = addRelativeNoise(reference(pts), m, o.noise ?? 0, rng);
  const points = Array.from({ length: pts.length / d }, (_, k) => Array.from(pts.subarray(k * d, (k + 1) * d)));
  const values = points.map((_, k) => Array.from(vals.subarray(k * m, (k + 1) * m)));
  return { points, values };
}
