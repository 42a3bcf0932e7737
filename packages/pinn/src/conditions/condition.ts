/**
 * The condition contract. A condition is written before the problem's names are known
 * (`dirichlet('0', { on: 'x=-1 | x=1' })`) and bound by `definePde`, which compiles its
 * texts and checks its symbols BEFORE training. A bound condition samples its own points
 * (with normals and data where needed) and returns residuals that are zero on the exact
 * solution; the solver adds mean(residual^2) to the loss under the condition's label.
 *
 * Extend by implementing `Condition` (see `operator` in operator.ts for a worked example:
 * any expression of the fields on any part of the domain).
 */
import type { Rng, tf } from '@aml/core';
import type { Geometry } from '../geometry/geometry';
import type { SamplerName } from '../sampling/samplers';
import type { Fields } from '../problems/symbols';
import type { FieldNames } from '../problems/symbols';

/** Points where a bound condition applies. */
export interface ConditionSample {
  /** Points (n*d, row-major). */
  readonly x: Float64Array;
  /** Outward normals at the points (n*d), when the condition reads n_x, n_y, ... */
  readonly normals?: Float64Array;
  /** Data at the points (n*k), e.g. observed values. */
  readonly data?: Float64Array;
  /** Columns of data (k). */
  readonly dataColumns?: number;
}

export interface BoundCondition {
  /** Loss-term name, e.g. 'dirichlet(u) on x=-1 | x=1'. */
  readonly label: string;
  /** Field symbols the residual reads (outputs, derivatives, inputs, normals). */
  readonly symbols: readonly string[];
  /** Number of points when the solver does not say otherwise. */
  readonly defaultPoints?: number;
  /** Loss weight (default 1). */
  readonly weight?: number;
  sample(n: number, rng: Rng, sampler: SamplerName): ConditionSample;
  /** Residuals, each (N, 1); `data` is the sample's data as a (N, k) tensor. */
  residual(fields: Fields, params: Readonly<Record<string, tf.Tensor>>, data?: tf.Tensor2D): tf.Tensor[];
}

/** A condition before binding. */
export interface Condition {
  readonly kind: string;
  /** Compile and check against the problem; throws a clear message on bad symbols or places. */
  bind(names: FieldNames, parameters: readonly string[], geometry: Geometry): BoundCondition;
}

/** Where on the domain: a named boundary ('x=0', 'initial'), a predicate text ('x=-1 | x=1') or function. */
export type Where = string | ((p: number[]) => boolean);

/** Options shared by the boundary conditions. */
export interface ConditionOptions {
  /** Where it applies (default: the whole boundary). */
  readonly on?: Where;
  /** Output it constrains (default: the first). */
  readonly component?: string;
  /** Number of points (default: the solver's boundary count). */
  readonly points?: number;
  /** Loss weight (default 1). */
  readonly weight?: number;
}
