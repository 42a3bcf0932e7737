/**
 * Replacing the residual (collocation) points during training: a fresh uniform draw (DeepXDE's
 * PDEPointResampler, jaxpi's new batch per step) or residual-based adaptive distribution sampling
 * (RAD, Wu et al. 2023; see `sampling/rad.ts`).
 */
import { check, positiveInt, tf, type Rng } from '@aml/core';
import { radProbabilities, sampleWithoutReplacement } from '../sampling/rad';
import { chunkSizes } from './causal';
import { pointsTensor } from '../solver/fields';
import { equationResiduals, type TrainingPoints } from '../solver/loss';
import type { PinnModel } from '../solver/model';

/** Resampling settings. */
export interface ResampleConfig {
  /** Replace the residual points every this many Adam steps (1: a fresh set every step, as jaxpi). */
  readonly every: number;
  /** 'uniform' random points, or 'rad' drawn from p ∝ |r|^k / mean|r|^k + c (default 'uniform'). */
  readonly method?: 'uniform' | 'rad';
  /** RAD: random candidates scored (default 10 x the residual points). */
  readonly candidates?: number;
  /** RAD exponent k (default 1). */
  readonly k?: number;
  /** RAD uniform floor c (default 1). */
  readonly c?: number;
}

/** Check a resampling config; errors name the field. */
export function checkResampleConfig(r: ResampleConfig): void {
  check(positiveInt(), r.every, 'solver: resample.every');
  if (r.method !== undefined && r.method !== 'uniform' && r.method !== 'rad')
    throw new Error(`solver: resample.method must be 'uniform' or 'rad', got ${JSON.stringify(r.method)}`);
  check(positiveInt().optional(), r.candidates, 'solver: resample.candidates');
  for (const k of ['k', 'c'] as const) {
    const v = r[k];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0))
      throw new Error(`solver: resample.${k} must be a finite number >= 0, got ${v}`);
  }
}

/** |residual| summed over equations and components at each of the points (n*d), in batches. */
export function absResiduals(model: PinnModel, points: Float64Array): Float32Array {
  const d = model.problem.geometry.dim;
  const n = points.length / d;
  const out = new Float32Array(n);
  const batch = 8192;
  for (let s = 0; s < n; s += batch) {
    const m = Math.min(batch, n - s);
    const v = tf.tidy(() => {
      const x = pointsTensor(points.subarray(s * d, (s + m) * d), d); // (m, d)
      return equationResiduals(model, x)
        .flat()
        .map((r) => tf.abs(r))
        .reduce((a, b) => tf.add(a, b))
        .dataSync(); // (m)
    });
    out.set(v, s);
  }
  return out;
}

/** The causal weights of a run, with the time axis and the time-sorted points they belong to. */
export interface CausalContext {
  /** Index of time among the inputs. */
  readonly axis: number;
  /** Causal weight per time chunk (M). */
  readonly weights: ArrayLike<number>;
  /** Times of the current residual points, ascending (N): chunk i starts at the i-th quantile block. */
  readonly sortedTimes: ArrayLike<number>;
}

/**
 * Scale |r| at points (n*d) by the causal weight of the time chunk each falls in, so RAD does not
 * crowd late times before the early ones have converged (Wang et al. 2022; Wu et al. 2023 advise it).
 */
export function causallyWeighted(absR: Float32Array, points: Float64Array, d: number, c: CausalContext): Float32Array {
  const m = c.weights.length;
  const sizes = chunkSizes(c.sortedTimes.length, m);
  const starts: number[] = []; // time where chunk i begins (i >= 1)
  let k = 0;
  for (let i = 0; i < m; i++) {
    if (i > 0) starts.push(c.sortedTimes[k]);
    k += sizes[i];
  }
  return absR.map((r, j) => {
    const t = points[j * d + c.axis];
    let i = 0;
    while (i < starts.length && t >= starts[i]) i++;
    return r * c.weights[i];
  });
}

/**
 * Draw a new residual point set of the current size and swap it in (the old tensor is disposed).
 * With `causal`, RAD scores |r| times the causal weight of each candidate's time chunk.
 * @returns the new point count
 */
export function resampleCollocation(
  model: PinnModel,
  points: TrainingPoints,
  config: ResampleConfig,
  rng: Rng,
  causal?: CausalContext,
): number {
  const geometry = model.problem.geometry;
  const d = geometry.dim;
  const n = points.collocation.shape[0];
  let fresh: Float64Array;
  if ((config.method ?? 'uniform') === 'uniform') {
    fresh = geometry.sampleInterior(n, rng, 'uniform');
  } else {
    const cand = geometry.sampleInterior(config.candidates ?? 10 * n, rng, 'uniform');
    const absR = absResiduals(model, cand);
    const p = radProbabilities(causal ? causallyWeighted(absR, cand, d, causal) : absR, config.k ?? 1, config.c ?? 1);
    const picked = sampleWithoutReplacement(p, n, rng);
    fresh = new Float64Array(n * d);
    picked.forEach((k, i) => fresh.set(cand.subarray(k * d, (k + 1) * d), i * d));
  }
  const old = points.collocation;
  points.collocation = pointsTensor(fresh, d);
  old.dispose();
  return n;
}
