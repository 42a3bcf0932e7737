/**
 * Forced damped oscillator x'' + 2 gamma x' + x = F cos(Omega t) (gamma 0.2, Omega 0.5, F 1,
 * x0 1, v0 0; course weeks 6 and 9), integrated with RK4 (dt 0.001) and sampled every `every`
 * steps. RNN, LSTM and GRU forecasters read a window of past positions and predict the next one;
 * the first 75% of the series trains, the last 25% tests. Reported on the test part: one-step
 * forecasts (every window from true data) and a recursive forecast (predictions fed back) with
 * MSE, RMSE, MAE and R^2.
 *
 *   npx ts-node experiments/nn/oscillator-rnn.ts [--quick]
 */
import { tf, Rng, adam } from '@aml/core';
import { dampedOscillator } from '@aml/data';
import { sequenceRegressor, slidingWindows, windowTensors, forecastRecursive, mse, type CellKind } from '@aml/nn';
import { Report, lineFigure } from '@aml/plot';
import { type RunOptions, Results, ensureBackend, regressionMetrics, runIfMain } from '../common';

/** Settings of the experiment. */
export interface OscillatorRnnConfig {
  readonly gamma: number;
  readonly omega: number;
  readonly F: number;
  /** Final time and RK4 step. */
  readonly t1: number;
  readonly dt: number;
  /** Keep every `every`-th RK4 point (the model's time step is every*dt). */
  readonly every: number;
  /** Window length, hidden units, stacked layers. */
  readonly window: number;
  readonly hidden: number;
  readonly layers: number;
  /** Training epochs, batch size, Adam learning rate. */
  readonly epochs: number;
  readonly batchSize: number;
  readonly lr: number;
  /** Models compared. */
  readonly cells: readonly CellKind[];
}

/** The full-run settings, or smoke-size ones with `quick` (tests, CI). */
export function config(quick: boolean): OscillatorRnnConfig {
  const base = { gamma: 0.2, omega: 0.5, F: 1, dt: 0.001, cells: ['rnn', 'lstm', 'gru'] as CellKind[] };
  return quick
    ? { ...base, t1: 20, every: 200, window: 10, hidden: 8, layers: 1, epochs: 2, batchSize: 16, lr: 5e-3 }
    : { ...base, t1: 60, every: 100, window: 20, hidden: 32, layers: 2, epochs: 60, batchSize: 32, lr: 3e-3 };
}

/** Run the experiment: generate the data, train, evaluate, write results/<name>/ and return the metrics. */
export async function run(o: RunOptions & { cells?: readonly CellKind[] } = {}) {
  await ensureBackend();
  const c = { ...config(Boolean(o.quick)), ...(o.cells ? { cells: o.cells } : {}) };
  const res = new Results('oscillator-rnn', o, c);
  const rng = new Rng(o.seed ?? 1);
  const traj = dampedOscillator({
    gamma: c.gamma,
    omega0: 1,
    driveAmplitude: c.F,
    driveFrequency: c.omega,
    x0: 1,
    v0: 0,
    t1: c.t1,
    steps: Math.round(c.t1 / c.dt),
  });
  const series = Float32Array.from(
    { length: Math.floor((traj.x.length - 1) / c.every) + 1 },
    (_, i) => traj.x[i * c.every],
  );
  const nTrain = Math.floor(series.length * 0.75);
  const trW = slidingWindows(series.subarray(0, nTrain), { window: c.window });
  // test windows predict every point after nTrain from the true history
  const teW = slidingWindows(series.subarray(nTrain - c.window), { window: c.window });
  const tr = windowTensors(trW),
    te = windowTensors(teW);
  res.log(`series of ${series.length} points (dt ${c.dt * c.every}); ${trW.n} training and ${teW.n} test windows`);
  const metrics: Record<string, unknown> = {};
  const curves: { name: string; y: number[] }[] = [];
  const truth = Array.from(teW.y);
  const forecasts: { name: string; x: number[]; y: number[] }[] = [
    { name: 'truth', x: truth.map((_, i) => i), y: truth },
  ];
  for (const kind of c.cells) {
    // each cell is one part: a resumed run keeps the cells finished before the interruption
    const [initRng, trainRng] = [rng.fork(), rng.fork()];
    const done = await res.part(kind, async () => {
      const model = sequenceRegressor(
        { cell: kind, inputSize: 1, hidden: c.hidden, layers: c.layers, outputSize: 1 },
        initRng,
      );
      const opt = adam({ learningRate: c.lr });
      try {
        const t0 = Date.now();
        const hist = await res.train(kind, {
          params: model.params,
          optimizer: opt,
          data: { x: tr.x, y: tr.y },
          epochs: c.epochs,
          batchSize: c.batchSize,
          rng: trainRng,
          progress: 'none',
          loss: ({ batch }) => mse(model.apply(batch!.x), batch!.y),
        });
        const seconds = (Date.now() - t0) / 1000;
        const oneStep = tf.tidy(() => model.apply(te.x).dataSync());
        const recursive = forecastRecursive(model, series.subarray(nTrain - c.window, nTrain), c.window, teW.n);
        return {
          metrics: {
            oneStep: regressionMetrics(oneStep, truth),
            recursive: regressionMetrics(recursive, truth),
            trainSeconds: seconds,
            trainSamplesPerSecond: (trW.n * c.epochs) / seconds,
          },
          epochLoss: hist.epochLoss,
          recursive: Array.from(recursive),
        };
      } finally {
        opt.dispose();
        model.params.forEach((v) => v.dispose());
      }
    });
    metrics[kind] = done.metrics;
    res.log(
      `${kind}: one-step R^2 ${done.metrics.oneStep.r2.toFixed(4)}, recursive R^2 ${done.metrics.recursive.r2.toFixed(4)} (${done.metrics.trainSeconds.toFixed(1)} s)`,
    );
    curves.push({ name: kind, y: done.epochLoss });
    forecasts.push({ name: `${kind} recursive`, x: truth.map((_, i) => i), y: done.recursive });
  }
  tf.dispose([tr.x, tr.y, te.x, te.y]);
  const report = new Report('Forced damped oscillator: RNN vs LSTM vs GRU');
  report.text(
    `x'' + 2*${c.gamma} x' + x = ${c.F} cos(${c.omega} t), RK4 dt=${c.dt}, sampled every ${c.every} steps; window ${c.window}; 75/25 chronological split.`,
  );
  report.section('Training').figure(lineFigure(curves, { yScale: 'log', xLabel: 'epoch', yLabel: 'MSE' }));
  report
    .section('Recursive forecast on the test part')
    .figure(lineFigure(forecasts, { xLabel: 'test step', yLabel: 'x' }));
  res.finish(c, metrics, report);
  return metrics;
}

runIfMain(module, run);
