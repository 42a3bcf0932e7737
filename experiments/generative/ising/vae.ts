/** The VAE learner of the Ising experiment: MLP VAE with a Bernoulli likelihood on spins mapped to {0, 1}. */
import { adam, tf } from '@aml/core';
import { mlpVae, sampleVae, toSpins, vaeStep } from '@aml/generative';
import type { IsingLearner } from './shared';

/** VAE settings. */
export interface VaeSettings {
  /** Encoder/decoder hidden widths and latent size. */
  readonly hidden: readonly number[];
  readonly latentSize: number;
  /** Adam learning rate, updates and batch size. */
  readonly lr: number;
  readonly steps: number;
  readonly batchSize: number;
}

export const vaeSettings = (quick: boolean): VaeSettings =>
  quick ? { hidden: [16], latentSize: 2, lr: 1e-3, steps: 3, batchSize: 16 } : { hidden: [256, 256], latentSize: 16, lr: 1e-3, steps: 2000, batchSize: 128 };

export const learnVae: IsingLearner<VaeSettings> = (task, s, rng) => {
  const N = task.L * task.L;
  const n = task.spins.length / N;
  const data = tf.tensor2d(Float32Array.from(task.spins, (v) => (v + 1) / 2), [n, N]);
  const vae = mlpVae({ inputSize: N, hidden: s.hidden, latentSize: s.latentSize, likelihood: 'bernoulli' }, rng);
  const opt = adam({ learningRate: s.lr });
  for (let t = 0; t < s.steps; t++) {
    const x = tf.tidy(() => tf.gather(data, tf.tensor1d(Int32Array.from({ length: s.batchSize }, () => rng.int(n)), 'int32'))) as tf.Tensor2D;
    vaeStep(vae, x, opt, rng);
    x.dispose();
  }
  const samples = sampleVae(vae, task.evalSize, rng, 'sample');
  const out = toSpins(samples.dataSync(), 'binary');
  samples.dispose();
  data.dispose();
  opt.dispose();
  vae.params.forEach((p) => p.dispose());
  return out;
};
