/**
 * DDPM noise schedules (Ho et al. 2020): linear beta_t from 1e-4 to 0.02, and the cosine schedule
 * of Nichol & Dhariwal 2021, alpha_bar(t) = f(t)/f(0), f(t) = cos^2(((t/T) + s)/(1 + s) * pi/2).
 * Index t = 0..T-1 here is step t+1 of the papers.
 */
import { nonNegativeNumber, positiveInt } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';

/** Schedule settings. */
export type ScheduleConfig =
  | {
      /** Linear betas from betaStart to betaEnd. */
      readonly kind: 'linear';
      /** Number of diffusion steps T >= 1. */
      readonly T: number;
      /** First beta, in (0, 1) (default 1e-4). */
      readonly betaStart?: number;
      /** Last beta, in (0, 1) (default 0.02). */
      readonly betaEnd?: number;
    }
  | {
      /** Cosine alpha_bar; betas are capped at maxBeta. */
      readonly kind: 'cosine';
      readonly T: number;
      /** Offset s (default 0.008). */
      readonly s?: number;
      /** Cap on beta, in (0, 1) (default 0.999). */
      readonly maxBeta?: number;
    }
  | {
      /** User-given betas, each in (0, 1). */
      readonly kind: 'custom';
      readonly betas: readonly number[];
    };

const unit = (f: string) => z.number().gt(0, `${f} must be in (0, 1)`).lt(1, `${f} must be in (0, 1)`);
const T = positiveInt('T');
const schema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('linear'),
    T,
    betaStart: unit('betaStart').default(1e-4),
    betaEnd: unit('betaEnd').default(0.02),
  }),
  z.strictObject({
    kind: z.literal('cosine'),
    T,
    s: nonNegativeNumber('s').default(0.008),
    maxBeta: unit('maxBeta').default(0.999),
  }),
  z.strictObject({ kind: z.literal('custom'), betas: z.array(unit('every beta')).min(1, 'betas must not be empty') }),
]);

/** Precomputed schedule arrays, each of length T. */
export interface NoiseSchedule {
  readonly T: number;
  /** beta_t, the variance added at step t. */
  readonly betas: Float64Array;
  /** alpha_t = 1 - beta_t. */
  readonly alphas: Float64Array;
  /** alpha_bar_t = prod_{s <= t} alpha_s: x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps. */
  readonly alphaBars: Float64Array;
  /** Posterior variance beta_tilde_t = beta_t (1 - alpha_bar_{t-1}) / (1 - alpha_bar_t) (0 at t = 0). */
  readonly posteriorVariance: Float64Array;
}

/**
 * cos(((u / T) + s) / (1 + s) pi / 2): Nichol & Dhariwal's cosine curve, sqrt(alpha_bar) at step u
 * (before normalising by u = 0). Shared with the flip schedule of binary.ts.
 */
export function cosineSignal(u: number, T: number, s: number): number {
  return Math.cos(((u / T + s) / (1 + s)) * (Math.PI / 2));
}

/**
 * Build a noise schedule; every beta must lie in (0, 1).
 * @example const s = noiseSchedule({ kind: 'linear', T: 1000 }); // betas 1e-4 .. 0.02
 */
export function noiseSchedule(config: ScheduleConfig): NoiseSchedule {
  const c = parseConfig(schema, config, 'noise schedule');
  let betas: Float64Array;
  if (c.kind === 'linear') {
    if (c.betaEnd < c.betaStart)
      throw new Error(`noise schedule: betaEnd (${c.betaEnd}) must be >= betaStart (${c.betaStart})`);
    betas = Float64Array.from({ length: c.T }, (_, t) =>
      c.T === 1 ? c.betaStart : c.betaStart + ((c.betaEnd - c.betaStart) * t) / (c.T - 1),
    );
  } else if (c.kind === 'cosine') {
    const f = (t: number) => cosineSignal(t, c.T, c.s) ** 2;
    betas = Float64Array.from({ length: c.T }, (_, t) => Math.min(1 - f(t + 1) / f(t), c.maxBeta));
  } else {
    betas = Float64Array.from(c.betas);
  }
  const n = betas.length;
  const alphas = betas.map((b) => 1 - b);
  const alphaBars = new Float64Array(n);
  const post = new Float64Array(n);
  let ab = 1;
  for (let t = 0; t < n; t++) {
    const prev = ab;
    ab *= alphas[t];
    alphaBars[t] = ab;
    post[t] = t === 0 ? 0 : (betas[t] * (1 - prev)) / (1 - ab);
  }
  return { T: n, betas, alphas, alphaBars, posteriorVariance: post };
}
