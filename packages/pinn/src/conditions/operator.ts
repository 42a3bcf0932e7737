/**
 * Any operator as a condition: an expression of the fields (outputs, derivatives, inputs,
 * normals n_x, parameters) that must vanish on part of the domain. The worked example of
 * extending conditions: e.g. a flux condition `u_x + u*u = 0` at x = 1, or
 * `n_x*u_x + n_y*u_y - 1` on a disk's circle.
 */
import type { Geometry } from '../geometry/geometry';
import { functionEquation, textEquation, type ResidualFn } from '../problems/problem';
import { normalSymbols, type FieldNames } from '../problems/symbols';
import type { BoundCondition, Condition, Where } from './condition';
import { boundaryDraw, initialDraw, normalsAt, sampleWhere, wherePredicate } from './where';

export interface OperatorOptions {
  /** Part of the domain: 'boundary' (default), 'initial' or 'interior', narrowed by `on`. */
  readonly region?: 'boundary' | 'initial' | 'interior';
  readonly on?: Where;
  readonly points?: number;
  readonly weight?: number;
}

/** The residual `expr` (text or function) must vanish where `opts` says. */
export function operator(expr: string | ResidualFn, opts: OperatorOptions = {}): Condition {
  return {
    kind: 'operator',
    bind(names: FieldNames, parameters: readonly string[], geometry: Geometry): BoundCondition {
      const region = opts.region ?? 'boundary';
      const normals = region === 'boundary' ? normalSymbols(names.inputs) : [];
      const eq =
        typeof expr === 'string'
          ? textEquation(expr, names, parameters, normals)
          : functionEquation(expr, names, parameters);
      const pred = wherePredicate(opts.on, geometry);
      const needsNormals = eq.symbols.some((s) => normals.includes(s));
      const label = typeof expr === 'string' ? expr : 'operator';
      return {
        label: `${label} on ${typeof opts.on === 'string' ? opts.on : region}`,
        symbols: eq.symbols,
        defaultPoints: opts.points,
        weight: opts.weight,
        sample(n, rng, sampler) {
          const draw =
            region === 'boundary'
              ? boundaryDraw(geometry, rng)
              : region === 'initial'
                ? initialDraw(geometry, rng)
                : (m: number, s: typeof sampler) => geometry.sampleInterior(m, rng, s);
          const x = sampleWhere(draw, pred, n, geometry.dim, rng, sampler, `operator ${label}`);
          return { x, normals: needsNormals ? normalsAt(geometry, x) : undefined };
        },
        residual: (fields, params) => eq.evaluate(fields, params),
      };
    },
  };
}
