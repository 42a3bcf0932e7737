/**
 * PCA and autoencoders on forced-oscillator windows (course weeks 8-9): windows of x(t) from
 * trajectories of x'' + 2 gamma x' + x = F cos(Omega t) with random initial conditions, drive
 * amplitude and phase of the cut. Reports PCA's explained variance, the components needed for 95%
 * and 99% of the variance, and the reconstruction MSE on held-out windows against the latent size
 * for PCA, a linear autoencoder (which should match PCA) and a nonlinear dense autoencoder.
 *
 *   npx ts-node experiments/nn/pca-autoencoder.ts [--quick]
 */
import { tf, Rng, adam } from '@aml/core';
import { dampedOscillator } from '@aml/data';
import { pca, componentsForVariance, denseAutoencoder, mse, autoencoderLoss } from '@aml/nn';
import { Report, lineFigure } from '@aml/plot';
import { type RunOptions, Results, ensureBackend, runIfMain } from '../common';

/** Settings of the experiment. */
export interface PcaAeConfig {
  /** Window length (features d) and spacing of samples within a window (time units). */
  readonly window: number;
  readonly dt: number;
  /** Trajectories, windows per trajectory. */
  readonly trajectories: number;
  readonly windowsPerTrajectory: number;
  /** Latent sizes compared. */
  readonly latents: readonly number[];
  /** Autoencoder hidden width, epochs, batch, learning rate. */
  readonly hidden: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
}

/** The full-run settings, or smoke-size ones with `quick` (tests, CI). */
export function config(quick: boolean): PcaAeConfig {
  return quick
    ? {
        window: 16,
        dt: 0.2,
        trajectories: 6,
        windowsPerTrajectory: 10,
        latents: [1, 2],
        hidden: 16,
        epochs: 2,
        batchSize: 16,
        lr: 3e-3,
      }
    : {
        window: 32,
        dt: 0.2,
        trajectories: 60,
        windowsPerTrajectory: 20,
        latents: [1, 2, 3, 4, 6, 8],
        hidden: 64,
        epochs: 60,
        batchSize: 64,
        lr: 3e-3,
      };
}

/** Windows (n, window) of oscillator trajectories with random x0, v0, F. */
function windows(c: PcaAeConfig, rng: Rng): { X: Float32Array; n: number } {
  const stride = Math.round(c.dt / 0.01);
  const rows: number[][] = [];
  for (let k = 0; k < c.trajectories; k++) {
    const tr = dampedOscillator({
      gamma: 0.2,
      omega0: 1,
      driveFrequency: 0.5,
      driveAmplitude: rng.range(0, 2),
      x0: rng.range(-2, 2),
      v0: rng.range(-2, 2),
      t1: 40,
      steps: 4000,
    });
    const maxStart = tr.x.length - c.window * stride;
    for (let w = 0; w < c.windowsPerTrajectory; w++) {
      const s = rng.int(maxStart);
      rows.push(Array.from({ length: c.window }, (_, i) => tr.x[s + i * stride]));
    }
  }
  return { X: Float32Array.from(rows.flat()), n: rows.length };
}

/** Run the experiment: generate the data, train, evaluate, write results/<name>/ and return the metrics. */
export async function run(o: RunOptions = {}) {
  await ensureBackend();
  const c = config(Boolean(o.quick));
  const res = new Results('pca-autoencoder', o, c);
  const rng = new Rng(o.seed ?? 1);
  const all = windows(c, rng);
  const d = c.window;
  const nTr = Math.floor(all.n * 0.8);
  const Xtr = all.X.subarray(0, nTr * d),
    Xte = all.X.subarray(nTr * d);
  const nTe = all.n - nTr;
  const full = pca(Xtr, nTr, d);
  const metrics: Record<string, unknown> = {
    explainedVarianceRatio: Array.from(full.explainedVarianceRatio.slice(0, 8)),
    componentsFor95: componentsForVariance(full, 0.95),
    componentsFor99: componentsForVariance(full, 0.99),
  };
  res.log(`PCA: ${metrics.componentsFor95} components for 95%, ${metrics.componentsFor99} for 99% of the variance`);
  const mean = tf.tensor1d(Float32Array.from(full.mean));
  const [xtr, xte] = tf.tidy(() => [
    tf.sub(tf.tensor2d(Xtr, [nTr, d]), mean),
    tf.sub(tf.tensor2d(Xte, [nTe, d]), mean),
  ]);
  const rows: Record<string, number[]> = { pca: [], linearAe: [], denseAe: [] };
  for (const k of c.latents) {
    const p = pca(Xtr, nTr, d, k);
    const rec = p.inverseTransform(p.transform(Xte));
    rows.pca.push(rec.reduce((s, v, i) => s + (v - Xte[i]) ** 2, 0) / rec.length);
    for (const [key, act] of [
      ['linearAe', 'identity'],
      ['denseAe', 'tanh'],
    ] as const) {
      // each autoencoder is one part: a resumed run keeps those finished before the interruption
      const [initRng, trainRng] = [rng.fork(), rng.fork()];
      const part = `${key}-latent${k}`;
      const testMse = await res.part(part, async () => {
        const ae = denseAutoencoder(
          { sizes: act === 'identity' ? [d, k] : [d, c.hidden, k], activation: act },
          initRng,
        );
        const opt = adam({ learningRate: c.lr });
        try {
          await res.train(part, {
            params: ae.params,
            optimizer: opt,
            data: { x: xtr },
            epochs: c.epochs,
            batchSize: c.batchSize,
            rng: trainRng,
            progress: 'none',
            loss: ({ batch }) => autoencoderLoss(ae, batch!.x),
          });
          return tf.tidy(() => mse(ae.apply(xte), xte).dataSync()[0]);
        } finally {
          opt.dispose();
          ae.params.forEach((v) => v.dispose());
        }
      });
      rows[key].push(testMse);
    }
    res.log(
      `latent ${k}: test MSE PCA ${rows.pca.at(-1)!.toExponential(3)}, linear AE ${rows.linearAe.at(-1)!.toExponential(3)}, dense AE ${rows.denseAe.at(-1)!.toExponential(3)}`,
    );
  }
  metrics.latents = c.latents;
  metrics.testMse = rows;
  tf.dispose([mean, xtr, xte]);
  const report = new Report('PCA and autoencoders on oscillator windows');
  report.section('Explained variance').figure(
    lineFigure(
      [
        {
          name: 'cumulative ratio',
          y: Array.from(full.explainedVarianceRatio).map((_, i, a) => a.slice(0, i + 1).reduce((s, v) => s + v, 0)),
          mode: 'lines+markers',
        },
      ],
      { xLabel: 'components - 1', yLabel: 'explained variance' },
    ),
  );
  report.section('Reconstruction vs latent size').figure(
    lineFigure(
      Object.entries(rows).map(([name, y]) => ({ name, x: c.latents, y, mode: 'lines+markers' as const })),
      { yScale: 'log', xLabel: 'latent size', yLabel: 'test MSE' },
    ),
  );
  res.finish(c, metrics, report);
  return metrics;
}

runIfMain(module, run);
