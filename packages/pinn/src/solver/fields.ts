/**
 * Evaluating the named fields a residual reads (u, u_x, u_xx, u_xxxx, inputs, normals) at a
 * batch of points: one derivative-engine call for all of them (any network), columns sliced
 * per output, and the hard constraint's product rule applied when there is one.
 */
import { tf } from '@aml/core';
import type { BoundConstraint } from '../constraints/constraint';
import { derivativeKey, type DerivativeEngine, type DerivativeIndex, type NetworkLike } from '../derivatives/engine';
import type { Fields } from '../problems/symbols';
import { resolveSymbol, type FieldNames } from '../problems/symbols';

/** Input columns of x (N, d) by name, each (N, 1). */
export function inputColumns(x: tf.Tensor2D, names: readonly string[]): Record<string, tf.Tensor> {
  if (names.length === 1) return { [names[0]]: x };
  const cols = tf.split(x, names.length, 1);
  return Object.fromEntries(names.map((n, i) => [n, cols[i]]));
}

/**
 * Affine input scaling x' = (x - shift) * factor fed to the network (e.g. the domain mapped
 * to [-1, 1], as in the course); derivatives with respect to x pick up the factors.
 */
export interface InputScaling {
  readonly shift: readonly number[];
  readonly factor: readonly number[];
}

/** The scaling that maps a bounding box to [-1, 1]^d. */
export function scalingToUnitBox(lo: readonly number[], hi: readonly number[]): InputScaling {
  return { shift: lo.map((l, i) => (l + hi[i]) / 2), factor: lo.map((l, i) => 2 / (hi[i] - l)) };
}

/**
 * The fields `symbols` at points x.
 * @param net any `Network` (or bare `MlpParams`) with d inputs and one output per output name
 * @param x (N, d) points
 * @param normals (N, d) outward normals, when symbols include n_x, ...
 * @param scaling input scaling applied before the network
 */
export function computeFields(
  net: NetworkLike,
  engine: DerivativeEngine,
  x: tf.Tensor2D,
  symbols: readonly string[],
  names: FieldNames,
  constraint?: BoundConstraint,
  normals?: tf.Tensor2D,
  scaling?: InputScaling,
): Record<string, tf.Tensor> {
  const fields: Record<string, tf.Tensor> = {};
  // Input columns only when a symbol or the constraint uses them (a residual such as Burgers'
  // needs none, and splitting x every step costs ~1 ms at 10,000 points).
  const inputs = constraint || symbols.some((s) => names.inputs.includes(s)) ? inputColumns(x, names.inputs) : {};
  Object.assign(fields, inputs);
  const resolved = symbols.map((s) => resolveSymbol(s, names)).filter((r) => r !== null);
  // Network derivative indices needed (the constraint's product rule adds lower orders).
  const needed = new Map<string, DerivativeIndex>();
  for (const r of resolved) {
    if (constraint && r.index.length > 2) {
      throw new Error(
        `${r.symbol}: hard constraints (trial solutions) take derivatives up to second order; drop the constraint or use conditions for this problem`,
      );
    }
    const idx = constraint ? constraint.networkIndices(r.index) : [r.index];
    for (const i of idx) needed.set(derivativeKey(i), i);
  }
  const requests = [...needed.values()];
  let outs: tf.Tensor[] = [];
  if (requests.length && scaling) {
    const xs = tf.mul(
      tf.sub(x, tf.tensor1d(scaling.shift as number[])),
      tf.tensor1d(scaling.factor as number[]),
    ) as tf.Tensor2D; // (N, d)
    outs = engine.derivatives(net, xs, requests).map((t, q) => {
      const c = requests[q].reduce((acc, i) => acc * scaling.factor[i], 1);
      return c === 1 ? t : tf.mul(t, c);
    });
  } else if (requests.length) {
    outs = engine.derivatives(net, x, requests);
  }
  const m = names.outputs.length;
  const columns = new Map<string, tf.Tensor[]>();
  requests.forEach((r, q) => columns.set(derivativeKey(r), m === 1 ? [outs[q]] : tf.split(outs[q], m, 1)));
  for (const r of resolved) {
    if (r.symbol in fields) continue;
    const nField = (i: DerivativeIndex) => (columns.get(derivativeKey(i)) as tf.Tensor[])[r.output];
    fields[r.symbol] = constraint ? constraint.transform(r.output, r.index, nField, inputs) : nField(r.index);
  }
  if (normals) {
    const cols = inputColumns(
      normals,
      names.inputs.map((n) => `n_${n}`),
    );
    Object.assign(fields, cols);
  }
  return fields;
}

/** Flat float64 points (n*d) as a float32 (n, d) tensor. */
export function pointsTensor(points: Float64Array, d: number): tf.Tensor2D {
  return tf.tensor2d(Float32Array.from(points), [points.length / d, d]);
}
