/** Initial conditions u(x, t0) = g(x), or du/dt(x, t0) = g(x) (order 1, e.g. the wave equation's velocity). */
import type { Geometry } from '../geometry/geometry';
import type { FieldNames } from '../problems/symbols';
import type { BoundCondition, Condition } from './condition';
import { compileValue, componentOf, minus, type Value } from './value';
import { assertTimeAxis, initialDraw, sampleWhere } from './where';

export interface InitialOptions {
  /** Output it constrains (default: the first). */
  readonly component?: string;
  /** 0: u(x, t0) = g (default); 1: u_t(x, t0) = g. */
  readonly derivative?: 0 | 1;
  /** Number of points (default: the solver's initial count). */
  readonly points?: number;
  /** Loss weight (default 1). */
  readonly weight?: number;
}

/**
 * Initial condition on a space-time domain (or at the start of a time interval for ODEs).
 * @example initial('-sin(pi*x)'); initial('0', { derivative: 1 })
 */
export function initial(value: Value, opts: InitialOptions = {}): Condition {
  return {
    kind: 'initial',
    bind(names: FieldNames, parameters: readonly string[], geometry: Geometry): BoundCondition {
      const u = componentOf(opts.component, names, 'initial condition');
      const g = compileValue(value, names, parameters, 'initial condition');
      const tName = names.inputs[names.inputs.length - 1];
      assertTimeAxis(geometry); // fails now, not during training
      const field = opts.derivative === 1 ? `${u}_${tName}` : u;
      return {
        label: opts.derivative === 1 ? `initial(${field})` : `initial(${u})`,
        symbols: [field, ...g.symbols],
        defaultPoints: opts.points,
        weight: opts.weight,
        sample(n, rng, sampler) {
          // A time interval has one initial point: repeat it (weighting equals one point n times).
          const m = geometry.dim === 1 ? 1 : n;
          return {
            x: sampleWhere(initialDraw(geometry, rng), undefined, m, geometry.dim, rng, sampler, 'initial condition'),
          };
        },
        residual(fields, params) {
          return [minus(fields[field], g.evaluate(fields, params))];
        },
      };
    },
  };
}
