/**
 * Annealed importance sampling of the partition function of a binary RBM
 * (Neal 2001; Salakhutdinov & Murray 2008, "On the quantitative analysis of deep belief networks").
 *
 * Path between a base model A (W = 0, b = 0, visible biases aA) and the RBM B:
 *   log p*_beta(v) = (1 - beta) aA.v + beta a.v + sum_j softplus(beta (b_j + (v W)_j)),
 * with Gibbs transitions at each beta; log Z_B ~ log Z_A + log mean_runs exp(log w).
 */
import { intAtLeast, positiveInt, type Rng, tf } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { bernoulli, type Rbm } from './rbm';

/** AIS settings. */
export interface AisConfig {
  /** Number of independent annealing runs (default 100). */
  readonly runs?: number;
  /** Number of intermediate temperatures (default 1000). */
  readonly betas?: number;
  /** Base-model visible biases, shape (nV) (default 0; the data's log-odds make a better base). */
  readonly baseBias?: ArrayLike<number>;
}

const schema = z.strictObject({
  runs: positiveInt('runs').default(100),
  betas: intAtLeast(2, 'betas').default(1000),
  baseBias: z.any().optional(),
});

/** AIS estimate of log Z and the spread of the log importance weights. */
export interface AisResult {
  /** Estimate of log Z. */
  readonly logZ: number;
  /** Std of the log weights across runs (large values mean the estimate is unreliable). */
  readonly logWeightStd: number;
}

/** Estimate log Z of a binary RBM by annealed importance sampling. */
export function aisLogPartition(rbm: Rbm, config: AisConfig, rng: Rng): AisResult {
  const c = parseConfig(schema, config, 'AIS');
  if (rbm.config.kind !== 'binary') throw new Error('aisLogPartition: only binary RBMs are supported');
  const { nVisible: nV, nHidden: nH } = rbm.config;
  const aA = tf.tensor1d(c.baseBias ? Array.from(c.baseBias as ArrayLike<number>) : new Array(nV).fill(0));
  if (aA.shape[0] !== nV) throw new Error(`AIS: baseBias must have nVisible = ${nV} entries, got ${aA.shape[0]}`);
  const logZA = nH * Math.log(2) + tf.tidy(() => tf.softplus(aA).sum().dataSync()[0]);
  // log p*_beta(v) for a batch (R, nV) -> (R)
  const logPStar = (v: tf.Tensor2D, beta: number) =>
    tf.tidy(() =>
      v
        .mul(aA.mul(1 - beta).add(rbm.a.mul(beta)))
        .sum(1)
        .add(tf.softplus(tf.matMul(v, rbm.W).add(rbm.b).mul(beta)).sum(1)),
    );
  let v = bernoulli(tf.sigmoid(aA).reshape([1, nV]).tile([c.runs, 1]), rng) as tf.Tensor2D; // (R, nV) from base
  let logW = tf.zeros([c.runs]);
  for (let k = 1; k < c.betas; k++) {
    const b0 = (k - 1) / (c.betas - 1),
      b1 = k / (c.betas - 1);
    const next = tf.tidy(() => {
      const lw = logW.add(logPStar(v, b1).sub(logPStar(v, b0)));
      // Gibbs transition leaving p_b1 invariant
      const h = bernoulli(tf.sigmoid(tf.matMul(v, rbm.W).add(rbm.b).mul(b1)), rng);
      const vLogit = aA.mul(1 - b1).add(tf.matMul(h, rbm.W.transpose()).add(rbm.a).mul(b1));
      return { lw, v: bernoulli(tf.sigmoid(vLogit), rng) as tf.Tensor2D };
    });
    logW.dispose();
    v.dispose();
    logW = next.lw;
    v = next.v;
  }
  const w = Float64Array.from(logW.dataSync());
  logW.dispose();
  v.dispose();
  aA.dispose();
  let m = -Infinity;
  for (const x of w) m = Math.max(m, x);
  let s = 0,
    mean = 0;
  for (const x of w) {
    s += Math.exp(x - m);
    mean += x / w.length;
  }
  const std = Math.sqrt(w.reduce((p, x) => p + (x - mean) ** 2, 0) / w.length);
  return { logZ: logZA + m + Math.log(s / w.length), logWeightStd: std };
}
