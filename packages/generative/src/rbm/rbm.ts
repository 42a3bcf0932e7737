/**
 * Restricted Boltzmann machines (Smolensky 1986; Hinton 2002), binary-binary and
 * Gaussian-binary, as plain objects holding their parameters:
 *
 *   binary:    E(v, h) = -a.v - b.h - v^T W h,                         v in {0,1}^nV, h in {0,1}^nH
 *   gaussian:  E(v, h) = sum_i (v_i - a_i)^2 / (2 sigma^2) - b.h - v^T W h / sigma^2,   v in R^nV
 *
 * so that p(h_j = 1 | v) = sigmoid(b_j + (v W)_j / s) with s = 1 (binary) or sigma^2 (gaussian), and
 * p(v_i = 1 | h) = sigmoid(a_i + (W h)_i) (binary) or p(v | h) = N(a + W h, sigma^2 I) (gaussian).
 * (Course week 11-12 notation: a visible bias, b hidden bias, W (nV, nH).)
 */
import { check, nonNegativeNumber, positiveInt, positiveNumber, type Rng, tf } from '@aml/core';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { ownedVariable } from '../util/variables';

/** RBM architecture. */
export interface RbmConfig {
  /** 'binary' (Bernoulli visibles) or 'gaussian' (real visibles with fixed std `sigma`). */
  readonly kind: 'binary' | 'gaussian';
  /** Number of visible units, >= 1. */
  readonly nVisible: number;
  /** Number of hidden units, >= 1. */
  readonly nHidden: number;
  /** Std of the Gaussian visibles (gaussian kind only, default 1); standardise data to match. */
  readonly sigma?: number;
  /** Std of the initial weights (default 0.01, Hinton's practical guide). */
  readonly initStd?: number;
}

const schema = z.strictObject({
  kind: z.enum(['binary', 'gaussian']),
  nVisible: positiveInt('nVisible'),
  nHidden: positiveInt('nHidden'),
  sigma: positiveNumber('sigma').default(1),
  initStd: nonNegativeNumber('initStd').default(0.01),
});

/** An RBM: its parameters W (nV, nH), a (nV), b (nH), and the validated config. */
export interface Rbm {
  readonly config: Required<RbmConfig>;
  /** Couplings, shape (nV, nH). */
  readonly W: tf.Variable;
  /** Visible biases, shape (nV). */
  readonly a: tf.Variable;
  /** Hidden biases, shape (nH). */
  readonly b: tf.Variable;
  /** [W, a, b], the trainable variables. */
  readonly params: readonly tf.Variable[];
}

/**
 * Create an RBM with small random couplings and zero biases.
 * @example const rbm = createRbm({ kind: 'binary', nVisible: 2, nHidden: 1 }, new Rng(1));
 */
export function createRbm(config: RbmConfig, rng: Rng): Rbm {
  const c = parseConfig(schema, config, 'RBM');
  const W = ownedVariable(tf.randomNormal([c.nVisible, c.nHidden], 0, c.initStd, 'float32', rng.seed()));
  const a = ownedVariable(tf.zeros([c.nVisible]));
  const b = ownedVariable(tf.zeros([c.nHidden]));
  return { config: c, W, a, b, params: [W, a, b] };
}

/** Free the RBM's variables. */
export function disposeRbm(rbm: Rbm): void {
  for (const p of rbm.params) p.dispose();
}

function checkVisible(rbm: Rbm, v: tf.Tensor): void {
  if (v.rank !== 2 || v.shape[1] !== rbm.config.nVisible) {
    throw new Error(`RBM: visible batch must have shape (B, ${rbm.config.nVisible}), got (${v.shape.join(', ')})`);
  }
}

/** 1 for binary, sigma^2 for gaussian: the scale dividing v^T W h in the energy. */
function vScale(rbm: Rbm): number {
  return rbm.config.kind === 'gaussian' ? rbm.config.sigma ** 2 : 1;
}

