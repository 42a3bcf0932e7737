/**
 * What the app needs from a trained model, whatever solver produced it: named inputs and outputs,
 * the box it lives on, a prediction function and (when the experiment has one) a reference.
 */
import type { Box } from '@aml/pinn';

/** A trained solution seen from the outside. */
export interface SolutionView {
  /** Input names, e.g. ['x', 't'] (d). */
  readonly inputs: readonly string[];
  /** Output names, e.g. ['u'] (m). */
  readonly outputs: readonly string[];
  /** The domain's bounding box (plots and grids span it). */
  readonly box: Box;
  /** Network prediction: points (N, d) row-major -> values (N, m) row-major. */
  predict(points: Float64Array): Float64Array;
  /** Exact or classical reference at points (N, d) -> (N, m); absent when the problem has none. */
  readonly reference?: (points: Float64Array) => Float64Array;
}
