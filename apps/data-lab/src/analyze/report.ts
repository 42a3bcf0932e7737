import { confusionFigure, heatmapFigure, lineFigure, type Report, scatterFigure } from '@aml/plot';
import { confusion } from '../models/metrics';
import type { ModelSpec } from '../models/model';
import type { DataProfile } from '../profile/profile';
import type { CvResult } from './cv';
import { integerTicks, sparseLogTicks } from './report-selection';

/** Dates as ISO text (first, last); mean and std are left empty. */
function dateCells(c: { min?: number; max?: number }): (string | null)[] {
  const iso = (v?: number) => (v === undefined || !Number.isFinite(v) ? null : new Date(v).toISOString());
  return [iso(c.min), iso(c.max), null, null];
}

/** The profile section shared by analyze and explore: column table and correlation heatmap. */
export function profileSection(r: Report, p: DataProfile): void {
  r.section('Data profile').text(`${p.rows} rows, ${p.columns.length} columns.`);
  r.table({
    columns: ['column', 'type', 'missing', 'distinct', 'min', 'max', 'mean', 'std', 'most frequent'],
    rows: p.columns.map((c) => [
      c.name,
      c.type,
      c.missing,
      c.distinct,
      ...(c.type === 'date' ? dateCells(c) : [c.min ?? null, c.max ?? null, c.mean ?? null, c.std ?? null]),
      c.top ? c.top.map(([v, n]) => `${v} (${n})`).join(', ') : null,
    ]),
  });
  if (p.numeric.length >= 2) {
    r.figure(
      heatmapFigure(
        { x: p.numeric, y: p.numeric, z: p.correlation },
        {
          title: 'Pearson correlation of numeric columns',
          colorscale: 'RdBu',
          zRange: [-1, 1],
          height: 300 + 20 * p.numeric.length,
        },
      ),
      'pairwise complete rows; 1 = perfectly correlated, -1 = anti-correlated',
    );
  }
}

/** Cross-validation sections: scores, per-fold scores, learning curves, confusion matrix or predicted vs true. */
export function cvSections(
  r: Report,
  cv: CvResult,
  models: readonly ModelSpec[],
  task: 'classification' | 'regression',
  best: string,
): void {
  const metrics = Object.keys(cv.summary[models[0].name]);
  r.section('Cross-validated scores')
    .text(models.map((m) => `${m.name}: ${m.description}`).join('\n\n'))
    .table(
      {
        columns: ['model', ...metrics.flatMap((k) => [`${k} mean`, `${k} std`]), 'seconds'],
        rows: models.map((m) => [
          m.name,
          ...metrics.flatMap((k) => [cv.summary[m.name][k].mean, cv.summary[m.name][k].std]),
          cv.seconds[m.name],
        ]),
      },
      `mean and standard deviation over ${cv.folds.length} folds; best model: ${best}`,
    );
  const primary = task === 'classification' ? 'accuracy' : 'rmse';
  r.figure(
    integerTicks(
      lineFigure(
        models.map((m) => ({
          name: m.name,
          x: cv.folds.map((_, f) => f + 1),
          y: cv.folds.map((f) => f.models[m.name].scores[primary]),
          mode: 'lines+markers' as const,
        })),
        { title: `${primary} per fold`, xLabel: 'fold', yLabel: primary },
      ),
    ),
  );
  r.section('Learning curves');
  for (const m of models) {
    if (cv.folds[0].models[m.name].curve.train.length === 0) {
      r.text(`${m.name}: not trained by epochs (closed form, convex solver or trees), no training curve.`);
      continue;
    }
    // every fold: one fold's curve can hide another's overfitting
    const series = cv.folds
      .flatMap((f, k) => [
        {
          name: `fold ${k + 1} train`,
          x: f.models[m.name].curve.train.map((_, e) => e + 1),
          y: f.models[m.name].curve.train,
        },
        {
          name: `fold ${k + 1} held out`,
          x: f.models[m.name].curve.val.map((_, e) => e + 1),
          y: f.models[m.name].curve.val,
          dash: 'dash',
        },
      ])
      .filter((s) => s.y.length > 0);
    const stops = cv.folds.map((f) => f.models[m.name].curve.bestEpoch).filter((e) => e !== undefined);
    r.figure(
      sparseLogTicks(
        lineFigure(series, {
          title: `${m.name}: loss per epoch, every fold`,
          xLabel: 'epoch',
          yLabel: task === 'classification' ? 'cross-entropy' : 'MSE (standardised target)',
          yScale: 'log',
        }),
      ),
      stops.length
        ? `early stopping kept epochs ${stops.join(', ')} (held-out share of each training fold)`
        : undefined,
    );
  }
  r.section(task === 'classification' ? 'Confusion matrix (out-of-fold)' : 'Predicted vs true (out-of-fold)');
  const pred = cv.oof[best];
  if (task === 'classification') {
    const K = cv.classes!.length;
    r.figure(
      confusionFigure(confusion(Array.from(cv.truth), Array.from(pred), K), cv.classes!, {
        title: `${best}: out-of-fold confusion matrix`,
      }),
    );
  } else {
    // At most 5,000 evenly spaced points: a million would make a report of tens of MB that no browser draws.
    const step = Math.max(1, Math.ceil(cv.truth.length / 5000));
    const pick = (v: Float64Array) => Float64Array.from({ length: Math.ceil(v.length / step) }, (_, k) => v[k * step]);
    const note = step > 1 ? ` (every ${step}th of ${cv.truth.length} rows)` : '';
    r.figure(
      scatterFigure(pick(cv.truth), pick(pred), {
        title: `${best}: out-of-fold predictions${note}`,
        xLabel: 'true',
        yLabel: 'predicted',
        diagonal: true,
      }),
    );
  }
}
