/**
 * The VAE learner of the Ising experiment, on spins mapped to {0, 1}. Two decoders (`decoder`):
 *
 * - 'autoregressive' (default): arVae, p(x|z) = prod_i p(x_i | x_<i, z) by a conditional MADE,
 *   trained on the ELBO with free bits, sampled by z ~ N(0, I) then one spin per pass.
 * - 'factorised' (the baseline): mlpVae with a Bernoulli decoder, trained on the ELBO (or the
 *   importance-weighted bound with `samples` > 1), sampled by z ~ N(0, I) then x ~ Bernoulli(decoder(z)).
 *
 * The factorised decoder can express bond correlations only through z; its error grows with the
 * data's entropy (T = 1.8 within 1%, T = 2.27 and 3 about 20% too disordered in <E>/N). Tried without
 * gain (<E>/N error at T = 3, 8x8): 4000 updates with cosine decay 23%; latent 64 with KL warm-up
 * 26-28%, plus symmetry augmentation 28%; hidden [512, 512] and latent 32 with IWAE-4 21.5%; IWAE-8
 * 23.5% in the full run (T = 2.27: 27% vs 20.5% with the ELBO); a periodic-convolution VAE with one
 * latent per site 55%. The autoregressive decoder carries the correlations itself. Measured (full run,
 * 8x8, latent 8, free bits 0.1, --seed 1 / --seed 2), <|m|> / <E>/N errors at T = 1.8, 2.27, 3:
 * 10000 updates 0.3/0.0, 1.2/1.1, 1.0/0.8 % and 0.4/0.3, 1.4/1.3, 1.2/2.5 % (86-119 s per temperature
 * at load 3-4); 6000 updates 0.3/1.2, 2.3/2.4, 1.7/1.0 % and 0.2/0.1, 1.0/2.2, 2.1/3.6 % (~55-70 s);
 * 2000 updates T = 3 3.0/12 %. Decoder [512, 512] was no better at T = 3 (6.5/3.6 % vs 4.9/3.9 % on
 * one data set) and 3.5x slower. KL 1.1, 1.9, 3.8 nats at 6000 updates: z is used (no collapse).
 */
import { adam, cosineDecay, tf, type Optimizer, type Rng } from '@aml/core';
import {
  arVae,
  arVaeStep,
  disposeArVae,
  iwaeStep,
  mlpVae,
  sampleArVae,
  sampleVae,
  toSpins,
  vaeStep,
} from '@aml/generative';
import { type Fit, plainFit, randomRows, type IsingLearner, type IsingTask } from './shared';

/** VAE settings. */
export interface VaeSettings {
  /** 'autoregressive' (conditional-MADE decoder) or 'factorised' (MLP Bernoulli decoder, the baseline). */
  readonly decoder: 'autoregressive' | 'factorised';
  /** Encoder hidden widths (the factorised decoder mirrors them). */
  readonly hidden: readonly number[];
  /** Conditional-MADE hidden widths (autoregressive only; each >= L^2 - 1). */
  readonly decoderHidden: readonly number[];
  readonly latentSize: number;
  /** Free bits in nats per latent dimension (autoregressive only; 0: plain ELBO). */
  readonly freeBits: number;
  /** Importance samples K of the IWAE bound (factorised only; 1: the ELBO). */
  readonly samples: number;
  /** Initial Adam learning rate, cosine-decayed to 0 when `cosine` (autoregressive default). */
  readonly lr: number;
  readonly cosine: boolean;
  /** Updates and batch size. */
  readonly steps: number;
  readonly batchSize: number;
}

