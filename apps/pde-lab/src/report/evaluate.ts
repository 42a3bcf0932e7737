/**
 * Scoring a solution on the report's grid: prediction, reference and per-output errors.
 */
import { column, componentErrors, type ComponentErrors } from '../eval/errors';
import { plotGrid, type EvalGrid } from '@aml/pinn';
import type { SolutionView } from './solution';

/** A solution evaluated on a grid. */
export interface GridEvaluation {
  readonly grid: EvalGrid;
  /** Prediction (N, m). */
  readonly pred: Float64Array;
  /** Reference (N, m), if the problem has one. */
  readonly ref?: Float64Array;
  /** Errors per output name (empty without a reference). */
  readonly errors: Readonly<Record<string, ComponentErrors>>;
}

/** Evaluate `s` on an n-per-axis grid over its box. */
export function evaluateOnGrid(s: SolutionView, n: number): GridEvaluation {
  const grid = plotGrid(s.box, n);
  const m = s.outputs.length;
  const pred = s.predict(grid.points);
  if (pred.length !== grid.n * m)
    throw new Error(`predict returned ${pred.length} values for ${grid.n} points x ${m} outputs`);
  const ref = s.reference?.(grid.points);
  const errors: Record<string, ComponentErrors> = {};
  if (ref) {
    s.outputs.forEach((name, j) => {
      errors[name] = componentErrors(column(pred, m, j), column(ref, m, j));
    });
  }
  return { grid, pred, ref, errors };
}
