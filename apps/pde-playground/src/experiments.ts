/**
 * The shipped experiments the page offers: the same JSON files as `pde-lab`, bundled into the page.
 * Each gives its `problem` block (what the text box edits) and an optional `quick` override.
 *
 * Offered: every shipped experiment whose full training takes at most a few minutes (pde-lab trains
 * each of these in under 5 minutes on the wasm backend). Left out, because their full configs train
 * for a quarter of an hour to hours: burgers and burgers-inverse (thousands of L-BFGS steps on
 * deep networks), allen-cahn, kdv and advection (causal weighting, gradient-norm balancing and
 * resampling every step on 64-wide Fourier-feature networks), lorenz-forward (20,000 Adam steps).
 * Their files can still be pasted into the text box.
 */
import blackScholes from '../../pde-lab/configs/black-scholes.json';
import expDecay from '../../pde-lab/configs/exp-decay.json';
import heat from '../../pde-lab/configs/heat.json';
import heatInverse from '../../pde-lab/configs/heat-inverse.json';
import heatSoft from '../../pde-lab/configs/heat-soft.json';
import logistic from '../../pde-lab/configs/logistic.json';
import lorenz from '../../pde-lab/configs/lorenz.json';
import lorenzInverse from '../../pde-lab/configs/lorenz-inverse.json';
import oscillator from '../../pde-lab/configs/oscillator.json';
import poisson1d from '../../pde-lab/configs/poisson-1d.json';
import poisson2d from '../../pde-lab/configs/poisson-2d.json';
import wave from '../../pde-lab/configs/wave.json';

/** One shipped experiment file, as far as the page reads it. */
export interface ShippedExperiment {
  readonly problem: Record<string, unknown>;
  readonly quick?: Record<string, unknown>;
  readonly description?: string;
}

/** Name -> experiment file (the names `pde-lab list` shows). */
export const EXPERIMENTS: Readonly<Record<string, ShippedExperiment>> = {
  heat,
  'heat-soft': heatSoft,
  'heat-inverse': heatInverse,
  wave,
  'poisson-1d': poisson1d,
  'poisson-2d': poisson2d,
  'exp-decay': expDecay,
  logistic,
  oscillator,
  lorenz,
  'lorenz-inverse': lorenzInverse,
  'black-scholes': blackScholes,
} as unknown as Record<string, ShippedExperiment>;

/** Deep merge of plain objects (the `quick` block over the problem), arrays replaced. */
export function merge(
  base: Record<string, unknown>,
  over: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (!over) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    const isObj = (x: unknown): x is Record<string, unknown> =>
      typeof x === 'object' && x !== null && !Array.isArray(x);
    out[k] = isObj(b) && isObj(v) ? merge(b, v) : v;
  }
  return out;
}
