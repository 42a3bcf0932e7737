/**
 * The shipped experiments the page offers: the same JSON files as `pde-lab`, bundled into the page.
 * Each gives its `problem` block (what the text box edits) and an optional `quick` override.
 */
import heat from '../../pde-lab/configs/heat.json';
import expDecay from '../../pde-lab/configs/exp-decay.json';
import poisson1d from '../../pde-lab/configs/poisson-1d.json';
import logistic from '../../pde-lab/configs/logistic.json';

/** One shipped experiment file, as far as the page reads it. */
export interface ShippedExperiment {
  readonly problem: Record<string, unknown>;
  readonly quick?: Record<string, unknown>;
  readonly description?: string;
}

/** Name -> experiment file. */
export const EXPERIMENTS: Readonly<Record<string, ShippedExperiment>> = {
  heat,
  'exp-decay': expDecay,
  'poisson-1d': poisson1d,
  logistic,
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
