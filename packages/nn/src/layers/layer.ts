/**
 * The layer contract: a layer (or a whole model) is a plain object holding its explicit
 * parameters and a pure-ish `apply` (Equinox style). No classes to subclass, no hidden graph.
 */
import { check, positiveInt as positiveIntAtom, type tf } from '@aml/core';

/** Options every `apply` accepts. */
export interface ApplyOptions {
  /** Training mode: dropout is active and batch norm uses (and records) batch statistics. Default false. */
  readonly training?: boolean;
}

/**
 * A layer or model with explicit parameters.
 *
 * @example
 *   const l = dense({ inputSize: 3, units: 4, activation: 'tanh' }, new Rng(1));
 *   const y = l.apply(tf.ones([8, 3])); // (8, 4)
 */
export interface Layer<I = tf.Tensor, O = tf.Tensor> {
  /** Name used in error messages (e.g. `dense 'hidden1'`). */
  readonly name: string;
  /** Trainable variables, in a fixed order. */
  readonly params: readonly tf.Variable[];
  /** The subset of `params` that weight penalties (L1/L2) apply to: kernels, not biases or norm scales. */
  readonly kernels: readonly tf.Variable[];
  /** Non-trainable state (batch-norm running statistics); empty for most layers. */
  readonly state: readonly tf.Variable[];
  /** Forward pass. Shapes are documented by each factory. */
  apply(x: I, opts?: ApplyOptions): O;
}

/** Collect params, kernels and state of several sub-layers (for composite models). */
export function collect(layers: ReadonlyArray<Pick<Layer<any, any>, 'params' | 'kernels' | 'state'>>) {
  return {
    params: layers.flatMap((l) => l.params),
    kernels: layers.flatMap((l) => l.kernels),
    state: layers.flatMap((l) => l.state),
  };
}

/** Dispose every variable a layer owns. */
export function disposeLayer(l: Pick<Layer<any, any>, 'params' | 'state'>): void {
  for (const v of [...l.params, ...l.state]) v.dispose();
}

/** Number of trainable scalars. */
export function countParams(l: Pick<Layer<any, any>, 'params'>): number {
  return l.params.reduce((s, v) => s + v.size, 0);
}

/** Copy of every trainable value (for same-seed comparisons and checkpoints). */
export function getWeights(l: Pick<Layer<any, any>, 'params'>): Float32Array[] {
  return l.params.map((v) => v.dataSync() as Float32Array).map((a) => Float32Array.from(a));
}

/** Format a shape as `(8, 3)`; a free size prints as N on the batch axis and ? elsewhere. */
export function fmtShape(shape: readonly (number | null)[]): string {
  return `(${shape.map((d, i) => (d === null ? (i === 0 ? 'N' : '?') : String(d))).join(', ')})`;
}

/**
 * Throw a clear error when `x` does not have the expected rank and sizes.
 * `null` in `expected` means any size (e.g. the batch). The message names the layer and both shapes.
 *
 * @example checkShape("dense 'h1'", x, [null, 4]) // dense 'h1': expected input of shape (N, 4), got (8, 3)
 */
export function checkShape(layer: string, x: tf.Tensor, expected: readonly (number | null)[], what = 'input'): void {
  const ok = x.rank === expected.length && expected.every((d, i) => d === null || d === x.shape[i]);
  if (!ok) {
    throw new Error(`${layer}: expected ${what} of shape ${fmtShape(expected)}, got ${fmtShape(x.shape)}`);
  }
}

/** Validate a positive integer config field with core's shared rule, naming the layer and the field. */
export function positiveInt(layer: string, field: string, v: number): number {
  return check(positiveIntAtom(), v, `${layer}: ${field}`);
}
