/**
 * Ising configurations on a small periodic lattice at several temperatures, learned by an RBM
 * (PCD), a Bernoulli VAE and a DDPM (on spins +-1, read out by sign), and compared with fresh
 * Metropolis samples on the physics observables: <|m|> and <E>/N, and the total-variation distance
 * between their histograms (course weeks 11-15; data from @aml/data's Metropolis generator).
 *
 *   npx ts-node experiments/generative/ising-models.ts [--quick] [--seed n] [--out dir]
 */
import { adam, Rng, tf } from '@aml/core';
import { isingToFloat, sampleIsing } from '@aml/data';
import {
  compareIsingObservables, contrastiveDivergence, createRbm, ddpmStep, disposeRbm, gibbsSample, isingObservables,
  mlpDenoiser, mlpVae, noiseSchedule, sampleDdim, sampleVae, toSpins, vaeStep, type IsingObservables,
} from '@aml/generative';
import { imageGridFigure, lineFigure, Report } from '@aml/plot';
import { ensureBackend, Results, runIfMain, type RunOptions } from '../common';

/** The models compared. */
export type Model = 'RBM' | 'VAE' | 'DDPM';

/** Experiment settings. */
export interface IsingModelsConfig {
  /** Lattice size L (L*L visible units). */
  readonly L: number;
  /** Temperatures (T_c ~ 2.269). */
  readonly temperatures: readonly number[];
  /** Training configurations per temperature, and fresh reference / model samples. */
  readonly trainSize: number;
  readonly evalSize: number;
  /** Metropolis thermalisation and thinning (sweeps). */
  readonly thermalisation: number;
  readonly thin: number;
  /** Updates per model, batch size. */
  readonly steps: number;
  readonly batchSize: number;
  /** RBM hidden units, PCD Gibbs steps per update and Gibbs steps when sampling. */
  readonly rbmHidden: number;
  readonly rbmK: number;
  readonly rbmSampleSteps: number;
  /** VAE and denoiser hidden widths, VAE latent size. */
  readonly hidden: readonly number[];
  readonly latentSize: number;
  /** Diffusion steps T (cosine) and DDIM steps. */
  readonly T: number;
  readonly ddimSteps: number;
  /** Adam learning rate of the RBM (PCD needs a larger step than the networks: 1e-3 left T = 3 at 43% energy error). */
  readonly rbmLr: number;
  /** Models to run (default all three). */
  readonly models?: readonly Model[];
}

export function config(quick: boolean): IsingModelsConfig {
  return quick
    ? { L: 4, temperatures: [1.5], trainSize: 64, evalSize: 32, thermalisation: 50, thin: 2, steps: 3, batchSize: 16, rbmHidden: 8, rbmK: 1, rbmSampleSteps: 5, hidden: [16], latentSize: 2, T: 20, ddimSteps: 5, rbmLr: 1e-3 }
    : { L: 8, temperatures: [1.8, 2.27, 3.0], trainSize: 4000, evalSize: 2000, thermalisation: 1000, thin: 10, steps: 2000, batchSize: 128, rbmHidden: 64, rbmK: 5, rbmSampleSteps: 1000, hidden: [256, 256], latentSize: 16, T: 200, ddimSteps: 50, rbmLr: 5e-3 };
}


/** Train one model on spins (n, N) in +-1 and return its samples as spins (evalSize, N). */
function trainAndSample(model: Model, spins: Float32Array, c: IsingModelsConfig, rng: Rng): Int8Array {
  const N = c.L * c.L;
  const n = spins.length / N;
  const binary = Float32Array.from(spins, (s) => (s + 1) / 2);
  const data = tf.tensor2d(model === 'DDPM' ? spins : binary, [n, N]);
  const batch = () => tf.tidy(() => tf.gather(data, tf.tensor1d(Int32Array.from({ length: c.batchSize }, () => rng.int(n)), 'int32'))) as tf.Tensor2D;
  const loop = (step: (x: tf.Tensor2D) => void) => {
    for (let t = 0; t < c.steps; t++) {
      const x = batch();
      step(x);
      x.dispose();
    }
  };
  let out: Int8Array;
  if (model === 'RBM') {
    const rbm = createRbm({ kind: 'binary', nVisible: N, nHidden: c.rbmHidden }, rng);
    const cd = contrastiveDivergence(rbm, { k: c.rbmK, method: 'pcd' });
    const opt = adam({ learningRate: c.rbmLr });
    loop((x) => cd.step(x, opt, rng));
    const v0 = tf.tidy(() => tf.randomUniform([c.evalSize, N], 0, 1, 'float32', rng.seed()).round()) as tf.Tensor2D;
    const v = gibbsSample(rbm, v0, c.rbmSampleSteps, rng);
    out = toSpins(v.dataSync(), 'binary');
    [v0, v].forEach((t) => t.dispose());
    cd.dispose();
    opt.dispose();
    disposeRbm(rbm);
  } else if (model === 'VAE') {
    const vae = mlpVae({ inputSize: N, hidden: c.hidden, latentSize: c.latentSize, likelihood: 'bernoulli' }, rng);
    const opt = adam({ learningRate: 1e-3 });
    loop((x) => vaeStep(vae, x, opt, rng));
    const s = sampleVae(vae, c.evalSize, rng, 'sample');
    out = toSpins(s.dataSync(), 'binary');
    s.dispose();
    opt.dispose();
    vae.params.forEach((p) => p.dispose());
  } else {
    const net = mlpDenoiser({ dataSize: N, hidden: c.hidden }, rng);
    const sched = noiseSchedule({ kind: 'cosine', T: c.T });
    const opt = adam({ learningRate: 1e-3 });
    loop((x) => ddpmStep(net, sched, x, opt, rng));
    const s = sampleDdim(net, sched, [c.evalSize, N], c.ddimSteps, rng, 0, { clip: 1 });
    out = toSpins(s.dataSync(), 'pm1');
    s.dispose();
    opt.dispose();
    net.params.forEach((p) => p.dispose());
  }
  data.dispose();
  return out;
}

