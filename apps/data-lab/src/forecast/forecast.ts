import * as path from 'node:path';
import { Rng } from '@aml/core';
import { type Table, timeSeriesSplit } from '@aml/data';
import { lineFigure, Report } from '@aml/plot';
import type { AnalyzeOptions } from '../cli/options';
import { writeJson } from '@aml/core/node';
import type { RunContext } from '../run/context';
import type { Checkpoint, FoldEntry } from '../run/checkpoint';
import { takeRows } from '../analyze/cv';
import { settingsFrom } from '../cli/settings';
import { meanStd, regressionScores } from '../models/metrics';
import type { LearningCurve, SavedModel } from '../models/model';
import { FORECAST_MODELS } from '../models/registry';
import { saveModels } from '../models/store';
import { toSeries, windowsOf } from './series';

/** A forecast's series and window, checked before anything is written. */
export interface ForecastPlan {
  readonly series: ReturnType<typeof toSeries>;
  readonly window: number;
}

/** Pre-flight checks of a forecast: a time column, a target that varies, enough windows for the folds. */
export function forecastPlan(t: Table, o: AnalyzeOptions): ForecastPlan {
  if (!o.time) throw new Error('--task forecast needs --time <column> (the column to order rows by)');
  const series = toSeries(t, o.time, o.target);
  const T = series.values.length;
  const window = o.window ?? Math.max(2, Math.min(24, Math.floor(T / 5)));
  if (window + o.folds + 1 > T)
    throw new Error(
      `--window ${window} leaves too few windows in ${T} rows for ${o.folds} folds; lower --window or --folds`,
    );
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of series.values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === hi)
    throw new Error(
      `target '${o.target}' has the same value (${lo}) in all ${T} rows: there is nothing to forecast; choose another --target`,
    );
  return { series, window };
}

/** Mean and std of values[0..end) (the training span of a fold). */
function spanStats(v: Float64Array, end: number): { mean: number; std: number } {
  const s = meanStd(Array.from(v.subarray(0, end)));
  return { mean: s.mean, std: s.std || 1 };
}

/**
 * Forecast task: one-step-ahead forecasts from a window of past values, compared by forward-chaining
 * cross-validation (each fold trains on the past only). The series is standardised with statistics of the
 * training span of each fold. Models: naive (last value), ridge on the window, MLP, LSTM.
 * Every finished fold/model and final fit is saved in `checkpoint` and skipped when the run is resumed (the
 * generators are drawn all the same), so a resumed run ends with the results of an uninterrupted one.
 */
