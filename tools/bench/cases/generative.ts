/**
 * packages/generative benchmarks: the full runs of experiments/generative as accuracy cases,
 * and speed cases timing one training step of each model family (the 2D models at batch 256, the
 * conv models of shapes-images.ts at its full size: 16x16 images, width 16, batch 32).
 */
import { adam, Rng, tf } from '@aml/core';
import {
  contrastiveDivergence,
  convVae,
  createRbm,
  dcgan,
  ddpmStep,
  disposeFlow,
  disposeRbm,
  mlpDenoiser,
  mlpVae,
  noiseSchedule,
  smallUnet,
  vaeStep,
  mlpGan,
  ganStep,
  realNvp,
  flowStep,
} from '@aml/generative';
import type { BenchCase } from '../case';
import { run as twoSpin } from '../../../experiments/generative/ising-two-spin-rbm';
import { run as toys } from '../../../experiments/generative/toys2d';
import { run as isingModels } from '../../../experiments/generative/ising-models';
import { run as shapes } from '../../../experiments/generative/shapes-images';

const accuracy: BenchCase[] = [
  {
    kind: 'accuracy',
    name: 'generative-ising-two-spin-rbm',
    async run({ quick }) {
      const m = await twoSpin({
        quick,
        outDir: 'results/bench-ising-two-spin-rbm',
        force: true,
        report: !quick,
        verbose: false,
      });
      const out: Record<string, number> = { maxError: m.maxError, seconds: m.seconds };
      for (const r of m.couplings) out[`J=${r.J}`] = Number(r.recovered.toFixed(3));
      return out;
    },
  },
  {
    kind: 'accuracy',
    name: 'generative-toys2d-mmd',
    async run({ quick }) {
      const m = await toys({ quick, outDir: 'results/bench-toys2d', force: true, report: !quick, verbose: false });
      // model MMD^2 / single-Gaussian MMD^2 per dataset and model (below 1 beats the baseline)
      const out: Record<string, number> = { worstVsBaseline: m.worstVsBaseline, seconds: m.seconds };
      for (const [ds, r] of Object.entries(m.results))
        for (const [k, v] of Object.entries(r))
          if (k !== 'single Gaussian') out[`${ds}/${k}`] = Number(v.vsBaseline.toFixed(3));
      return out;
    },
  },
  {
    kind: 'accuracy',
    name: 'generative-ising-models-observables',
    async run({ quick }) {
      const m = await isingModels({
        quick,
        outDir: 'results/bench-ising-models',
        force: true,
        report: !quick,
        verbose: false,
      });
      // relative errors of <|m|> and <E>/N against an independent Metropolis set
      const out: Record<string, number> = {
        worstAbsMRelErr: m.worst.absMRelErr,
        worstEnergyRelErr: m.worst.energyRelErr,
        seconds: m.seconds,
      };
      for (const [T, rows] of Object.entries(m.results))
        for (const r of rows)
          if (!r.model.startsWith('Metropolis')) {
            out[`${T}/${r.model}/absM`] = Number(r.absMRelErr.toFixed(3));
            out[`${T}/${r.model}/E`] = Number(r.energyRelErr.toFixed(3));
          }
      return out;
    },
  },
  {
    kind: 'accuracy',
    name: 'generative-shapes-images-mmd',
    async run({ quick }) {
      const m = await shapes({
        quick,
        outDir: 'results/bench-shapes-images',
        force: true,
        report: !quick,
        verbose: false,
      });
      const out: Record<string, number> = { seconds: m.seconds };
      for (const [k, v] of Object.entries(m.results)) out[`${k}/vsBaseline`] = Number(v.vsBaseline.toFixed(3));
      return out;
    },
  },
];

/** One training step of each model on 2D data, batch 256. */
function speed(name: string, make: (rng: Rng) => { step: () => unknown; dispose?: () => void }): BenchCase {
  return {
    kind: 'speed',
    name,
    repeats: 10,
    async setup() {
      return make(new Rng(1));
    },
  };
}

/** Dispose tensors, optimizers and anything else a case made. */
function free(tensors: tf.Tensor[], opts: { dispose(): void }[], more?: () => void): void {
  for (const t of tensors) t.dispose();
  for (const o of opts) o.dispose();
  more?.();
}

const x2 = () => tf.randomNormal([256, 2], 0, 1, 'float32', 1) as tf.Tensor2D;

