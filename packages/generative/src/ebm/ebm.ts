/**
 * Energy-based model trained by contrastive divergence with Langevin negatives and a replay buffer
 * (Du & Mordatch 2019; the course's week-12 MNIST recipe):
 *   loss = alpha (E(x_real)^2 + E(x_fake)^2) + mean E(x_real) - mean E(x_fake),
 * negatives from `langevin` started 95% from a replay buffer of past negatives and 5% from uniform noise.
 * The energy network is any `Layer` mapping (B, ...X) -> (B, 1).
 */
import { nonNegativeNumber, type Optimizer, positiveInt, probability, type Rng, type StepResult, tf } from '@aml/core';
import type { Layer } from '@aml/nn';
import { z } from 'zod';
import { parseConfig } from '../montecarlo/metropolis';
import { checkLangevin, langevin, type LangevinConfig } from './langevin';

/** EBM training settings (course values in brackets are for 28x28 images). */
export interface EbmConfig {
  /** Shape of one example, e.g. [2] or [28, 28, 1]. */
  readonly sampleShape: readonly number[];
  /** Langevin sampler for the negatives; its `domain` is also where fresh noise is drawn (default [-1, 1]). */
  readonly sampler: LangevinConfig;
  /** Replay buffer size (course: 8192). */
  readonly bufferSize?: number;
  /** Fraction of each negative batch started from fresh uniform noise (course: 0.05). */
  readonly freshFraction?: number;
  /** Weight alpha of the energy regulariser E_real^2 + E_fake^2 (course: 0.1). */
  readonly alpha?: number;
}

const schema = z.strictObject({
  sampleShape: z.array(positiveInt()).min(1, 'sampleShape must have at least one axis'),
  sampler: z.any(),
  bufferSize: positiveInt('bufferSize').default(8192),
  freshFraction: probability('freshFraction').default(0.05),
  alpha: nonNegativeNumber('alpha').default(0.1),
});

/** An EBM: the energy network, its settings, and the replay buffer (bufferSize, prod(sampleShape)). */
export interface Ebm {
  readonly config: Required<EbmConfig>;
  readonly energy: Layer;
  readonly buffer: Float32Array;
}

/**
 * Build an EBM around an energy network; the buffer starts as uniform noise on the sampler's domain.
 * @example
 *   const net = mlp({ sizes: [2, 64, 64, 1], activation: 'silu' }, rng);
 *   const ebm = createEbm({ sampleShape: [2], sampler: { steps: 60, stepSize: 0.05, noiseStd: 0.01, domain: [-3, 3] } }, net, rng);
 */
export function createEbm(config: EbmConfig, energy: Layer, rng: Rng): Ebm {
  const c = parseConfig(schema, config, 'EBM') as Required<EbmConfig>;
  checkLangevin(c.sampler);
  const [lo, hi] = c.sampler.domain ?? [-1, 1];
  const D = c.sampleShape.reduce((a, b) => a * b, 1);
  return { config: c, energy, buffer: rng.uniformArray(c.bufferSize * D, lo, hi) };
}

/** E(x) as (B): the network output (B, 1) flattened. */
export function energyOf(ebm: Ebm, x: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => ebm.energy.apply(x).reshape([-1]) as tf.Tensor1D);
}

/** Draw B starting points: a freshFraction of uniform noise, the rest from random buffer slots. Returns them and the slots. */
function startPoints(ebm: Ebm, B: number, rng: Rng): { x: tf.Tensor; slots: Int32Array } {
  const D = ebm.buffer.length / ebm.config.bufferSize;
  const [lo, hi] = ebm.config.sampler.domain ?? [-1, 1];
  const nFresh = Math.round(B * ebm.config.freshFraction);
  const data = new Float32Array(B * D);
  const slots = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    slots[b] = rng.int(ebm.config.bufferSize);
    if (b < nFresh) for (let k = 0; k < D; k++) data[b * D + k] = rng.range(lo, hi);
    else data.set(ebm.buffer.subarray(slots[b] * D, (slots[b] + 1) * D), b * D);
  }
  return { x: tf.tensor(data, [B, ...ebm.config.sampleShape]), slots };
}

/**
 * Langevin negatives for a batch of size B (buffer-started), written back into the buffer.
 * @returns (B, ...sampleShape); the caller disposes.
 */
export function sampleNegatives(ebm: Ebm, B: number, rng: Rng): tf.Tensor {
  const { x, slots } = startPoints(ebm, B, rng);
  const out = langevin((t) => energyOf(ebm, t), x, ebm.config.sampler, rng);
  x.dispose();
  const v = out.dataSync();
  const D = v.length / B;
  for (let b = 0; b < B; b++) ebm.buffer.set(v.subarray(b * D, (b + 1) * D), slots[b] * D);
  return out;
}

/**
 * One EBM update on a real batch (B, ...sampleShape). Returns the loss and terms
 * { reg, cd (= mean E_real - mean E_fake) } before the update. Leaves no tensors.
 */
export function ebmStep(ebm: Ebm, real: tf.Tensor, optimizer: Optimizer, rng: Rng): StepResult {
  const fake = sampleNegatives(ebm, real.shape[0], rng);
  let reg = 0,
    cd = 0;
  try {
    const loss = optimizer.minimize(() => {
      const eR = energyOf(ebm, real),
        eF = energyOf(ebm, fake);
      const r = eR.square().mean().add(eF.square().mean()) as tf.Scalar;
      const c = eR.mean().sub(eF.mean()) as tf.Scalar;
      reg = r.dataSync()[0];
      cd = c.dataSync()[0];
      return r.mul(ebm.config.alpha).add(c) as tf.Scalar;
    }, ebm.energy.params);
    return { loss, terms: { reg, cd } };
  } finally {
    fake.dispose();
  }
}

/**
 * Fresh samples: n chains from uniform noise on the domain, run for `steps` sampler updates
 * (default: 4x the training steps, as longer chains sharpen the samples). (n, ...sampleShape).
 */
export function sampleEbm(ebm: Ebm, n: number, rng: Rng, steps = 4 * ebm.config.sampler.steps): tf.Tensor {
  const [lo, hi] = ebm.config.sampler.domain ?? [-1, 1];
  const x0 = tf.randomUniform([n, ...ebm.config.sampleShape], lo, hi, 'float32', rng.seed());
  const out = langevin((t) => energyOf(ebm, t), x0, { ...ebm.config.sampler, steps }, rng);
  x0.dispose();
  return out;
}
