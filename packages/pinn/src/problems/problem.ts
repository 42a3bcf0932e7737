/**
 * A differential-equation problem: geometry + equation(s) + conditions (+ parameters and
 * an optional hard constraint), the DeepXDE anatomy. Equations are plain functions
 * `(x, u, d, p) => residual` or text compiled with mathjs; both become `Equation`s that
 * know which fields they read, so the solver requests only those derivatives.
 */
import { tf } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import type { BoundCondition, Condition } from '../conditions/condition';
import type { BoundConstraint, HardConstraint } from '../constraints/constraint';
import { tensorAlgebra, type TensorOrNumber } from './algebras';
import { compileExpression } from './expression';
import { checkFieldName } from './expression-checks';
import { knownSymbolList, resolveSymbol, symbolChecker, type FieldNames, type Fields } from './symbols';

export type { Fields } from './symbols';

/**
 * A residual written in TypeScript.
 * @param x inputs by name, each (N, 1)
 * @param u outputs by name, each (N, 1)
 * @param d derivatives by symbol (d.u_x, d.u_xx, d.u_xt, d.v_y), each (N, 1)
 * @param p parameters by name, scalars (trainable ones are variables)
 * @returns (N, 1) residual, or several for a system
 * @example
 *   const burgers: ResidualFn = (x, { u }, d) => d.u_t.add(u.mul(d.u_x)).sub(d.u_xx.mul(0.01 / Math.PI));
 */
export type ResidualFn = (
  x: Readonly<Record<string, tf.Tensor>>,
  u: Readonly<Record<string, tf.Tensor>>,
  d: Readonly<Record<string, tf.Tensor>>,
  p: Readonly<Record<string, tf.Tensor>>,
) => tf.Tensor | readonly tf.Tensor[];

/** An equation ready for the solver: the fields it reads and a function of them. */
export interface Equation {
  /** Text or 'function'. */
  readonly label: string;
  /** Field symbols it reads (outputs, derivatives, inputs, normals). */
  readonly symbols: readonly string[];
  /** Residuals, each (N, 1). */
  evaluate(fields: Fields, params: Readonly<Record<string, tf.Tensor>>): tf.Tensor[];
}

/** A coefficient of the equation; trainable ones are learned from observations (inverse problems). */
export interface ParameterSpec {
  /** Starting (or fixed) value. */
  readonly initial: number;
  /** Learn it with the network (default false). */
  readonly trainable?: boolean;
}

/** Everything the solver needs. */
export interface Problem {
  readonly geometry: Geometry;
  readonly names: FieldNames;
  readonly equations: readonly Equation[];
  readonly conditions: readonly BoundCondition[];
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** Exact output transform (Lagaris trial solution); conditions it satisfies can be omitted. */
  readonly constraint?: BoundConstraint;
  /** What `definePde` was given (to rebuild the problem on another domain, e.g. a time window). */
  readonly spec?: PdeSpec;
}

/** What `definePde` takes. */
export interface PdeSpec {
  readonly geometry: Geometry;
  /** Output names (default ['u']). */
  readonly outputs?: readonly string[];
  /** The residual(s): text ("u_t - u_xx"; "a = b" means a - b), a function, or a list of them. */
  readonly equation: string | ResidualFn | readonly (string | ResidualFn)[];
  readonly conditions?: readonly Condition[];
  readonly parameters?: Readonly<Record<string, ParameterSpec>>;
  readonly constraint?: HardConstraint;
}

/** Compile a text equation into an `Equation`. */
export function textEquation(
  text: string,
  names: FieldNames,
  parameters: readonly string[],
  extra: readonly string[] = [],
): Equation {
  const compiled = compileExpression(text, symbolChecker(names, parameters, extra), {
    what: 'equation',
    knownList: knownSymbolList(names, parameters, extra),
  });
  const fieldSymbols = compiled.symbols.filter((s) => !parameters.includes(s));
  return {
    label: text,
    symbols: fieldSymbols,
    evaluate(fields, params) {
      const v = compiled.evaluate<TensorOrNumber>(tensorAlgebra, { ...fields, ...params });
      return [typeof v === 'number' ? tf.fill([fields[names.inputs[0]].shape[0], 1], v) : v];
    },
  };
}

