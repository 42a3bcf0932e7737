/**
 * The training record in metrics.json, compact: every per-step series is subsampled to at most
 * `MAX_POINTS` values (steps 0, stride, 2 stride, ... and the last), so a 100,000-step run writes
 * about the same size of file as a 1,000-step one; the events (resampling, windows) are kept whole
 * up to the same bound. Also the per-window errors of a time-marching run.
 */
import type { SolverTrace, TrainOutcome } from '../adapter/contract';
import { componentErrors, type ComponentErrors } from '../eval/errors';
import type { GridEvaluation } from '../report/evaluate';

/** Most values kept per series. */
export const MAX_POINTS = 1000;

/** A per-step series, subsampled: `values[i]` is the value at step `i * stride`, plus the last step's value at the end. */
export interface SubsampledSeries {
  /** Steps in the full series. */
  readonly length: number;
  /** Steps between kept values (1: every step). */
  readonly stride: number;
  /** The kept values (non-finite ones are written as null). */
  readonly values: number[];
}

/** The steps a subsampled series keeps: 0, stride, 2 stride, ... and length - 1. */
export function keptSteps(length: number, stride: number): number[] {
  const steps: number[] = [];
  for (let i = 0; i < length; i += stride) steps.push(i);
  if (length > 0 && steps[steps.length - 1] !== length - 1) steps.push(length - 1);
  return steps;
}

/** Keep at most `max` values of `y`, evenly spaced, always the first and the last. */
export function subsample(y: readonly number[], max = MAX_POINTS): SubsampledSeries {
  // ceil(n / s) <= max - 1 grid values, plus the last one: at most max
  const stride = y.length <= max ? 1 : Math.ceil(y.length / (max - 1));
  return { length: y.length, stride, values: keptSteps(y.length, stride).map((i) => y[i]) };
}

/** What metrics.json's `history` holds (each field present only when the run used the method). */
export interface HistoryMetrics {
  readonly note: string;
  readonly loss: SubsampledSeries;
  readonly learningRate?: SubsampledSeries;
  /** Loss weight per term, per Adam step. */
  readonly weights?: Readonly<Record<string, SubsampledSeries>>;
  /** Causal weighting, per Adam step: the smallest chunk weight and epsilon. */
  readonly causal?: { readonly minWeight: SubsampledSeries; readonly epsilon: SubsampledSeries };
  /** Changes of the residual points: how many, and the events (every `stride`-th of them when there are more than the bound). */
  readonly sampling?: { readonly count: number; readonly stride: number; readonly events: SolverTrace['sampling'] };
  /** Residual point count at the start and after each refinement. */
  readonly collocationPoints?: readonly number[];
  /** Time-marching windows: time range, steps, and the step where each starts. */
  readonly windows?: readonly {
    readonly t0: number;
    readonly t1: number;
    readonly steps: number;
    readonly start: number;
  }[];
}

const NOTE =
  `per-step series are subsampled to at most ${MAX_POINTS} values: values[i] is at step i * stride, the last value at step length - 1; ` +
  'weights and causal count Adam steps only; sampling steps count from the run start';

/** The training record of `outcome` for metrics.json (see `HistoryMetrics`). */
export function historyMetrics(outcome: TrainOutcome): HistoryMetrics {
  const t = outcome.trace;
  const base = { note: NOTE, loss: subsample(outcome.history.loss) };
  if (!t) return base;
  const weights = Object.entries(t.weights).filter(([, v]) => v.length > 0);
  let start = 0;
  const windows = t.windows?.map((w) => ({ ...w, start: (start += w.steps) - w.steps }));
  const stride = t.sampling.length <= MAX_POINTS ? 1 : Math.ceil(t.sampling.length / MAX_POINTS);
  return {
    ...base,
    learningRate: subsample(t.learningRate),
    ...(weights.length ? { weights: Object.fromEntries(weights.map(([k, v]) => [k, subsample(v)])) } : {}),
    ...(t.causal ? { causal: { minWeight: subsample(t.causal.minWeight), epsilon: subsample(t.causal.epsilon) } } : {}),
    ...(t.sampling.length
      ? { sampling: { count: t.sampling.length, stride, events: t.sampling.filter((_, i) => i % stride === 0) } }
      : {}),
    collocationPoints: t.collocationPoints,
    ...(windows ? { windows } : {}),
  };
}

/** Errors of one time-marching window on the report grid's points with t in [t0, t1) (the last window includes t1). */
export interface WindowErrors {
  readonly t0: number;
  readonly t1: number;
  readonly points: number;
  readonly errors: Readonly<Record<string, ComponentErrors>>;
}

/**
 * Errors per window: grid points (N, d) whose time (input `timeAxis`) lies in each window, per output.
 * Empty without a reference.
 */
export function windowErrors(
  ev: GridEvaluation,
  windows: readonly { t0: number; t1: number }[],
  outputs: readonly string[],
  timeAxis: number,
): WindowErrors[] {
  if (!ev.ref) return [];
  const d = ev.grid.points.length / ev.grid.n;
  const m = outputs.length;
  return windows.map((w, k) => {
    const last = k === windows.length - 1;
    const idx: number[] = [];
    for (let i = 0; i < ev.grid.n; i++) {
      const t = ev.grid.points[i * d + timeAxis];
      if (t >= w.t0 && (t < w.t1 || (last && t <= w.t1))) idx.push(i);
    }
    const errors = Object.fromEntries(
      outputs.map((o, j) => [
        o,
        componentErrors(
          Float64Array.from(idx, (i) => ev.pred[i * m + j]),
          Float64Array.from(idx, (i) => ev.ref![i * m + j]),
        ),
      ]),
    );
    return { t0: w.t0, t1: w.t1, points: idx.length, errors };
  });
}
