/**
 * Ising phase classification with a CNN (course: CNNs on phase-transition images, Carrasquilla &
 * Melko 2017). 2D Ising configurations from Metropolis below and above T_c = 2/ln(1+sqrt 2) ~ 2.269
 * are labelled ordered (T < T_c) or disordered; a LeNet-style CNN learns the phase. Test
 * configurations come from independent Markov chains; the headline accuracy is on temperatures away
 * from T_c, and the accuracy per temperature (including near T_c) shows where it gets hard.
 *
 *   npx ts-node experiments/nn/ising-cnn.ts [--quick] [--seed n] [--out dir]
 */
import { tf, Rng, adam } from '@aml/core';
import { sampleIsing, isingToFloat } from '@aml/data';
import { lenet, softmaxCrossEntropy, accuracyFromLogits } from '@aml/nn';
import { Report, lineFigure, imageGridFigure } from '@aml/plot';
import { type RunOptions, Results, ensureBackend, runIfMain } from '../common';

/** Critical temperature of the infinite 2D Ising model (Onsager). */
export const TC = 2 / Math.log(1 + Math.SQRT2);

/** Settings of the experiment. */
export interface IsingCnnConfig {
  /** Lattice size L. */
  readonly L: number;
  /** Temperatures used for training and the away-from-T_c test. */
  readonly temperatures: readonly number[];
  /** Extra test temperatures near T_c (reported separately). */
  readonly nearTc: readonly number[];
  /** Configurations per temperature for training / testing. */
  readonly trainPerT: number;
  readonly testPerT: number;
  /** Metropolis thermalisation and thinning sweeps. */
  readonly thermalisation: number;
  readonly thin: number;
  /** Training epochs, batch size and Adam learning rate. */
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
}

/** The full-run settings, or smoke-size ones with `quick` (tests, CI). */
export function config(quick: boolean): IsingCnnConfig {
  return quick
    ? {
        L: 8,
        temperatures: [1.5, 3.5],
        nearTc: [2.3],
        trainPerT: 16,
        testPerT: 8,
        thermalisation: 100,
        thin: 2,
        epochs: 2,
        batchSize: 16,
        lr: 3e-3,
      }
    : {
        L: 16,
        temperatures: [1.0, 1.4, 1.8, 2.0, 2.6, 2.8, 3.2, 3.6],
        nearTc: [2.1, 2.2, 2.3, 2.4, 2.5],
        trainPerT: 100,
        testPerT: 50,
        thermalisation: 1000,
        thin: 10,
        epochs: 15,
        batchSize: 32,
        lr: 2e-3,
      };
}

/** Configurations at each temperature, images (n, L, L, 1) and labels (1 = ordered). */
function dataset(c: IsingCnnConfig, temps: readonly number[], perT: number, rng: Rng) {
  const L = c.L;
  const x = new Float32Array(temps.length * perT * L * L);
  const y = new Int32Array(temps.length * perT);
  temps.forEach((T, k) => {
    // each temperature gets its own chain, seeded from the experiment's generator
    const s = sampleIsing(
      { L, temperature: T, nSamples: perT, thermalisation: c.thermalisation, thin: c.thin },
      rng.fork(),
    );
    x.set(isingToFloat(s.spins), k * perT * L * L);
    y.fill(T < TC ? 1 : 0, k * perT, (k + 1) * perT);
  });
  return { x, y, n: y.length };
}

/** Run the experiment: generate the data, train, evaluate, write results/<name>/ and return the metrics. */
export async function run(o: RunOptions = {}) {
  await ensureBackend();
  const c = config(Boolean(o.quick));
  const res = new Results('ising-cnn', o, c);
  const rng = new Rng(o.seed ?? 1);
  const t0 = Date.now();
  const tr = dataset(c, c.temperatures, c.trainPerT, rng);
  const te = dataset(c, c.temperatures, c.testPerT, rng);
  const near = dataset(c, c.nearTc, c.testPerT, rng);
  res.log(
    `Metropolis: ${tr.n + te.n + near.n} configurations of ${c.L}x${c.L} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  const net = lenet(
    { inputShape: [c.L, c.L, 1], classes: 2, channels: [8, 16], kernelSize: 3, hidden: [32] },
    rng.fork(),
  );
  const xs = tf.tensor4d(tr.x, [tr.n, c.L, c.L, 1]);
  const ys = tf.tensor1d(tr.y, 'int32');
  const opt = adam({ learningRate: c.lr });
  const t1 = Date.now();
  const hist = await res.train('model', {
    params: net.params,
    optimizer: opt,
    data: { x: xs, y: ys },
    epochs: c.epochs,
    batchSize: c.batchSize,
    rng: rng.fork(),
    loss: ({ batch }) => softmaxCrossEntropy(net.apply(batch!.x, { training: true }), batch!.y),
  });
  const trainSeconds = (Date.now() - t1) / 1000;
  const evalAcc = (d: { x: Float32Array; y: Int32Array; n: number }) =>
    tf.tidy(() => accuracyFromLogits(net.apply(tf.tensor4d(d.x, [d.n, c.L, c.L, 1])), tf.tensor1d(d.y, 'int32')));
  const perT = (d: ReturnType<typeof dataset>, temps: readonly number[], per: number) =>
    Object.fromEntries(
      temps.map((T, k) => [
        `T=${T}`,
        evalAcc({
          x: d.x.subarray(k * per * c.L * c.L, (k + 1) * per * c.L * c.L),
          y: d.y.subarray(k * per, (k + 1) * per),
          n: per,
        }),
      ]),
    );
  const metrics = {
    testAccuracyAwayFromTc: evalAcc(te),
    trainAccuracy: evalAcc(tr),
    accuracyNearTc: evalAcc(near),
    accuracyByTemperature: { ...perT(te, c.temperatures, c.testPerT), ...perT(near, c.nearTc, c.testPerT) },
    finalLoss: hist.loss[hist.loss.length - 1],
    trainSeconds,
    trainSamplesPerSecond: (tr.n * c.epochs) / trainSeconds,
  };
  res.log(
    `test accuracy away from Tc ${metrics.testAccuracyAwayFromTc.toFixed(4)}, near Tc ${metrics.accuracyNearTc.toFixed(4)}`,
  );
  const report = new Report('Ising phase classification with a CNN');
  report.text(`L=${c.L}; ordered (T < ${TC.toFixed(3)}) vs disordered; Metropolis configurations; LeNet-style CNN.`);
  report
    .section('Training')
    .figure(lineFigure([{ name: 'loss', y: hist.loss }], { yScale: 'log', xLabel: 'step' }), 'cross-entropy per step');
  report.section('Samples').figure(
    imageGridFigure(
      c.temperatures.map((T, k) => ({
        pixels: Array.from(te.x.subarray(k * c.testPerT * c.L * c.L, (k * c.testPerT + 1) * c.L * c.L)),
        height: c.L,
        width: c.L,
        caption: `T=${T}`,
      })),
      { columns: 4 },
    ),
    'one test configuration per temperature',
  );
  res.finish(c, metrics, report);
  tf.dispose([xs, ys]);
  opt.dispose();
  for (const v of net.params) v.dispose();
  return metrics;
}

runIfMain(module, run);