/**
 * Wrap a TypeScript residual. The fields it reads are found by one dry run on a single
 * point with a recording proxy (so the residual must not branch on values); an unknown
 * symbol fails here, before training, naming the symbol and the known ones.
 */
export function functionEquation(fn: ResidualFn, names: FieldNames, parameters: readonly string[]): Equation {
  const used = new Set<string>();
  const known = knownSymbolList(names, parameters);
  const recorder = (kind: string, isKnown: (s: string) => boolean) =>
    new Proxy({} as Record<string, tf.Tensor>, {
      get(_t, key) {
        if (typeof key !== 'string') return undefined;
        if (!isKnown(key)) {
          throw new Error(
            `equation: the residual reads ${kind}.${key}, which is not a known symbol; known symbols are ${known.join(', ')}`,
          );
        }
        if (kind !== 'p') used.add(key);
        return tf.zeros([1, 1]);
      },
    });
  tf.tidy(() => {
    fn(
      recorder('x', (s) => names.inputs.includes(s)),
      recorder('u', (s) => names.outputs.includes(s)),
      recorder('d', (s) => resolveSymbol(s, names) !== null),
      recorder('p', (s) => parameters.includes(s)),
    );
  });
  return {
    label: 'function',
    symbols: [...used],
    evaluate(fields, params) {
      const pick = (keys: readonly string[]) =>
        Object.fromEntries(keys.filter((k) => fields[k]).map((k) => [k, fields[k]]));
      const out = fn(pick(names.inputs), pick(names.outputs), fields, params);
      return Array.isArray(out) ? [...out] : [out as tf.Tensor];
    },
  };
}

/**
 * Define a PDE/ODE problem.
 * @example
 *   const heat = definePde({
 *     geometry: timeDomain(interval(0, 1), 0, 1),
 *     equation: 'u_t - u_xx',
 *     conditions: [initial('sin(pi*x)'), dirichlet('0', { on: 'x=0 | x=1' })],
 *   });
 */
export function definePde(spec: PdeSpec): Problem {
  const outputs = spec.outputs ?? ['u'];
  const names: FieldNames = { inputs: spec.geometry.names, outputs };
  names.inputs.forEach((n) => checkFieldName(n, 'domain'));
  outputs.forEach((n) => checkFieldName(n, 'outputs'));
  Object.keys(spec.parameters ?? {}).forEach((n) => checkFieldName(n, 'parameters'));
  const clash = outputs.find((o) => names.inputs.includes(o));
  if (clash) throw new Error(`problem: output name ${clash} is also an input name; rename one`);
  const parameters = spec.parameters ?? {};
  for (const [k, v] of Object.entries(parameters)) {
    if (names.inputs.includes(k) || outputs.includes(k))
      throw new Error(`parameter ${k} clashes with an input or output name`);
    if (!Number.isFinite(v.initial))
      throw new Error(`parameter ${k}: initial must be a finite number, got ${v.initial}`);
  }
  const pnames = Object.keys(parameters);
  const eqs = Array.isArray(spec.equation) ? spec.equation : [spec.equation];
  if (eqs.length === 0) throw new Error('problem: give at least one equation');
  const equations = (eqs as (string | ResidualFn)[]).map((e) =>
    typeof e === 'string' ? textEquation(e, names, pnames) : functionEquation(e, names, pnames),
  );
  const conditions = (spec.conditions ?? []).map((c, i) => {
    try {
      return c.bind(names, pnames, spec.geometry);
    } catch (e) {
      throw new Error(`conditions[${i}] (${c.kind}): ${(e as Error).message}`);
    }
  });
  const constraint = spec.constraint?.bind(names);
  return { geometry: spec.geometry, names, equations, conditions, parameters, constraint, spec };
}