export const vaeSettings = (quick: boolean, decoder: VaeSettings['decoder'] = 'autoregressive'): VaeSettings => {
  if (decoder === 'factorised') {
    return quick
      ? {
          decoder,
          hidden: [16],
          decoderHidden: [],
          latentSize: 2,
          freeBits: 0,
          samples: 2,
          lr: 1e-3,
          cosine: false,
          steps: 3,
          batchSize: 16,
        }
      : {
          decoder,
          hidden: [256, 256],
          decoderHidden: [],
          latentSize: 16,
          freeBits: 0,
          samples: 1,
          lr: 1e-3,
          cosine: false,
          steps: 2000,
          batchSize: 128,
        };
  }
  return quick
    ? {
        decoder,
        hidden: [16],
        decoderHidden: [16],
        latentSize: 2,
        freeBits: 0.1,
        samples: 1,
        lr: 1e-3,
        cosine: true,
        steps: 3,
        batchSize: 16,
      }
    : {
        decoder,
        hidden: [256],
        decoderHidden: [256, 256],
        latentSize: 8,
        freeBits: 0.1,
        samples: 1,
        lr: 1e-3,
        cosine: true,
        steps: 10000,
        batchSize: 128,
      };
};

/** The learner's samples and its mean KL(q(z|x) || p(z)) over the last tenth of the updates (nats). */
export interface VaeRun {
  readonly spins: Int8Array;
  readonly kl: number;
}

export const learnVae: IsingLearner<VaeSettings> = async (task, s, rng, fit = plainFit) =>
  (await trainVae(task, s, rng, fit)).spins;

/** Train on the task's spins and sample `task.evalSize` configurations; also report the KL (posterior collapse shows as ~0). */
export async function trainVae(task: IsingTask, s: VaeSettings, rng: Rng, fit: Fit = plainFit): Promise<VaeRun> {
  const N = task.L * task.L;
  const n = task.spins.length / N;
  const data = tf.tensor2d(
    Float32Array.from(task.spins, (v) => (v + 1) / 2),
    [n, N],
  );
  const opt = adam({ learningRate: s.lr });
  const lr = cosineDecay({ initial: s.lr, steps: s.steps });
  const model = s.decoder === 'autoregressive' ? autoregressive(N, s, opt, rng) : factorised(N, s, opt, rng);
  let kls: number[], spins: Int8Array;
  try {
    const run = await fit({
      params: model.params,
      optimizers: { adam: opt },
      rng,
      steps: s.steps,
      step: (t) => {
        if (s.cosine) opt.learningRate = lr(t);
        const x = randomRows(data, s.batchSize, rng);
        const kl = model.step(x);
        x.dispose();
        return kl;
      },
    });
    kls = run.loss.filter((kl) => Number.isFinite(kl));
    const samples = model.sample(task.evalSize);
    spins = toSpins(samples.dataSync(), 'binary');
    samples.dispose();
  } finally {
    data.dispose();
    opt.dispose();
    model.dispose();
  }
  const tail = kls.slice(-Math.max(1, Math.floor(kls.length / 10)));
  return { spins, kl: tail.length ? tail.reduce((a, v) => a + v, 0) / tail.length : NaN };
}

/** One decoder's training step (returns the batch KL, NaN when not computed), sampler (n, N) in {0,1}, and cleanup. */
interface Model {
  readonly params: readonly tf.Variable[];
  step(x: tf.Tensor2D): number;
  sample(n: number): tf.Tensor;
  dispose(): void;
}

function autoregressive(N: number, s: VaeSettings, opt: Optimizer, rng: Rng): Model {
  const vae = arVae(
    {
      inputSize: N,
      latentSize: s.latentSize,
      encoderHidden: s.hidden,
      decoderHidden: s.decoderHidden,
      freeBits: s.freeBits,
    },
    rng,
  );
  return {
    params: vae.params,
    step: (x) => arVaeStep(vae, x, opt, rng).terms!.kl,
    sample: (n) => sampleArVae(vae, n, rng),
    dispose: () => disposeArVae(vae),
  };
}

function factorised(N: number, s: VaeSettings, opt: Optimizer, rng: Rng): Model {
  const vae = mlpVae({ inputSize: N, hidden: s.hidden, latentSize: s.latentSize, likelihood: 'bernoulli' }, rng);
  return {
    params: vae.params,
    step: (x) => (s.samples > 1 ? (iwaeStep(vae, x, s.samples, opt, rng), NaN) : vaeStep(vae, x, opt, rng).terms!.kl),
    sample: (n) => sampleVae(vae, n, rng, 'sample'),
    dispose: () => vae.params.forEach((p) => p.dispose()),
  };
}
