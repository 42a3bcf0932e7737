/**
 * Normalisation layers over the last (feature/channel) axis.
 *
 * - Batch norm (Ioffe & Szegedy 2015): y = gamma (x - mu_B)/sqrt(var_B + eps) + beta, with mu_B, var_B
 *   over every axis but the last; running averages are used at inference.
 * - Layer norm (Ba et al. 2016): the same with mu, var over the last axis of each sample.
 */
import { tf } from '@aml/core';
import { type Layer, positiveInt, fmtShape } from './layer';
import { constVariable } from './init';

/** Configuration shared by the normalisation layers. */
export interface NormConfig {
  /** Size of the last axis (features, or channels for NHWC images). */
  readonly features: number;
  /** Added to the variance (default 1e-5). */
  readonly eps?: number;
  /** Batch norm: running = momentum*running + (1-momentum)*batch (default 0.9). */
  readonly momentum?: number;
  /** Name for error messages. */
  readonly name?: string;
}

function checkLast(name: string, x: tf.Tensor, f: number): void {
  if (x.rank < 2 || x.shape[x.rank - 1] !== f) {
    throw new Error(`${name}: expected input of shape (..., ${f}) with a batch axis, got ${fmtShape(x.shape)}`);
  }
}

/**
 * Batch normalisation. Input (..., features) -> same shape. In training mode it normalises with the
 * batch statistics and updates the running ones (kept in `state`).
 */
export function batchNorm(config: NormConfig): Layer {
  const name = `batchNorm '${config.name ?? 'batchNorm'}'`;
  const f = positiveInt(name, 'features', config.features);
  const eps = config.eps ?? 1e-5;
  const m = config.momentum ?? 0.9;
  const gamma = constVariable([f], 1);
  const beta = constVariable([f], 0);
  const runMean = constVariable([f], 0, false);
  const runVar = constVariable([f], 1, false);
  return {
    name,
    params: [gamma, beta],
    kernels: [],
    state: [runMean, runVar],
    apply(x, opts) {
      checkLast(name, x, f);
      return tf.tidy(() => {
        const axes = x.shape.slice(0, -1).map((_, i) => i);
        let mean: tf.Tensor, variance: tf.Tensor;
        if (opts?.training) {
          ({ mean, variance } = tf.moments(x, axes));
          // Running statistics are bookkeeping: assign is not recorded on the gradient tape.
          const n = x.size / f;
          const unbiased = tf.mul(variance, n / Math.max(n - 1, 1));
          runMean.assign(tf.add(tf.mul(runMean, m), tf.mul(mean, 1 - m)));
          runVar.assign(tf.add(tf.mul(runVar, m), tf.mul(unbiased, 1 - m)));
        } else {
          mean = runMean;
          variance = runVar;
        }
        const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
        return tf.add(tf.mul(xhat, gamma), beta);
      });
    },
  };
}

/** Layer normalisation. Input (..., features) -> same shape; statistics per sample over the last axis. */
export function layerNorm(config: NormConfig): Layer {
  const name = `layerNorm '${config.name ?? 'layerNorm'}'`;
  const f = positiveInt(name, 'features', config.features);
  const eps = config.eps ?? 1e-5;
  const gamma = constVariable([f], 1);
  const beta = constVariable([f], 0);
  return {
    name,
    params: [gamma, beta],
    kernels: [],
    state: [],
    apply(x) {
      if (x.rank < 1 || x.shape[x.rank - 1] !== f) {
        throw new Error(`${name}: expected input of shape (..., ${f}), got ${fmtShape(x.shape)}`);
      }
      return tf.tidy(() => {
        const { mean, variance } = tf.moments(x, -1, true);
        const xhat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps)));
        return tf.add(tf.mul(xhat, gamma), beta);
      });
    },
  };
}
