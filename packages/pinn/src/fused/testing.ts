/**
 * Helpers shared by the fused kernel's tests and benchmark: random networks in float32
 * and float64 from a seed, and relative errors.
 */
import { Rng } from '@aml/core';
import type { FusedActivation } from './plan';
import type { ReferenceNet } from './reference';
import type { FusedNetData } from './runtime';

/** A random MLP (Glorot-normal weights, small random biases) in float32 and its exact float64 copy. */
export function randomNet(
  sizes: readonly number[],
  activation: FusedActivation,
  seed: number,
): { f32: FusedNetData; f64: ReferenceNet } {
  const rng = new Rng(seed);
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l], sizes[l + 1]];
    const std = Math.sqrt(2 / (i + o));
    weights.push(Float32Array.from({ length: i * o }, () => rng.normal() * std));
    biases.push(Float32Array.from({ length: o }, () => 0.1 * rng.normal()));
  }
  return {
    f32: { sizes, activation, weights, biases },
    f64: {
      sizes,
      activation,
      weights: weights.map((w) => Float64Array.from(w)),
      biases: biases.map((b) => Float64Array.from(b)),
    },
  };
}

/** Uniform points in [-1, 1]^d, float32 values (so float32 and float64 see the same x). */
export function randomPoints(n: number, d: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * d }, () => 2 * rng.uniform() - 1);
}

/** max |a - b| / max |b| (0 when both vanish). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`relErr: lengths differ (${a.length} vs ${b.length})`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}
