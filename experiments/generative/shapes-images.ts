/**
 * Small images (generated circles, squares and triangles from @aml/data, or a user's IDX/NPY set
 * through @aml/data's readers): a convolutional VAE, a DCGAN and a DDPM with a small U-Net, each
 * shown as a sample grid and scored by pixel-space MMD^2 against fresh true images, next to a
 * Gaussian fitted to the training images (course week 15 compares VAE, DDPM and GAN on MNIST with
 * MMD and a pixel "FID proxy").
 *
 *   npx ts-node experiments/generative/shapes-images.ts [--quick] [--seed n] [--out dir] [--only VAE,DCGAN,DDPM]
 */
import { adam, cosineDecay, type Optimizer, Rng, tf } from '@aml/core';
import { shapeImages } from '@aml/data';
import {
  binaryDdpmStep,
  convVae,
  dcgan,
  ddpmStep,
  gaussianBaseline,
  gaussianSiteCoefficients,
  ganStep,
  medianBandwidth,
  mmd2,
  noiseSchedule,
  sampleAncestral,
  sampleDdim,
  sampleGan,
  sampleVae,
  smallUnet,
  vaeStep,
  withSiteLogit,
} from '@aml/generative';
import { imageGridFigure, lineFigure, Report } from '@aml/plot';
import { ensureBackend, Results, runIfMain, type RunOptions } from '../common';

/** Experiment settings. */
export interface ShapesConfig {
  /** Image side (divisible by 4). */
  readonly size: number;
  /** Training images and fresh evaluation images. */
  readonly trainSize: number;
  readonly evalSize: number;
  /** Updates per model and batch size. */
  readonly steps: number;
  readonly batchSize: number;
  /** VAE latent size, GAN latent size, base widths. */
  readonly vaeLatent: number;
  readonly ganLatent: number;
  readonly width: number;
  /** Diffusion steps T (linear 1e-4..0.02 is for T = 1000; cosine here). */
  readonly T: number;
  /** DDPM updates (the U-Net needs more than the VAE and the GAN), Adam lr cosine-decayed to a tenth. */
  readonly ddpmSteps: number;
  readonly ddpmLr: number;
  /**
   * What the U-Net predicts: the noise ('epsilon'), or for these binary images the logit of
   * p(pixel = 1 | x_t) ('x0-binary': BCE loss, the own-pixel evidence added in closed form by
   * withSiteLogit, the last sampling step a Bernoulli draw).
   */
  readonly ddpmObjective: 'epsilon' | 'x0-binary';
  /** DDPM sampler: ancestral over all T steps, or DDIM (eta 0) on `ddimSteps` steps (epsilon only). */
  readonly ddpmSampler: 'ancestral' | 'ddim';
  readonly ddimSteps: number;
  /** The models to train (`--only`). */
  readonly models: readonly ShapesModel[];
}

type ShapesModel = 'VAE' | 'DCGAN' | 'DDPM';
const MODELS: readonly ShapesModel[] = ['VAE', 'DCGAN', 'DDPM'];

/** `--only VAE,DDPM`: the models to run. */
function parseModels(list: string): ShapesModel[] {
  return list.split(',').map((m) => {
    const name = m.trim() as ShapesModel;
    if (!MODELS.includes(name))
      throw new Error(`--only: unknown model "${m}"; use a comma-separated list of ${MODELS.join(', ')}`);
    return name;
  });
}

export function config(quick: boolean): ShapesConfig {
  return quick
    ? {
        size: 8,
        trainSize: 64,
        evalSize: 16,
        steps: 2,
        batchSize: 8,
        vaeLatent: 2,
        ganLatent: 4,
        width: 8,
        T: 20,
        ddpmSteps: 2,
        ddpmLr: 1e-3,
        ddpmObjective: 'x0-binary',
        ddpmSampler: 'ancestral',
        ddimSteps: 4,
        models: MODELS,
      }
    : // Sized for the WASM backend on a shared 2-core machine (convolutions are its slowest path;
      // 400 updates left the DCGAN at noise). Scale up on a native backend.
      // The DDPM (pixel MMD^2 / baseline, fresh images vs fresh images ~0): epsilon prediction at constant
      // lr 1e-3 with ancestral sampling: 0.30, 0.17, 0.002 after 1500, 3000, 4500 updates on one data draw,
      // 0.64 at 4500 on another, 2.7 at 1500 on a third (DDIM-25 of the same nets 0.47-5.3); binary x0
      // prediction with the lr cosine-decayed: 0.10, 0.015, 0.15 on that third draw.
      {
        size: 16,
        trainSize: 2000,
        evalSize: 200,
        steps: 1500,
        batchSize: 32,
        vaeLatent: 8,
        ganLatent: 16,
        width: 16,
        T: 100,
        ddpmSteps: 3000,
        ddpmLr: 1e-3,
        ddpmObjective: 'x0-binary',
        ddpmSampler: 'ancestral',
        ddimSteps: 25,
        models: MODELS,
      };
}