export async function runForecast(
  plan: ForecastPlan,
  o: AnalyzeOptions,
  dir: string,
  run: RunContext,
  checkpoint: Checkpoint,
) {
  const { series: s, window } = plan;
  if (s.filled) run.log(`${s.filled} missing values of '${o.target}' forward-filled`);
  const T = s.values.length;
  const settings = settingsFrom(o);
  const fitSettings = { ...settings, onStep: run.onStep, poll: run.poll };
  const models = FORECAST_MODELS;
  const nWin = T - window;
  const splits = timeSeriesSplit(nWin, o.folds);
  const total = models.reduce(
    (acc, m) =>
      acc +
      splits.reduce((a, sp) => a + m.steps(sp.train.length, settings, 'regression'), 0) +
      m.steps(nWin, settings, 'regression'),
    0,
  );
  const start = models.reduce(
    (acc, m) =>
      acc +
      splits.reduce(
        (a, sp, f) => a + (checkpoint.hasFold(f, m.name) ? m.steps(sp.train.length, settings, 'regression') : 0),
        0,
      ) +
      (checkpoint.done.final.includes(m.name) ? m.steps(nWin, settings, 'regression') : 0),
    0,
  );
  run.startProgress(total, start);
  const rng = new Rng(o.seed);
  const perFold: Record<string, Record<string, number>>[] = [];
  const curves: Record<string, LearningCurve> = {};
  const oof: Record<string, Float64Array> = Object.fromEntries(
    models.map((m) => [m.name, new Float64Array(nWin).fill(NaN)]),
  );
  const seconds: Record<string, number> = Object.fromEntries(models.map((m) => [m.name, 0]));
  const final: Record<string, SavedModel> = {};
  let finalStats = { mean: 0, std: 1 };
  try {
    for (const [f, sp] of splits.entries()) {
      // Windows whose target lies in the training span; the statistics come from that span only.
      const all0 = windowsOf(s.values, window, 0, 1);
      const trainEnd = all0.targetIndex[sp.train[sp.train.length - 1]] + 1;
      const st = spanStats(s.values, trainEnd);
      const w = windowsOf(s.values, window, st.mean, st.std);
      const Xtr = takeRows(w.X, sp.train);
      const Xva = takeRows(w.X, sp.val);
      const ytr = Float64Array.from(sp.train, (i) => w.y[i]);
      const yva = Float64Array.from(sp.val, (i) => w.y[i]);
      const fold: Record<string, Record<string, number>> = {};
      /** Fit one model on this fold's past, score it on the next span, save it in the checkpoint. */
      const fitOne = async (spec: (typeof models)[number], createRng: Rng, fitRng: Rng): Promise<FoldEntry> => {
        const t0 = performance.now();
        const m = spec.create('regression', window, 0, fitSettings, createRng);
        try {
          const curve = await m.fit({ X: Xtr, y: ytr, val: { X: Xva, y: yva } }, fitRng);
          const pred = Float64Array.from(m.predict(Xva), (v) => v * st.std + st.mean);
          const truth = Float64Array.from(yva, (v) => v * st.std + st.mean);
          const entry = {
            scores: regressionScores(truth, pred),
            curve,
            seconds: (performance.now() - t0) / 1000,
            pred,
          };
          checkpoint.saveFold(f, spec.name, entry);
          return entry;
        } finally {
          m.dispose();
        }
      };
      for (const spec of models) {
        const createRng = rng.fork();
        const fitRng = rng.fork(); // drawn even when the fit is skipped, so a resumed run sees the same streams
        await run.poll();
        const done = checkpoint.fold(f, spec.name) ?? (await fitOne(spec, createRng, fitRng));
        if (f === 0) curves[spec.name] = done.curve;
        fold[spec.name] = { ...done.scores };
        sp.val.forEach((i, k) => (oof[spec.name][i] = done.pred[k]));
        seconds[spec.name] += done.seconds;
      }
      for (const spec of models) fold[spec.name].skill = 1 - fold[spec.name].rmse / fold.naive.rmse;
      run.log(
        `fold ${f + 1}/${splits.length}: ${models.map((m) => `${m.name} rmse ${fold[m.name].rmse.toPrecision(4)}`).join(', ')}`,
      );
      perFold.push(fold);
    }
    // Final models on every window, standardised with the whole series.
    finalStats = spanStats(s.values, T);
    const w = windowsOf(s.values, window, finalStats.mean, finalStats.std);
    for (const spec of models) {
      const createRng = rng.fork();
      const fitRng = rng.fork(); // drawn even when the fit is skipped
      const saved = checkpoint.final(spec.name);
      if (saved) {
        final[spec.name] = saved;
        continue;
      }
      await run.poll();
      const m = spec.create('regression', window, 0, fitSettings, createRng);
      try {
        await m.fit({ X: w.X, y: w.y }, fitRng);
        final[spec.name] = m.save();
        checkpoint.saveFinal(spec.name, final[spec.name]);
      } finally {
        m.dispose();
      }
    }
  } finally {
    run.stopProgress();
  }
  const summary = Object.fromEntries(
    models.map((m) => [
      m.name,
      Object.fromEntries(['rmse', 'mae', 'r2', 'skill'].map((k) => [k, meanStd(perFold.map((f) => f[m.name][k]))])),
    ]),
  );
  const scores = Object.fromEntries(models.map((m) => [m.name, summary[m.name].rmse.mean]));
  const best = models.reduce((b, m) => (scores[m.name] < scores[b.name] ? m : b)).name;
  saveModels(path.join(dir, 'model'), {
    version: 1,
    task: 'forecast',
    target: o.target,
    time: o.time,
    window,
    scaler: finalStats,
    best,
    models: final,
  });
  const r = new Report(`data-lab forecast: ${o.target} over ${o.time}`);
  r.text(
    `${T} rows, one-step-ahead forecasts from windows of ${window} past values; ${o.folds} forward-chaining folds (training only on the past), standardisation fitted on each fold's training span. Skill = 1 - RMSE / RMSE(naive).`,
  );
  r.section('Scores').table(
    {
      columns: ['model', 'rmse mean', 'rmse std', 'mae mean', 'skill mean', 'seconds'],
      rows: models.map((m) => [
        m.name,
        summary[m.name].rmse.mean,
        summary[m.name].rmse.std,
        summary[m.name].mae.mean,
        summary[m.name].skill.mean,
        seconds[m.name],
      ]),
    },
    `best: ${best}`,
  );
  const tIdx = Array.from({ length: nWin }, (_, i) => i + window);
  r.figure(
    lineFigure(
      [
        { name: 'observed', x: Array.from(s.time), y: s.values },
        ...models.map((m) => ({
          name: `${m.name} (out-of-fold)`,
          x: tIdx.map((i) => s.time[i]),
          y: oof[m.name],
          dash: 'dot',
        })),
      ],
      {
        title: 'series and out-of-fold one-step forecasts',
        xLabel: o.time,
        yLabel: o.target,
        xScale: s.isDate ? 'date' : 'linear',
      },
    ),
  );
  r.figure(
    lineFigure(
      models.map((m) => ({
        name: m.name,
        x: perFold.map((_, f) => f + 1),
        y: perFold.map((f) => f[m.name].rmse),
        mode: 'lines+markers' as const,
      })),
      { title: 'RMSE per fold', xLabel: 'fold', yLabel: 'rmse' },
    ),
  );
  r.section('Learning curves (fold 1)');
  for (const m of models) {
    const c = curves[m.name];
    if (c && c.train.length)
      r.figure(
        lineFigure(
          [
            { name: 'train', y: c.train },
            { name: 'validation', y: c.val, dash: 'dash' },
          ],
          { title: `${m.name}: MSE per epoch`, xLabel: 'epoch', yScale: 'log' },
        ),
      );
  }
  r.write(dir);
  // metrics.json last: its status 'completed' means every other file is in place.
  writeJson(path.join(dir, 'metrics.json'), {
    task: 'forecast',
    target: o.target,
    time: o.time,
    rows: T,
    filled: s.filled,
    window,
    folds: o.folds,
    seed: o.seed,
    status: 'completed',
    primary: 'rmse',
    best,
    models: summary,
    modelSeconds: seconds,
    perFold,
  });
  run.log(`${models.map((m) => `${m.name} rmse ${scores[m.name].toFixed(4)}`).join(', ')}; best ${best}; wrote ${dir}`);
  return { dir, task: 'forecast', best, scores, primary: 'rmse' };
}
