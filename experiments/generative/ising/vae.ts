/**
 * The VAE learner of the Ising experiment: MLP VAE with a Bernoulli likelihood on spins mapped to
 * {0, 1}, trained on the ELBO (or the importance-weighted bound with `samples` > 1), sampled by
 * z ~ N(0, I) then x ~ Bernoulli(decoder(z)).
 *
 * The decoder factorises given z, so bond correlations must come through z; the error grows with the
 * data's entropy (T = 1.8 within 1%, T = 2.27 and 3 about 20% too disordered in <E>/N). Tried without
 * gain (<E>/N error at T = 3, 8x8): 4000 updates with cosine decay 23%; latent 64 with KL warm-up
 * 26-28%, plus symmetry augmentation 28%; hidden [512, 512] and latent 32 with IWAE-4 21.5%; IWAE-8
 * 23.5% in the full run (T = 2.27: 27% vs 20.5% with the ELBO); a periodic-convolution VAE with one
 * latent per site 55%.
 */
import { adam, tf } from '@aml/core';
import { iwaeStep, mlpVae, sampleVae, toSpins, vaeStep } from '@aml/generative';
import type { IsingLearner } from './shared';

/** VAE settings. */
export interface VaeSettings {
  /** Encoder/decoder hidden widths and latent size. */
  readonly hidden: readonly number[];
  readonly latentSize: number;
  /** Importance samples K of the IWAE bound (1: the ELBO). */
  readonly samples: number;
  /** Adam learning rate, updates and batch size. */
  readonly lr: number;
  readonly steps: number;
  readonly batchSize: number;
}

export const vaeSettings = (quick: boolean): VaeSettings =>
  quick
    ? { hidden: [16], latentSize: 2, samples: 2, lr: 1e-3, steps: 3, batchSize: 16 }
    : { hidden: [256, 256], latentSize: 16, samples: 1, lr: 1e-3, steps: 2000, batchSize: 128 };

export const learnVae: IsingLearner<VaeSettings> = (task, s, rng) => {
  const N = task.L * task.L;
  const n = task.spins.length / N;
  const data = tf.tensor2d(Float32Array.from(task.spins, (v) => (v + 1) / 2), [n, N]);
  const vae = mlpVae({ inputSize: N, hidden: s.hidden, latentSize: s.latentSize, likelihood: 'bernoulli' }, rng);
  const opt = adam({ learningRate: s.lr });
  for (let t = 0; t < s.steps; t++) {
    const x = tf.tidy(() => tf.gather(data, tf.tensor1d(Int32Array.from({ length: s.batchSize }, () => rng.int(n)), 'int32'))) as tf.Tensor2D;
    if (s.samples > 1) iwaeStep(vae, x, s.samples, opt, rng);
    else vaeStep(vae, x, opt, rng);
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