/** Hidden pre-activations b + v W / s, (B, nV) -> (B, nH). */
export function hiddenLogits(rbm: Rbm, v: tf.Tensor2D): tf.Tensor2D {
  checkVisible(rbm, v);
  return tf.tidy(() => tf.matMul(v, rbm.W).div(vScale(rbm)).add(rbm.b));
}

/** p(h = 1 | v), (B, nV) -> (B, nH). */
export function hiddenProbs(rbm: Rbm, v: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.sigmoid(hiddenLogits(rbm, v)));
}

/** Visible mean given h: sigmoid(a + W h) (binary) or a + W h (gaussian), (B, nH) -> (B, nV). */
export function visibleMean(rbm: Rbm, h: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const x = tf.matMul(h, rbm.W.transpose()).add(rbm.a) as tf.Tensor2D; // (B, nV)
    return rbm.config.kind === 'binary' ? tf.sigmoid(x) : x;
  });
}

/** Bernoulli draws with probabilities p (any shape), as 0/1 floats. */
export function bernoulli(p: tf.Tensor, rng: Rng): tf.Tensor {
  return tf.tidy(() => tf.randomUniform(p.shape, 0, 1, 'float32', rng.seed()).less(p).cast('float32'));
}

/** h ~ p(h | v), (B, nV) -> (B, nH) of 0/1. */
export function sampleHidden(rbm: Rbm, v: tf.Tensor2D, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => bernoulli(hiddenProbs(rbm, v), rng) as tf.Tensor2D);
}

/** v ~ p(v | h), (B, nH) -> (B, nV): Bernoulli (binary) or Gaussian with std sigma. */
export function sampleVisible(rbm: Rbm, h: tf.Tensor2D, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => {
    const m = visibleMean(rbm, h);
    if (rbm.config.kind === 'binary') return bernoulli(m, rng) as tf.Tensor2D;
    return m.add(tf.randomNormal(m.shape, 0, rbm.config.sigma, 'float32', rng.seed())) as tf.Tensor2D;
  });
}

/**
 * Free energy F(v) = -log sum_h exp(-E(v, h)), so p(v) = exp(-F(v)) / Z. (B, nV) -> (B).
 *   binary:   F = -a.v - sum_j softplus(b_j + (v W)_j)
 *   gaussian: F = |v - a|^2 / (2 sigma^2) - sum_j softplus(b_j + (v W)_j / sigma^2)
 * Differentiable in the parameters: the CD gradient is grad(mean F(data) - mean F(model samples)).
 */
export function freeEnergy(rbm: Rbm, v: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const hidden = tf.softplus(hiddenLogits(rbm, v)).sum(1); // (B)
    const vis =
      rbm.config.kind === 'binary'
        ? v.mul(rbm.a).sum(1).neg()
        : v
            .sub(rbm.a)
            .square()
            .sum(1)
            .div(2 * rbm.config.sigma ** 2);
    return vis.sub(hidden) as tf.Tensor1D;
  });
}

/**
 * Block Gibbs sampling: k alternating updates h ~ p(h|v), v ~ p(v|h) from v0.
 * @param v0 (B, nV) starting visibles; @returns (B, nV) after k steps (caller disposes).
 * @example const samples = gibbsSample(rbm, tf.zeros([1000, 2]), 100, new Rng(3));
 */
export function gibbsSample(rbm: Rbm, v0: tf.Tensor2D, k: number, rng: Rng): tf.Tensor2D {
  check(positiveInt(), k, 'gibbsSample: k (Gibbs steps)');
  checkVisible(rbm, v0);
  let v = v0;
  for (let t = 0; t < k; t++) {
    const next = tf.tidy(() => sampleVisible(rbm, sampleHidden(rbm, v, rng), rng));
    if (v !== v0) v.dispose();
    v = next;
  }
  return v;
}
