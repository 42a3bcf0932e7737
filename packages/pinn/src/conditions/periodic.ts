/**
 * Periodic condition along one input: u(lo) = u(hi) (and optionally u_x(lo) = u_x(hi)),
 * on paired points that differ only in that coordinate.
 */
import { tf } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import type { FieldNames } from '../problems/symbols';
import type { BoundCondition, Condition } from './condition';
import { componentOf } from './value';

export interface PeriodicOptions {
  /** Output it constrains (default: the first). */
  readonly component?: string;
  /** Also match the first derivative along the input (default true). */
  readonly derivative?: boolean;
  /** Number of point pairs (default: the solver's boundary count). */
  readonly points?: number;
  readonly weight?: number;
}

/** u(..., lo, ...) = u(..., hi, ...) along `input` of a box-shaped (or box x time) domain. */
export function periodic(input: string, opts: PeriodicOptions = {}): Condition {
  return {
    kind: 'periodic',
    bind(names: FieldNames, _parameters: readonly string[], geometry: Geometry): BoundCondition {
      const axis = names.inputs.indexOf(input);
      if (axis < 0)
        throw new Error(`periodic condition: unknown input ${input}; inputs are ${names.inputs.join(', ')}`);
      const u = componentOf(opts.component, names, 'periodic condition');
      const fields = opts.derivative === false ? [u] : [u, `${u}_${input}`];
      const lo = geometry.bbox.lo[axis];
      const hi = geometry.bbox.hi[axis];
      const d = geometry.dim;
      return {
        label: `periodic(${u}) in ${input}`,
        symbols: fields,
        defaultPoints: opts.points,
        weight: opts.weight,
        sample(n, rng, sampler) {
          // n interior points give the other coordinates; the pair sits at lo and hi.
          const base = geometry.sampleInterior(n, rng, sampler);
          const m = base.length / d;
          const x = new Float64Array(2 * m * d);
          for (let k = 0; k < m; k++) {
            const p = base.subarray(k * d, (k + 1) * d);
            x.set(p, k * d);
            x.set(p, (m + k) * d);
            x[k * d + axis] = lo;
            x[(m + k) * d + axis] = hi;
          }
          return { x };
        },
        residual(f) {
          const n = f[u].shape[0] / 2;
          return fields.map((s) => tf.sub(tf.slice(f[s], [0, 0], [n, 1]), tf.slice(f[s], [n, 0], [n, 1])));
        },
      };
    },
  };
}
