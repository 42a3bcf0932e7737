/**
 * What `pde-lab run` writes into metrics.json: the fields every run has (status, steps, losses), the
 * scores of a finished run (errors, coefficients, baselines), and the report's metrics table.
 */
import type { TrainOutcome } from '../adapter/contract';
import { column, componentErrors, type ComponentErrors } from '../eval/errors';
import { gridPoints, matchColumns, type ReferenceGrid } from '@aml/pinn';
import type { SolutionView } from '../report/solution';
import { historyMetrics } from './run-history';

/** Fields of metrics.json that every run has, finished or not. */
export function trainingMetrics(outcome: TrainOutcome): Record<string, unknown> {
  const last = (a: readonly number[]) => (a.length ? a[a.length - 1] : NaN);
  return {
    status: outcome.status,
    ...(outcome.divergence ? { divergence: outcome.divergence } : {}),
    steps: outcome.history.loss.length,
    ...(outcome.resumedAt > 0 ? { resumedAt: outcome.resumedAt } : {}),
    phases: outcome.phases,
    stopReason: outcome.history.stopReason,
    finalLoss: last(outcome.history.loss),
    finalTerms: Object.fromEntries(Object.entries(outcome.history.terms).map(([k, v]) => [k, last(v)])),
    history: historyMetrics(outcome),
  };
}

/** The last step whose loss and terms were all finite, and its loss (NaN when none). */
export function lastGood(outcome: TrainOutcome): { step: number; loss: number } {
  const h = outcome.history;
  for (let i = h.loss.length - 1; i >= 0; i--) {
    if (Number.isFinite(h.loss[i]) && Object.values(h.terms).every((v) => Number.isFinite(v[i])))
      return { step: i, loss: h.loss[i] };
  }
  return { step: -1, loss: NaN };
}

/** Errors of the solution on the points of a reference grid file, per output the file has. */
export function scoreGrid(s: SolutionView, grid: ReferenceGrid): Record<string, ComponentErrors> {
  const present = matchColumns(grid, s.inputs, s.outputs);
  const pred = s.predict(gridPoints(grid, s.inputs));
  const m = s.outputs.length;
  return Object.fromEntries(
    present.map((o) => [o, componentErrors(column(pred, m, s.outputs.indexOf(o)), grid.columns[o])]),
  );
}

/** The metrics table of the report: metrics.json without what the report shows elsewhere (baselines have their table). */
export function reportMetrics(m: Record<string, unknown>): Record<string, unknown> {
  // the history's series and the windows' errors have their figures and table
  const { baselines: _b, history: _h, windowErrors: _w, phases, ...rest } = m;
  const ph = (phases as { name: string; steps: number; seconds: number; stopReason: string }[]) ?? [];
  return {
    ...rest,
    phases: Object.fromEntries(
      ph.map((p) => [p.name, `${p.steps} steps in ${p.seconds.toFixed(1)} s (${p.stopReason})`]),
    ),
  };
}

/** Learned coefficients (trainable only) with their relative error when the true value is known. */
export function coefficientMetrics(
  values: Readonly<Record<string, number>>,
  trainable: readonly string[],
  truth: Readonly<Record<string, number>> | undefined,
): Record<string, { learned: number; true?: number; relError?: number }> | undefined {
  if (trainable.length === 0) return undefined;
  return Object.fromEntries(
    trainable.map((k) => {
      const t = truth?.[k];
      return [
        k,
        t === undefined
          ? { learned: values[k] }
          : { learned: values[k], true: t, relError: Math.abs(values[k] - t) / Math.abs(t) },
      ];
    }),
  );
}
