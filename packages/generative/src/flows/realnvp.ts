/**
 * Real-NVP normalising flow (Dinh, Sohl-Dickstein & Bengio 2017) with affine coupling layers:
 *   z = m * x + (1 - m) * (x * exp(s(m * x)) + t(m * x)),   log|det dz/dx| = sum (1 - m) * s,
 * alternating binary masks m, and a standard normal base, so log p(x) = log N(f(x); 0, I) + sum log|det|
 * is exact. s is bounded by a tanh with a learnable per-dimension scale for stable training.
 */
import { type Optimizer, positiveInt, type Rng, type StepResult, tf } from '@aml/core';
import { constVariable, mlp, type Layer, type LayerActivation } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';

/** Real-NVP settings. */
export interface RealNvpConfig {
  /** Data dimension d >= 2. */
  readonly dim: number;
  /** Number of coupling layers (default 6; masks alternate). */
  readonly couplings?: number;
  /** Hidden widths of each coupling's s/t network (default [64, 64]). */
  readonly hidden?: readonly number[];
  /** Hidden activation (default 'relu'). */
  readonly activation?: LayerActivation;
}

const schema = z.strictObject({
  dim: z.number().int().min(2, 'dim must be an integer >= 2 (a coupling splits the coordinates)'),
  couplings: positiveInt('couplings').default(6),
  hidden: z.array(positiveInt()).default([64, 64]),
  activation: z.string().default('relu'),
});

/** One affine coupling: mask (d), network x_masked (B, d) -> [s_raw, t] (B, 2d), tanh scale (d). */
interface Coupling {
  readonly mask: tf.Tensor1D;
  readonly net: Layer;
  readonly scale: tf.Variable;
}

/** A Real-NVP flow. */
export interface RealNvp {
  readonly config: Required<RealNvpConfig>;
  readonly couplings: readonly Coupling[];
  readonly params: readonly tf.Variable[];
}

/**
 * Build a Real-NVP flow; the last layer of each coupling net starts at zero so the flow starts as the identity.
 * @example const flow = realNvp({ dim: 2, couplings: 8, hidden: [128, 128] }, new Rng(0));
 */
export function realNvp(config: RealNvpConfig, rng: Rng): RealNvp {
  const c = parseConfig(schema, config, 'Real-NVP') as Required<RealNvpConfig>;
  const d = c.dim;
  const couplings: Coupling[] = [];
  for (let k = 0; k < c.couplings; k++) {
    // Alternate which half is conditioned on: even layers pass the first ceil(d/2) coordinates unchanged.
    const m = Float32Array.from({ length: d }, (_, i) => (i < Math.ceil(d / 2) === (k % 2 === 0) ? 1 : 0));
    const net = mlp(
      { sizes: [d, ...c.hidden, 2 * d], activation: c.activation as LayerActivation, name: `realnvp.${k}` },
      rng,
    );
    const last = net.params[net.params.length - 2]; // kernel of the output layer
    tf.tidy(() => last.assign(tf.zerosLike(last)));
    couplings.push({ mask: tf.tensor1d(m), net, scale: constVariable([d], 1) });
  }
  return { config: c, couplings, params: couplings.flatMap((cp) => [...cp.net.params, cp.scale]) };
}

/** s and t of one coupling for input x (B, d), each (B, d), already restricted to the unmasked part. */
function shiftScale(cp: Coupling, x: tf.Tensor2D): { s: tf.Tensor2D; t: tf.Tensor2D } {
  const inv = tf.scalar(1).sub(cp.mask);
  const [sRaw, t] = tf.split(cp.net.apply(x.mul(cp.mask)), 2, 1);
  return { s: tf.tanh(sRaw).mul(cp.scale).mul(inv) as tf.Tensor2D, t: t.mul(inv) as tf.Tensor2D };
}

function checkInput(flow: RealNvp, x: tf.Tensor): void {
  if (x.rank !== 2 || x.shape[1] !== flow.config.dim) {
    throw new Error(`Real-NVP: input must have shape (B, ${flow.config.dim}), got (${x.shape.join(', ')})`);
  }
}

/** Data -> latent: z = f(x) (B, d) and log|det df/dx| (B). */
export function flowForward(flow: RealNvp, x: tf.Tensor2D): { z: tf.Tensor2D; logDet: tf.Tensor1D } {
  checkInput(flow, x);
  return tf.tidy(() => {
    let h = x;
    let logDet = tf.zeros([x.shape[0]]) as tf.Tensor1D;
    for (const cp of flow.couplings) {
      const { s, t } = shiftScale(cp, h);
      h = h.mul(s.exp()).add(t) as tf.Tensor2D; // masked coordinates: s = t = 0, unchanged
      logDet = logDet.add(s.sum(1)) as tf.Tensor1D;
    }
    return { z: h, logDet };
  });
}

/** Latent -> data: x = f^-1(z), (B, d) -> (B, d). */
export function flowInverse(flow: RealNvp, z: tf.Tensor2D): tf.Tensor2D {
  checkInput(flow, z);
  return tf.tidy(() => {
    let h = z;
    for (let k = flow.couplings.length - 1; k >= 0; k--) {
      const { s, t } = shiftScale(flow.couplings[k], h); // depends only on the masked part, which is unchanged
      h = h.sub(t).mul(s.neg().exp()) as tf.Tensor2D;
    }
    return h;
  });
}

/** Exact log-density log p(x) = log N(f(x); 0, I) + log|det df/dx|, (B, d) -> (B). */
export function flowLogProb(flow: RealNvp, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const { z, logDet } = flowForward(flow, x);
    const logN = z
      .square()
      .sum(1)
      .mul(-0.5)
      .sub((flow.config.dim / 2) * Math.log(2 * Math.PI));
    return logN.add(logDet) as tf.Tensor1D;
  });
}

/** n samples x = f^-1(z), z ~ N(0, I); (n, d). */
export function sampleFlow(flow: RealNvp, n: number, rng: Rng): tf.Tensor2D {
  return tf.tidy(() => flowInverse(flow, tf.randomNormal([n, flow.config.dim], 0, 1, 'float32', rng.seed())));
}

/** One maximum-likelihood step (loss = mean -log p(x)) on x (B, d); returns the loss before the update. */
export function flowStep(flow: RealNvp, x: tf.Tensor2D, optimizer: Optimizer): StepResult {
  return { loss: optimizer.minimize(() => flowLogProb(flow, x).mean().neg() as tf.Scalar, flow.params) };
}

/** Free the flow's variables and masks. */
export function disposeFlow(flow: RealNvp): void {
  for (const cp of flow.couplings) cp.mask.dispose();
  for (const p of flow.params) p.dispose();
}
