/**
 * Noisy observations of a reference solution, for inverse problems: points drawn uniformly in the
 * domain's box, values from the reference plus relative Gaussian noise noise * std(output) * N(0, 1)
 * (the noise model of Raissi et al. 2019), seeded.
 */
import { Rng } from '@aml/core';
import type { Box } from '../report/grid';
import type { ReferenceFn } from './reference';

/** Observation settings. */
export interface ObserveSpec {
  readonly count: number;
  readonly noise: number;
  readonly seed: number;
}

/** `count` observed points (rows of d) and values (rows of m). */
export function observationsFrom(reference: ReferenceFn, ctx: { readonly inputs: readonly string[]; readonly outputs: readonly string[]; readonly box: Box }, o: ObserveSpec): { points: number[][]; values: number[][] } {
  const rng = new Rng(o.seed);
  const d = ctx.inputs.length;
  const m = ctx.outputs.length;
  const flat = new Float64Array(o.count * d);
  for (let i = 0; i < o.count; i++) for (let j = 0; j < d; j++) flat[i * d + j] = ctx.box.lo[j] + (ctx.box.hi[j] - ctx.box.lo[j]) * rng.uniform();
  const vals = reference(flat);
  for (let j = 0; j < m; j++) {
    let mean = 0;
    for (let i = 0; i < o.count; i++) mean += vals[i * m + j] / o.count;
    let sd = 0;
    for (let i = 0; i < o.count; i++) sd += (vals[i * m + j] - mean) ** 2 / o.count;
    sd = Math.sqrt(sd);
    for (let i = 0; i < o.count; i++) vals[i * m + j] += o.noise * sd * rng.normal();
  }
  const points = Array.from({ length: o.count }, (_, i) => Array.from(flat.subarray(i * d, (i + 1) * d)));
  const values = Array.from({ length: o.count }, (_, i) => Array.from(vals.subarray(i * m, (i + 1) * m)));
  return { points, values };
}
