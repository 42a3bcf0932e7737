/**
 * Ising configurations on a small periodic lattice at several temperatures, learned by an RBM
 * (PCD), a Bernoulli VAE and a DDPM (on spins +-1, read out by sign), and compared with fresh
 * Metropolis samples on the physics observables: <|m|> and <E>/N, and the total-variation distance
 * between their histograms (course weeks 11-15; data from @aml/data's Metropolis generator). With the
 * RBM, the exact RBM of the model (isingRbm) sampled by the same Gibbs sweeps is a row too: the sampling check.
 *
 *   npx ts-node experiments/generative/ising-models.ts [--quick] [--seed n] [--out dir] [--only RBM,VAE,DDPM] [--temperatures 2.27,3]
 */
import { Rng } from '@aml/core';
import { isingToFloat, sampleIsing } from '@aml/data';
import { compareIsingObservables, isingObservables, type IsingObservables } from '@aml/generative';
import { imageGridFigure, lineFigure, Report } from '@aml/plot';
import { ensureBackend, Results, runIfMain, type RunOptions } from '../common';
import { ddpmSettings, learnDdpm, type DdpmSettings } from './ising/ddpm';
import { learnRbm, rbmSettings, sampleExactRbm, type RbmSettings } from './ising/rbm';
import { learnVae, vaeSettings, type VaeSettings } from './ising/vae';
import type { Fit, IsingTask } from './ising/shared';

/** The models compared. */
export type Model = 'RBM' | 'VAE' | 'DDPM';

/** Experiment settings. */
export interface IsingModelsConfig {
  /** Lattice size L (L*L spins). */
  readonly L: number;
  /** Temperatures (T_c ~ 2.269). */
  readonly temperatures: readonly number[];
  /** Training configurations per temperature, and fresh reference / model samples. */
  readonly trainSize: number;
  readonly evalSize: number;
  /** Metropolis thermalisation and thinning (sweeps). */
  readonly thermalisation: number;
  readonly thin: number;
  /** Each learner's settings (experiments/generative/ising/<model>.ts). */
  readonly rbm: RbmSettings;
  readonly vae: VaeSettings;
  readonly ddpm: DdpmSettings;
  /** Models to run (default all three). */
  readonly models?: readonly Model[];
}

export function config(quick: boolean): IsingModelsConfig {
  const sizes = quick
    ? { L: 4, temperatures: [1.5], trainSize: 64, evalSize: 32, thermalisation: 50, thin: 2 }
    : { L: 8, temperatures: [1.8, 2.27, 3.0], trainSize: 4000, evalSize: 2000, thermalisation: 1000, thin: 10 };
  return { ...sizes, rbm: rbmSettings(quick), vae: vaeSettings(quick), ddpm: ddpmSettings(quick) };
}

/** Train one model on the task's spins and return its samples as spins (evalSize, N). */
function trainAndSample(model: Model, task: IsingTask, c: IsingModelsConfig, rng: Rng, fit: Fit): Promise<Int8Array> {
  if (model === 'RBM') return learnRbm(task, c.rbm, rng);
  if (model === 'VAE') return learnVae(task, c.vae, rng, fit);
  return learnDdpm(task, c.ddpm, rng, fit);
}

/** A learner's updates through core's trainer as part `part` of the run (checkpoints, --resume, signals). */
const trainerFit =
  (res: Results, part: string): Fit =>
  async (job) =>
    res.train(
      part,
      {
        params: [...job.params],
        optimizers: job.optimizers,
        customStep: ({ step }) => job.step(step),
        steps: job.steps,
        rng: job.rng,
        nanGuard: false,
      },
      job.state,
    );

/** `--only RBM,DDPM`: the models to run. */
function parseModels(list: string): Model[] {
  const known: readonly Model[] = ['RBM', 'VAE', 'DDPM'];
  return list.split(',').map((m) => {
    const name = m.trim().toUpperCase() as Model;
    if (!known.includes(name))
      throw new Error(`--only: unknown model "${m}"; use a comma-separated list of ${known.join(', ')}`);
    return name;
  });
}

/** `--temperatures 1.8,2.27`: positive temperatures. */
function parseTemperatures(list: string): number[] {
  return list.split(',').map((t) => {
    const T = Number(t);
    if (!(T > 0))
      throw new Error(`--temperatures: "${t}" is not a positive number; use e.g. --temperatures 1.8,2.27,3`);
    return T;
  });
}

