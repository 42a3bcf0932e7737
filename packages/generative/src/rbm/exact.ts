/**
 * Exact partition function and log-likelihood of small RBMs by enumeration
 * (the oracle for training curves and for the AIS estimate).
 */
import { tf } from '@aml/core';
import { freeEnergy, type Rbm } from './rbm';

/** All 2^n binary vectors as rows, shape (2^n, n); row k has bit i of k in column i. */
export function allBinaryStates(n: number): tf.Tensor2D {
  if (n > 20) throw new Error(`allBinaryStates: 2^${n} states is too many to enumerate (max n = 20)`);
  const M = 1 << n;
  const out = new Float32Array(M * n);
  for (let k = 0; k < M; k++) for (let i = 0; i < n; i++) out[k * n + i] = (k >> i) & 1;
  return tf.tensor2d(out, [M, n]);
}

function logSumExp(x: Float32Array | Float64Array): number {
  let m = -Infinity;
  for (const v of x) m = Math.max(m, v);
  let s = 0;
  for (const v of x) s += Math.exp(v - m);
  return m + Math.log(s);
}

/**
 * log Z by enumerating the hidden states (2^nH terms, nH <= 20):
 *   binary:   log Z = logsumexp_h [ b.h + sum_i softplus(a_i + (W h)_i) ]
 *   gaussian: log Z = logsumexp_h [ b.h + (|a + W h|^2 - |a|^2) / (2 sigma^2) ] + (nV/2) log(2 pi sigma^2)
 * For binary RBMs with fewer visible than hidden units, the visible side is enumerated instead.
 */
export function exactLogPartition(rbm: Rbm): number {
  const { nVisible, nHidden, kind, sigma } = rbm.config;
  if (kind === 'binary' && nVisible < nHidden) {
    const terms = tf.tidy(() => freeEnergy(rbm, allBinaryStates(nVisible)).neg().dataSync() as Float32Array);
    return logSumExp(Float64Array.from(terms));
  }
  const terms = tf.tidy(() => {
    const h = allBinaryStates(nHidden); // (2^nH, nH)
    const x = tf.matMul(h, rbm.W.transpose()).add(rbm.a); // (2^nH, nV): a + W h
    const bh = tf.matMul(h, rbm.b.reshape([nHidden, 1])).reshape([-1]); // (2^nH)
    const vis =
      kind === 'binary'
        ? tf.softplus(x).sum(1)
        : x
            .square()
            .sum(1)
            .sub(rbm.a.square().sum())
            .div(2 * sigma * sigma);
    return bh.add(vis).dataSync() as Float32Array;
  });
  const extra = kind === 'gaussian' ? (nVisible / 2) * Math.log(2 * Math.PI * sigma * sigma) : 0;
  return logSumExp(Float64Array.from(terms)) + extra;
}

/**
 * Mean exact log-likelihood (1/B) sum log p(v) = -mean F(v) - log Z of a data batch (B, nV)
 * (a log-density for gaussian RBMs).
 */
export function exactLogLikelihood(rbm: Rbm, data: tf.Tensor2D, logZ = exactLogPartition(rbm)): number {
  const meanF = tf.tidy(() => freeEnergy(rbm, data).mean().dataSync()[0]);
  return -meanF - logZ;
}

/**
 * Exact p(v) of a binary RBM over all 2^nV visible states (row k = bits of k), shape (2^nV).
 */
export function exactVisibleDistribution(rbm: Rbm): Float64Array {
  if (rbm.config.kind !== 'binary') throw new Error('exactVisibleDistribution: only for binary RBMs');
  const logZ = exactLogPartition(rbm);
  const f = tf.tidy(() => freeEnergy(rbm, allBinaryStates(rbm.config.nVisible)).dataSync() as Float32Array);
  return Float64Array.from(f, (v) => Math.exp(-v - logZ));
}
