import { type Figure, lineFigure, type Report, scatterFigure } from '@aml/plot';
import { meanStd } from '../models/metrics';
import type { ModelSpec } from '../models/model';
import type { CvResult } from './cv';
import { calibrationCurve } from './diagnostics';
import { pairedComparison } from './nested';

/** Integer ticks on the x axis (folds, epochs): plotly would otherwise label 1.5, 2.5, ... */
export function integerTicks(f: Figure): Figure {
  const layout = f.layout as Record<string, Record<string, unknown>>;
  return { ...f, layout: { ...f.layout, xaxis: { ...layout.xaxis, tickmode: 'linear', dtick: 1, tick0: 1 } } };
}

/** A log y axis labelled at 1, 2 and 5 times powers of ten only (plotly labels every minor tick of a short range). */
export function sparseLogTicks(f: Figure): Figure {
  const layout = f.layout as Record<string, Record<string, unknown>>;
  return { ...f, layout: { ...f.layout, yaxis: { ...layout.yaxis, dtick: 'D2' } } };
}

/** Per model: mean and std of the outer scores, paired difference from the best, seconds. Plain data for metrics.json. */
export function selectionSummary(cv: CvResult, names: readonly string[], primary: string, best: string) {
  const paired = pairedComparison(cv.folds, names, primary, best);
  const sel = cv.selection;
  return {
    primary,
    models: Object.fromEntries(
      names.map((n) => [
        n,
        {
          ...meanStd(cv.folds.map((f) => f.models[n].scores[primary])),
          pairedDiff: paired[n].diff,
          pairedSe: paired[n].se,
          seconds: cv.seconds[n],
          cpuSeconds: cv.cpuSeconds[n],
        },
      ]),
    ),
    chosen: sel?.chosen ?? [],
    chosenOuter: sel ? { ...meanStd(sel.outer), perFold: sel.outer } : null,
    hyperparameters: cv.folds.map((f) => Object.fromEntries(names.map((n) => [n, f.models[n].tuning ?? null]))),
  };
}

/**
 * Report sections of nested cross-validation: the outer scores with their spread and the paired difference from
 * the best model, the model and grid point chosen in each outer fold with its inner score, permutation importance
 * of the best model (mean and spread over folds and repeats), and a calibration plot (classification) or residuals
 * against prediction (regression) of its out-of-fold predictions.
 */
export function selectionSections(
  r: Report,
  cv: CvResult,
  models: readonly ModelSpec[],
  task: 'classification' | 'regression',
  best: string,
  inputs: readonly string[],
): void {
  const primary = task === 'classification' ? 'accuracy' : 'r2';
  const names = models.map((m) => m.name);
  const s = selectionSummary(cv, names, primary, best);
  r.section('Model choice (nested cross-validation)')
    .text(
      `In each of the ${cv.folds.length} outer folds every model's hyperparameters were chosen by inner cross-validation on that fold's ` +
        `training rows only, and the model with the best inner ${primary} was chosen; the outer fold's rows never entered either choice. ` +
        (s.chosenOuter
          ? `Outer ${primary} of the chosen model: ${s.chosenOuter.mean.toFixed(4)} ± ${s.chosenOuter.std.toFixed(4)} (the honest estimate of the whole procedure).`
          : ''),
    )
    .table(
      {
        columns: [
          'model',
          `${primary} mean`,
          `${primary} std`,
          `difference from ${best} (paired)`,
          'standard error',
          'seconds',
        ],
        rows: names.map((n) => [
          n,
          s.models[n].mean,
          s.models[n].std,
          s.models[n].pairedDiff,
          s.models[n].pairedSe,
          s.models[n].seconds,
        ]),
      },
      'paired over the same outer folds; folds share training rows, so the standard error understates the spread (Nadeau & Bengio 2003)',
    )
    .table({
      columns: ['fold', 'chosen model', ...names.map((n) => `${n}: chosen hyperparameters (inner ${primary})`)],
      rows: cv.folds.map((f, k) => [
        k + 1,
        s.chosen[k] ?? '',
        ...names.map((n) => {
          const t = f.models[n].tuning;
          return t ? `${JSON.stringify(t.hp)} (${t.innerScore.toFixed(4)})` : 'default';
        }),
      ]),
    });
  importanceSection(r, cv, best, inputs, primary);
  if (task === 'classification') calibrationSection(r, cv, best);
  else residualSection(r, cv, best);
}

function importanceSection(r: Report, cv: CvResult, best: string, inputs: readonly string[], primary: string): void {
  const per = cv.folds
    .map((f) => f.models[best].diagnostics?.importance)
    .filter((v): v is number[][] => v !== undefined);
  if (per.length === 0) return;
  const D = per[0].length;
  const stats = Array.from({ length: D }, (_, j) => meanStd(per.flatMap((f) => f[j] ?? [])));
  const order = Array.from(stats.keys())
    .sort((a, b) => stats[b].mean - stats[a].mean)
    .slice(0, 30);
  const label = (j: number) => inputs[j] ?? `input ${j + 1}`;
  r.section('Permutation feature importance').figure(
    {
      data: [
        {
          type: 'bar',
          orientation: 'h',
          y: order.map(label).reverse(),
          x: order.map((j) => stats[j].mean).reverse(),
          error_x: { type: 'data', array: order.map((j) => stats[j].std).reverse(), visible: true },
        },
      ],
      layout: {
        title: { text: `${best}: fall of ${primary} when a column is shuffled` },
        height: 200 + 22 * order.length,
        xaxis: { title: { text: `fall of ${primary}` } },
        margin: { l: 160, r: 20, t: 50, b: 50 },
      },
    },
    `mean ± std over ${per.length} outer folds x 5 shuffles of the held-out rows${D > 30 ? `; the 30 largest of ${D}` : ''}`,
  );
}

function calibrationSection(r: Report, cv: CvResult, best: string): void {
  const conf: number[] = [],
    correct: boolean[] = [];
  for (const f of cv.folds) {
    const d = f.models[best].diagnostics;
    d?.confidence?.forEach((v, i) => {
      conf.push(v);
      correct.push(d.correct![i]);
    }); // loops: no data-sized spreads
  }
  if (conf.length === 0) return;
  const c = calibrationCurve(conf, correct);
  r.section('Calibration (out-of-fold)').figure(
    lineFigure(
      [
        { name: best, x: c.confidence, y: c.accuracy, mode: 'lines+markers' },
        { name: 'perfectly calibrated', x: [0, 1], y: [0, 1], dash: 'dash' },
      ],
      {
        title: `${best}: accuracy against confidence`,
        xLabel: 'predicted probability of the chosen class',
        yLabel: 'share correct',
      },
    ),
    `${conf.length} held-out predictions in 10 bins (rows per bin: ${c.count.join(', ')}); above the diagonal = under-confident`,
  );
}

function residualSection(r: Report, cv: CvResult, best: string): void {
  const pred = cv.oof[best];
  const step = Math.max(1, Math.ceil(pred.length / 5000));
  const idx = Array.from({ length: Math.ceil(pred.length / step) }, (_, k) => k * step);
  r.section('Residuals (out-of-fold)').figure(
    scatterFigure(
      idx.map((i) => pred[i]),
      idx.map((i) => cv.truth[i] - pred[i]),
      { title: `${best}: residual against prediction`, xLabel: 'predicted', yLabel: 'true - predicted' },
    ),
    'a pattern (curve, funnel) means the model misses structure or the noise grows with the value',
  );
}