export async function run(o: RunOptions & { override?: Partial<IsingModelsConfig> } = {}) {
  await ensureBackend();
  const fromFlags: Partial<IsingModelsConfig> = {
    ...(o.only ? { models: parseModels(o.only) } : {}),
    ...(o.extra?.temperatures ? { temperatures: parseTemperatures(o.extra.temperatures) } : {}),
  };
  const c = { ...config(!!o.quick), ...fromFlags, ...o.override };
  const res = new Results('ising-models', o, c);
  const rng = new Rng(o.seed ?? 1);
  const report = new Report('Ising lattice: RBM, VAE and DDPM vs Metropolis');
  report.text(
    `L = ${c.L} periodic lattice, J = 1. Training data and an independent reference set from single-spin Metropolis. Relative errors of <|m|> and <E>/N against the reference, and total-variation distances between histograms.`,
  );
  type Row = {
    model: string;
    absM: number;
    energy: number;
    absMRelErr: number;
    energyRelErr: number;
    absMTV: number;
    energyTV: number;
  };
  const results: Record<string, Row[]> = {};
  for (const T of c.temperatures) {
    const mc = (n: number) =>
      sampleIsing({ L: c.L, temperature: T, nSamples: n, thermalisation: c.thermalisation, thin: c.thin }, rng.fork());
    const train = isingToFloat(mc(c.trainSize).spins);
    const ref = isingObservables(mc(c.evalSize).spins, c.L);
    const rows: Row[] = [];
    const trainObs = isingObservables(train, c.L);
    const add = (name: string, obs: IsingObservables) => {
      const d = compareIsingObservables(obs, ref);
      rows.push({
        model: name,
        absM: obs.absMagnetisation,
        energy: obs.energy,
        absMRelErr: d.absMagnetisationRelErr,
        energyRelErr: d.energyRelErr,
        absMTV: d.absMagnetisationTV,
        energyTV: d.energyTV,
      });
    };
    add('Metropolis (training set)', trainObs);
    res.log(`T = ${T}: reference <|m|> ${ref.absMagnetisation.toFixed(4)}, <E>/N ${ref.energy.toFixed(4)}`);
    const hist: { name: string; values: number[] }[] = [];
    const grids: Int8Array[] = [];
    for (const model of c.models ?? (['RBM', 'VAE', 'DDPM'] as const)) {
      const t0 = Date.now();
      // each (temperature, model) is one part: a resumed run keeps those finished before the interruption
      const modelRng = rng.fork();
      const part = `T=${T}-${model}`;
      const s = await res.part(part, () =>
        trainAndSample(
          model,
          { L: c.L, spins: train, evalSize: c.evalSize, temperature: T },
          c,
          modelRng,
          trainerFit(res, part),
        ),
      );
      const obs = isingObservables(s, c.L);
      add(model, obs);
      const r = rows[rows.length - 1];
      res.log(
        `T = ${T} ${model}: <|m|> ${obs.absMagnetisation.toFixed(4)} (${(100 * r.absMRelErr).toFixed(1)}%), <E>/N ${obs.energy.toFixed(4)} (${(100 * r.energyRelErr).toFixed(1)}%), ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );
      if (model === 'RBM') {
        // Sampling check on its own stream (seeded from T), so the other models' numbers do not move.
        const exact = isingObservables(
          sampleExactRbm(
            { L: c.L, spins: train, evalSize: c.evalSize, temperature: T },
            c.rbm,
            new Rng(Math.round(1000 * T) + (o.seed ?? 1)),
          ),
          c.L,
        );
        add('exact RBM (sampling check)', exact);
        const d = rows[rows.length - 1];
        res.log(
          `T = ${T} exact RBM, same Gibbs sweeps: <|m|> ${(100 * d.absMRelErr).toFixed(1)}%, <E>/N ${(100 * d.energyRelErr).toFixed(1)}%`,
        );
      }
      hist.push({ name: model, values: obs.energyHist });
      grids.push(s.subarray(0, 4 * c.L * c.L));
    }
    results[`T=${T}`] = rows;
    report.section(`T = ${T}`);
    report.table({
      columns: ['model', '<|m|>', '<E>/N', 'rel. err |m|', 'rel. err E', 'TV |m| hist', 'TV E hist'],
      rows: [
        ['Metropolis (reference)', ref.absMagnetisation, ref.energy, 0, 0, 0, 0],
        ...rows.map((r) => [r.model, r.absM, r.energy, r.absMRelErr, r.energyRelErr, r.absMTV, r.energyTV]),
      ],
    });
    const centres = ref.energyHist.map((_, b) => -2 + (4 * (b + 0.5)) / ref.energyHist.length);
    report.figure(
      lineFigure(
        [{ name: 'Metropolis', values: ref.energyHist }, ...hist].map((h) => ({
          name: h.name,
          x: centres,
          y: h.values,
        })),
        { title: `T = ${T}: histogram of E/N`, xLabel: 'E/N', yLabel: 'fraction' },
      ),
    );
    const imgs = grids.flatMap((g, k) =>
      Array.from({ length: 4 }, (_, i) => ({
        pixels: Array.from(g.subarray(i * c.L * c.L, (i + 1) * c.L * c.L)),
        height: c.L,
        width: c.L,
        caption: ['RBM', 'VAE', 'DDPM'][k],
      })),
    );
    report.figure(imageGridFigure(imgs, { columns: 4, title: `T = ${T}: samples (rows: RBM, VAE, DDPM)` }));
  }
  const models = Object.values(results).flatMap((r) =>
    r.filter((x) => !x.model.startsWith('Metropolis') && !x.model.startsWith('exact')),
  );
  const worst = {
    absMRelErr: models.reduce((m, r) => Math.max(m, r.absMRelErr), Number.NEGATIVE_INFINITY),
    energyRelErr: models.reduce((m, r) => Math.max(m, r.energyRelErr), Number.NEGATIVE_INFINITY),
  };
  return res.finish(c, { results, worst }, report);
}

runIfMain(module, run);
