/**
 * Boundary conditions on u (one output component each), applied where `on` says:
 * Dirichlet u = g, Neumann du/dn = g (outward normal from the geometry), Robin a u + b du/dn = g.
 */
import { tf } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import { isSpaceTime } from '../geometry/space-time';
import type { FieldNames } from '../problems/symbols';
import type { BoundCondition, Condition, ConditionOptions } from './condition';
import { compileValue, componentOf, minus, type Value } from './value';
import { boundaryDraw, normalsAt, sampleWhere, wherePredicate } from './where';

function placeLabel(on: ConditionOptions['on']): string {
  return on === undefined ? 'boundary' : typeof on === 'string' ? on : 'predicate';
}

/** Spatial input names (time excluded for space-time domains): the directions of a normal derivative. */
function spatialInputs(geometry: Geometry): string[] {
  return isSpaceTime(geometry) ? geometry.space.names.slice() : geometry.names.slice();
}

interface RobinCoefficients {
  /** Coefficient of u (0 for Neumann). */
  readonly a: number;
  /** Coefficient of du/dn (0 for Dirichlet). */
  readonly b: number;
}

function boundaryCondition(kind: string, coef: RobinCoefficients, value: Value, opts: ConditionOptions): Condition {
  return {
    kind,
    bind(names: FieldNames, parameters: readonly string[], geometry: Geometry): BoundCondition {
      const what = `${kind} condition`;
      const u = componentOf(opts.component, names, what);
      const g = compileValue(value, names, parameters, what);
      const pred = wherePredicate(opts.on, geometry);
      const dirs = spatialInputs(geometry);
      const needsNormal = coef.b !== 0;
      const symbols = [
        ...(coef.a !== 0 ? [u] : []),
        ...(needsNormal ? dirs.flatMap((n) => [`${u}_${n}`, `n_${n}`]) : []),
        ...g.symbols,
      ];
      return {
        label: `${kind}(${u}) on ${placeLabel(opts.on)}`,
        symbols,
        defaultPoints: opts.points,
        weight: opts.weight,
        sample(n, rng, sampler) {
          const x = sampleWhere(
            boundaryDraw(geometry, rng),
            pred,
            n,
            geometry.dim,
            rng,
            sampler,
            `${what} on ${placeLabel(opts.on)}`,
          );
          return { x, normals: needsNormal ? normalsAt(geometry, x) : undefined };
        },
        residual(fields, params) {
          let lhs: tf.Tensor | null = coef.a !== 0 ? tf.mul(coef.a, fields[u]) : null;
          if (needsNormal) {
            const dn = dirs.map((n) => tf.mul(fields[`n_${n}`], fields[`${u}_${n}`])).reduce((s, t) => tf.add(s, t));
            const term = coef.b === 1 ? dn : tf.mul(coef.b, dn);
            lhs = lhs ? tf.add(lhs, term) : term;
          }
          return [minus(lhs as tf.Tensor, g.evaluate(fields, params))];
        },
      };
    },
  };
}

/**
 * Dirichlet: u = g on the boundary part `on`.
 * @example dirichlet('0', { on: 'x=-1 | x=1' }); dirichlet((x) => x.y.square(), { on: 'x=0' })
 */
export function dirichlet(value: Value, opts: ConditionOptions = {}): Condition {
  return boundaryCondition('dirichlet', { a: 1, b: 0 }, value, opts);
}

/** Neumann: du/dn = n . grad u = g (outward normal). */
export function neumann(value: Value, opts: ConditionOptions = {}): Condition {
  return boundaryCondition('neumann', { a: 0, b: 1 }, value, opts);
}

/** Robin: a u + b du/dn = g. */
export function robin(a: number, b: number, value: Value, opts: ConditionOptions = {}): Condition {
  if (!Number.isFinite(a) || !Number.isFinite(b) || (a === 0 && b === 0)) {
    throw new Error(`robin condition: coefficients a and b must be finite and not both zero, got a=${a}, b=${b}`);
  }
  return boundaryCondition('robin', { a, b }, value, opts);
}