const speedCases: BenchCase[] = [
  speed('generative-rbm-cd1-64x32-b256', (rng) => {
    const rbm = createRbm({ kind: 'binary', nVisible: 64, nHidden: 32 }, rng);
    const cd = contrastiveDivergence(rbm, { k: 1 });
    const opt = adam({ learningRate: 1e-3 });
    const x = tf.tidy(() => tf.randomUniform([256, 64], 0, 1, 'float32', 2).round()) as tf.Tensor2D;
    return { step: () => cd.step(x, opt, rng), dispose: () => free([x], [opt], () => (cd.dispose(), disposeRbm(rbm))) };
  }),
  speed('generative-vae-mlp-2x128x2-b256', (rng) => {
    const vae = mlpVae({ inputSize: 2, hidden: [128, 128], latentSize: 2, likelihood: 'gaussian' }, rng);
    const opt = adam({ learningRate: 1e-3 });
    const x = x2();
    return { step: () => vaeStep(vae, x, opt, rng), dispose: () => free([x, ...vae.params], [opt]) };
  }),
  speed('generative-gan-mlp-2x128x2-b256', (rng) => {
    const gan = mlpGan({ dataSize: 2, latentSize: 2, hidden: [128, 128], loss: 'nonSaturating' }, rng);
    const oG = adam({ learningRate: 1e-3 }),
      oD = adam({ learningRate: 1e-3 });
    const x = x2();
    return {
      step: () => ganStep(gan, x, oG, oD, rng),
      dispose: () => free([x, ...gan.generator.params, ...gan.discriminator.params], [oG, oD]),
    };
  }),
  speed('generative-wgangp-mlp-2x128x2-b256', (rng) => {
    const gan = mlpGan({ dataSize: 2, latentSize: 2, hidden: [128, 128], loss: 'wgan-gp' }, rng);
    const oG = adam({ learningRate: 1e-3 }),
      oD = adam({ learningRate: 1e-3 });
    const x = x2();
    return {
      step: () => ganStep(gan, x, oG, oD, rng),
      dispose: () => free([x, ...gan.generator.params, ...gan.discriminator.params], [oG, oD]),
    };
  }),
  speed('generative-ddpm-mlp-3x128-b256', (rng) => {
    const net = mlpDenoiser({ dataSize: 2, hidden: [128, 128, 128] }, rng);
    const s = noiseSchedule({ kind: 'linear', T: 1000 });
    const opt = adam({ learningRate: 1e-3 });
    const x = x2();
    return { step: () => ddpmStep(net, s, x, opt, rng), dispose: () => free([x, ...net.params], [opt]) };
  }),
  speed('generative-realnvp-8x2x64-b256', (rng) => {
    const flow = realNvp({ dim: 2, couplings: 8, hidden: [64, 64] }, rng);
    const opt = adam({ learningRate: 1e-3 });
    const x = x2();
    return { step: () => flowStep(flow, x, opt), dispose: () => free([x], [opt], () => disposeFlow(flow)) };
  }),
  ...convCases(),
];

/** The conv models of shapes-images.ts; their steps are mostly Conv2D and its two gradients. */
function convCases(): BenchCase[] {
  const img = () => tf.tidy(() => tf.randomUniform([32, 16, 16, 1], 0, 1, 'float32', 3).round()) as tf.Tensor4D;
  return [
    speed('generative-convvae-16x16-w8-b32', (rng) => {
      const vae = convVae({ size: 16, latentSize: 8, likelihood: 'bernoulli', width: 8 }, rng);
      const opt = adam({ learningRate: 1e-3 });
      const x = img();
      return { step: () => vaeStep(vae, x, opt, rng), dispose: () => free([x, ...vae.params], [opt]) };
    }),
    speed('generative-dcgan-16x16-w16-b32', (rng) => {
      const gan = dcgan({ size: 16, latentSize: 16, loss: 'nonSaturating', width: 16 }, rng);
      const oG = adam({ learningRate: 2e-4 }),
        oD = adam({ learningRate: 2e-4 });
      const x = tf.tidy(() => img().mul(2).sub(1)) as tf.Tensor4D;
      return {
        step: () => ganStep(gan, x, oG, oD, rng),
        dispose: () => free([x, ...gan.generator.params, ...gan.discriminator.params], [oG, oD]),
      };
    }),
    speed('generative-unet-ddpm-16x16-w16-b32', (rng) => {
      const net = smallUnet({ width: 16, groups: 8 }, rng);
      const s = noiseSchedule({ kind: 'cosine', T: 100 });
      const opt = adam({ learningRate: 1e-3 });
      const x = tf.tidy(() => img().mul(2).sub(1)) as tf.Tensor4D;
      return { step: () => ddpmStep(net, s, x, opt, rng), dispose: () => free([x, ...net.params], [opt]) };
    }),
  ];
}

export const cases: BenchCase[] = [...accuracy, ...speedCases];