export async function run(o: RunOptions & { override?: Partial<ShapesConfig> } = {}) {
  await ensureBackend();
  const c: ShapesConfig = { ...config(!!o.quick), ...(o.only ? { models: parseModels(o.only) } : {}), ...o.override };
  const res = new Results('shapes-images', o, c);
  const rng = new Rng(o.seed ?? 1);
  const S = c.size,
    D = S * S;
  const train = shapeImages(c.trainSize, rng, { size: S }).images; // (n, S, S) in {0, 1}
  const fresh = shapeImages(c.evalSize, rng, { size: S }).images;
  const X01 = tf.tensor4d(train, [c.trainSize, S, S, 1]);
  const Xpm = tf.tidy(() => X01.mul(2).sub(1)) as tf.Tensor4D;
  const batchOf = (X: tf.Tensor4D) =>
    tf.tidy(() =>
      tf.gather(
        X,
        tf.tensor1d(
          Int32Array.from({ length: c.batchSize }, () => rng.int(c.trainSize)),
          'int32',
        ),
      ),
    ) as tf.Tensor4D;
  const h = medianBandwidth(fresh, D);
  const score = (s: Float32Array) => mmd2(s, fresh, D, h);
  const base = Float32Array.from(gaussianBaseline(train, D, c.evalSize, rng), (v) => Math.min(1, Math.max(0, v)));
  const samples: Record<string, Float32Array> = { 'Gaussian baseline': base };
  const losses: Record<string, number[]> = {};
  const time: Record<string, number> = {};
  /**
   * Train one model with core's trainer (checkpoints, --resume, signals) as one part of the run: `step`
   * is its own update on the shared generator `rng`, saved in each checkpoint; `sample` draws its images.
   * A part finished before an interruption is kept (its samples, losses and time) and not run again.
   */
  const fit = async (
    name: string,
    build: () => {
      params: readonly tf.Variable[];
      optimizers: Record<string, Optimizer>;
      step: (step: number) => number;
      sample: () => Float32Array;
      dispose: () => void;
    },
    steps = c.steps,
  ) => {
    const done = await res.part(name, async () => {
      const m = build();
      try {
        const t0 = Date.now();
        const history = await res.train(name, {
          params: m.params,
          optimizers: m.optimizers,
          customStep: ({ step }) => m.step(step),
          steps,
          rng,
          nanGuard: false,
        });
        const seconds = (Date.now() - t0) / 1000;
        return { losses: history.loss, seconds, samples: m.sample() };
      } finally {
        m.dispose();
      }
    }, [rng]);
    losses[name] = done.losses;
    time[name] = done.seconds;
    samples[name] = done.samples;
  };
  const grab = (t: tf.Tensor, pm1: boolean) => {
    const v = Float32Array.from(t.dataSync(), (p) => (pm1 ? (p + 1) / 2 : p)); // to [0, 1]
    t.dispose();
    return v;
  };
  if (c.models.includes('VAE')) {
    await fit('VAE', () => {
      const vae = convVae({ size: S, latentSize: c.vaeLatent, likelihood: 'bernoulli', width: c.width / 2 }, rng);
      const opt = adam({ learningRate: 1e-3 });
      return {
        params: vae.params,
        optimizers: { adam: opt },
        step: () => {
          const x = batchOf(X01);
          const l = vaeStep(vae, x, opt, rng).loss;
          x.dispose();
          return l;
        },
        sample: () => grab(sampleVae(vae, c.evalSize, rng, 'mean'), false),
        dispose: () => {
          opt.dispose();
          vae.params.forEach((p) => p.dispose());
        },
      };
    });
  }
  if (c.models.includes('DCGAN')) {
    await fit('DCGAN', () => {
      const gan = dcgan(
        { size: S, latentSize: c.ganLatent, loss: 'nonSaturating', realLabel: 0.9, width: c.width },
        rng,
      );
      // course: lr 2e-4, beta1 0.5; 5e-4 here for the short budget
      const oG = adam({ learningRate: 5e-4, beta1: 0.5 }),
        oD = adam({ learningRate: 5e-4, beta1: 0.5 });
      return {
        params: [...gan.generator.params, ...gan.discriminator.params],
        optimizers: { generator: oG, discriminator: oD },
        step: () => {
          const x = batchOf(Xpm);
          const r = ganStep(gan, x, oG, oD, rng);
          x.dispose();
          return r.terms!.g;
        },
        sample: () => grab(sampleGan(gan, c.evalSize, rng), true),
        dispose: () => {
          [oG, oD].forEach((x) => x.dispose());
          [...gan.generator.params, ...gan.discriminator.params].forEach((p) => p.dispose());
        },
      };
    });
  }
  if (c.models.includes('DDPM')) {
    if (c.ddpmObjective === 'x0-binary' && c.ddpmSampler !== 'ancestral')
      throw new Error(`ddpmSampler: the 'x0-binary' objective samples with 'ancestral', got '${c.ddpmSampler}'`);
    const sched = noiseSchedule({ kind: 'cosine', T: c.T });
    const binary = c.ddpmObjective === 'x0-binary';
    await fit(
      'DDPM',
      () => {
        const unet = smallUnet({ width: c.width, groups: 8 }, rng);
        const net = binary ? withSiteLogit(unet, gaussianSiteCoefficients(sched)) : unet;
        const opt = adam({ learningRate: c.ddpmLr });
        const lr = cosineDecay({ initial: c.ddpmLr, final: c.ddpmLr / 10, steps: c.ddpmSteps });
        return {
          params: unet.params,
          optimizers: { adam: opt },
          step: (t) => {
            opt.learningRate = lr(t);
            const x = batchOf(Xpm);
            const l = (binary ? binaryDdpmStep : ddpmStep)(net, sched, x, opt, rng).loss;
            x.dispose();
            return l;
          },
          sample: () => {
            const shape = [c.evalSize, S, S, 1];
            const draw = binary
              ? sampleAncestral(net, sched, shape, rng, { prediction: 'x0-binary' })
              : c.ddpmSampler === 'ancestral'
                ? sampleAncestral(net, sched, shape, rng, { clip: 1 })
                : sampleDdim(net, sched, shape, c.ddimSteps, rng, 0, { clip: 1 });
            const v = grab(draw.clipByValue(-1, 1), true);
            draw.dispose();
            return v;
          },
          dispose: () => {
            opt.dispose();
            unet.params.forEach((p) => p.dispose());
          },
        };
      },
      c.ddpmSteps,
    );
  }
  X01.dispose();
  Xpm.dispose();
  const metrics: Record<string, { mmd2: number; vsBaseline: number; seconds: number }> = {};
  const baseMmd = score(base);
  for (const [name, s] of Object.entries(samples)) {
    const m = score(s);
    metrics[name] = { mmd2: m, vsBaseline: m / baseMmd, seconds: time[name] ?? 0 };
    res.log(`${name}: pixel MMD^2 ${m.toExponential(3)} (${(m / baseMmd).toFixed(3)} of the Gaussian baseline)`);
  }
  const report = new Report('Small images: conv VAE, DCGAN, DDPM (U-Net)');
  report.text(
    `Generated ${S}x${S} shapes (circle, square, triangle). Pixel-space MMD^2 (Gaussian kernel, median-distance bandwidth ${h.toFixed(2)}) against ${c.evalSize} fresh images; the baseline is a full-covariance Gaussian fitted to the training pixels.`,
  );
  report.table({
    columns: ['model', 'pixel MMD^2', 'vs baseline', 'train s'],
    rows: Object.entries(metrics).map(([k, v]) => [k, v.mmd2, v.vsBaseline, v.seconds]),
  });
  const grid = (s: Float32Array, name: string) =>
    imageGridFigure(
      Array.from({ length: Math.min(16, c.evalSize) }, (_, i) => ({
        pixels: Array.from(s.subarray(i * D, (i + 1) * D)),
        height: S,
        width: S,
      })),
      { columns: 8, title: name },
    );
  report.figure(grid(fresh, 'true'), 'fresh true images');
  for (const [name, s] of Object.entries(samples)) report.figure(grid(s, name), `${name} samples`);
  report.figure(
    lineFigure(
      Object.entries(losses).map(([k, v]) => ({ name: k, y: v })),
      { xLabel: 'step', yLabel: 'loss' },
    ),
    'training losses (DCGAN: generator loss)',
  );
  return res.finish(c, { results: metrics }, report);
}

runIfMain(module, run);
