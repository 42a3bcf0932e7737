/** Observed data: u(x_k) = y_k at given points (inverse problems, data-assisted PINNs). */
import { tf } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import type { FieldNames } from '../problems/symbols';
import type { BoundCondition, Condition } from './condition';

export interface ObservationOptions {
  /** Outputs the value columns belong to (default: all outputs, in order). */
  readonly components?: readonly string[];
  readonly weight?: number;
}

/**
 * @param points (N, d) coordinates, one row per observation
 * @param values (N, k) observed outputs (or a flat list for one component)
 * @example observations([[0.5, 0.1]], [[0.42]])
 */
export function observations(
  points: readonly (readonly number[])[],
  values: readonly (readonly number[])[] | readonly number[],
  opts: ObservationOptions = {},
): Condition {
  return {
    kind: 'observations',
    bind(names: FieldNames, _p: readonly string[], geometry: Geometry): BoundCondition {
      const comps = opts.components ?? names.outputs;
      for (const c of comps)
        if (!names.outputs.includes(c))
          throw new Error(`observations: unknown component ${c}; outputs are ${names.outputs.join(', ')}`);
      if (points.length === 0) throw new Error('observations: no points given');
      const rows = values.map((v) => (typeof v === 'number' ? [v] : [...v]));
      if (rows.length !== points.length)
        throw new Error(`observations: ${points.length} points but ${rows.length} value rows`);
      points.forEach((p, i) => {
        if (p.length !== geometry.dim)
          throw new Error(
            `observations: point ${i} has ${p.length} coordinates; the domain has ${geometry.dim} (${names.inputs.join(', ')})`,
          );
        if (rows[i].length !== comps.length)
          throw new Error(
            `observations: value row ${i} has ${rows[i].length} entries for ${comps.length} component(s) (${comps.join(', ')})`,
          );
      });
      const x = Float64Array.from(points.flat());
      const data = Float64Array.from(rows.flat());
      return {
        label: `observations(${comps.join(', ')})`,
        symbols: [...comps],
        defaultPoints: points.length,
        weight: opts.weight,
        sample: () => ({ x, data, dataColumns: comps.length }),
        residual(fields, _params, d) {
          if (!d) throw new Error('observations: data tensor missing');
          return comps.map((c, j) => tf.sub(fields[c], tf.slice(d, [0, j], [-1, 1])));
        },
      };
    },
  };
}
