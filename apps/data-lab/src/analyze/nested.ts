import type { Rng } from '@aml/core';
import { kFold, stratifiedKFold } from '@aml/data';
import type { Hyper, ModelSpec, TrainSettings } from '../models/model';
import { type CvConfig, prepare, score, takeRows } from './cv';

/** What inner cross-validation chose for one model inside one outer training fold. */
export interface Tuning {
  /** The chosen grid point. */
  readonly hp: Hyper;
  /** Mean inner-fold score (accuracy or R^2) of every grid point, keyed by its JSON. */
  readonly inner: Record<string, number>;
  /** Mean inner-fold score of the chosen point: what model choice compares across models. */
  readonly innerScore: number;
}

/** The primary score inner cross-validation maximises. */
export function primaryOf(task: CvConfig['task']): 'accuracy' | 'r2' {
  return task === 'classification' ? 'accuracy' : 'r2';
}

/**
 * Inner cross-validation of one model over its grid, on the outer training rows `rows` only (nested CV, Varma &
 * Simon 2006, "Bias in error estimation when using cross-validation for model selection"): `inner` folds of
 * `rows` (stratified for classification), each with its own preprocessor and target encoding fitted on its inner
 * training rows; the grid point with the best mean score wins (ties: the earlier, simpler point). No row outside
 * `rows` is read except through the preprocessor's transform, which applies statistics of inner training rows.
 * Inner fits use `settings` without the progress callback.
 */
export async function tune(
  c: CvConfig,
  rows: readonly number[],
  spec: ModelSpec,
  K: number,
  inner: number,
  rng: Rng,
): Promise<Tuning> {
  const grid = spec.grid?.(c.task) ?? [{}];
  const splitRng = rng.fork();
  const first = prepare(c, rows);
  const yRows = Float64Array.from(rows, (i) => first.y[i]);
  const splits =
    c.task === 'classification' ? stratifiedKFold(yRows, inner, splitRng) : kFold(rows.length, inner, splitRng);
  const settings: TrainSettings = { ...c.settings, onStep: undefined };
  const sums = new Float64Array(grid.length);
  for (const s of splits) {
    const tr = s.train.map((k) => rows[k]);
    const va = s.val.map((k) => rows[k]);
    const { enc, X, y } = prepare(c, tr);
    const Xtr = takeRows(X, tr),
      ytr = Float64Array.from(tr, (i) => y[i]);
    const Xva = takeRows(X, va),
      yva = Float64Array.from(va, (i) => y[i]);
    for (const [g, hp] of grid.entries()) {
      await settings.poll?.(); // a pending signal stops the run between grid points
      const createRng = rng.fork(),
        fitRng = rng.fork();
      const m = spec.create(c.task, X.cols, K, settings, createRng, hp);
      try {
        await m.fit({ X: Xtr, y: ytr }, fitRng);
        sums[g] += score(c.task, enc, m.predict(Xva), yva, K)[primaryOf(c.task)] / splits.length;
      } finally {
        m.dispose();
      }
    }
  }
  let best = 0;
  for (let g = 1; g < grid.length; g++) if (sums[g] > sums[best] + 1e-12) best = g;
  return {
    hp: grid[best],
    inner: Object.fromEntries(grid.map((hp, g) => [JSON.stringify(hp), sums[g]])),
    innerScore: sums[best],
  };
}

/** Per outer fold, the model with the best inner score and its outer scores. */
export interface Selection {
  /** Chosen model per outer fold. */
  readonly chosen: string[];
  /** Outer score (primary metric) of the chosen model per fold: the honest estimate of "pick by inner CV". */
  readonly outer: number[];
}

/** The model choice inside each outer fold: highest inner score wins (ties: the earlier model in the list). */
export function selectModels(
  folds: readonly { models: Record<string, { scores: Record<string, number>; tuning?: Tuning }> }[],
  names: readonly string[],
  primary: string,
): Selection {
  const chosen = folds.map((f) =>
    names.reduce((b, n) =>
      (f.models[n].tuning?.innerScore ?? -Infinity) > (f.models[b].tuning?.innerScore ?? -Infinity) ? n : b,
    ),
  );
  return { chosen, outer: folds.map((f, k) => f.models[chosen[k]].scores[primary]) };
}

/**
 * Paired comparison of each model with the best one over the same outer folds: mean difference of the primary
 * score and its standard error (the folds share rows with each other's training sets, so this understates the
 * spread: Nadeau & Bengio 2003; read it as a guide, not a test).
 */
export function pairedComparison(
  folds: readonly { models: Record<string, { scores: Record<string, number> }> }[],
  names: readonly string[],
  primary: string,
  best: string,
): Record<string, { diff: number; se: number }> {
  const out: Record<string, { diff: number; se: number }> = {};
  for (const n of names) {
    const d = folds.map((f) => f.models[n].scores[primary] - f.models[best].scores[primary]);
    const mean = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, d.length - 1));
    out[n] = { diff: mean, se: sd / Math.sqrt(d.length) };
  }
  return out;
}

/** The grid point inner cross-validation chose most often over the outer folds (ties: the earliest fold's), per model. */
export function modalHypers(folds: readonly { models: Record<string, { tuning?: Tuning }> }[]): Record<string, Hyper> {
  const out: Record<string, Hyper> = {};
  for (const name of Object.keys(folds[0]?.models ?? {})) {
    const counts = new Map<string, number>();
    for (const f of folds) {
      const hp = f.models[name].tuning?.hp;
      if (hp) counts.set(JSON.stringify(hp), (counts.get(JSON.stringify(hp)) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [k, n] of counts) if (best === undefined || n > counts.get(best)!) best = k;
    if (best) out[name] = JSON.parse(best) as Hyper;
  }
  return out;
}