export async function run(o: RunOptions & { override?: Partial<IsingModelsConfig> } = {}) {
  await ensureBackend();
  const c = { ...config(!!o.quick), ...o.override };
  const res = new Results('ising-models', o);
  const rng = new Rng(o.seed ?? 1);
  const report = new Report('Ising lattice: RBM, VAE and DDPM vs Metropolis');
  report.text(`L = ${c.L} periodic lattice, J = 1. Training data and an independent reference set from single-spin Metropolis. Relative errors of <|m|> and <E>/N against the reference, and total-variation distances between histograms.`);
  type Row = { model: string; absM: number; energy: number; absMRelErr: number; energyRelErr: number; absMTV: number; energyTV: number };
  const results: Record<string, Row[]> = {};
  for (const T of c.temperatures) {
    const mc = (n: number) => sampleIsing({ L: c.L, temperature: T, nSamples: n, thermalisation: c.thermalisation, thin: c.thin }, rng.fork());
    const train = isingToFloat(mc(c.trainSize).spins);
    const ref = isingObservables(mc(c.evalSize).spins, c.L);
    const rows: Row[] = [];
    const trainObs = isingObservables(train, c.L);
    const add = (name: string, obs: IsingObservables) => {
      const d = compareIsingObservables(obs, ref);
      rows.push({ model: name, absM: obs.absMagnetisation, energy: obs.energy, absMRelErr: d.absMagnetisationRelErr, energyRelErr: d.energyRelErr, absMTV: d.absMagnetisationTV, energyTV: d.energyTV });
    };
    add('Metropolis (training set)', trainObs);
    res.log(`T = ${T}: reference <|m|> ${ref.absMagnetisation.toFixed(4)}, <E>/N ${ref.energy.toFixed(4)}`);
    const hist: { name: string; values: number[] }[] = [];
    const grids: Int8Array[] = [];
    for (const model of c.models ?? (['RBM', 'VAE', 'DDPM'] as const)) {
      const t0 = Date.now();
      const s = trainAndSample(model, train, c, rng.fork());
      const obs = isingObservables(s, c.L);
      add(model, obs);
      const r = rows[rows.length - 1];
      res.log(`T = ${T} ${model}: <|m|> ${obs.absMagnetisation.toFixed(4)} (${(100 * r.absMRelErr).toFixed(1)}%), <E>/N ${obs.energy.toFixed(4)} (${(100 * r.energyRelErr).toFixed(1)}%), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      hist.push({ name: model, values: obs.energyHist });
      grids.push(s.subarray(0, 4 * c.L * c.L));
    }
    results[`T=${T}`] = rows;
    report.section(`T = ${T}`);
    report.table({
      columns: ['model', '<|m|>', '<E>/N', 'rel. err |m|', 'rel. err E', 'TV |m| hist', 'TV E hist'],
      rows: [['Metropolis (reference)', ref.absMagnetisation, ref.energy, 0, 0, 0, 0], ...rows.map((r) => [r.model, r.absM, r.energy, r.absMRelErr, r.energyRelErr, r.absMTV, r.energyTV])],
    });
    const centres = ref.energyHist.map((_, b) => -2 + (4 * (b + 0.5)) / ref.energyHist.length);
    report.figure(lineFigure([{ name: 'Metropolis', values: ref.energyHist }, ...hist].map((h) => ({ name: h.name, x: centres, y: h.values })), { title: `T = ${T}: histogram of E/N`, xLabel: 'E/N', yLabel: 'fraction' }));
    const imgs = grids.flatMap((g, k) => Array.from({ length: 4 }, (_, i) => ({ pixels: Array.from(g.subarray(i * c.L * c.L, (i + 1) * c.L * c.L)), height: c.L, width: c.L, caption: ['RBM', 'VAE', 'DDPM'][k] })));
    report.figure(imageGridFigure(imgs, { columns: 4, title: `T = ${T}: samples (rows: RBM, VAE, DDPM)` }));
  }
  const models = Object.values(results).flatMap((r) => r.filter((x) => !x.model.startsWith('Metropolis')));
  const worst = {
    absMRelErr: Math.max(...models.map((r) => r.absMRelErr)),
    energyRelErr: Math.max(...models.map((r) => r.energyRelErr)),
  };
  return res.finish(c, { results, worst }, report);
}

runIfMain(module, run);
