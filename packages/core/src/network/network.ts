/**
 * The network contract shared by every package: a plain object that holds its trainable
 * variables and a forward function (Equinox-style explicit parameters, no hidden state).
 *
 * A network may write its forward pass once, generically, over `NetOps<T>`: then the same
 * code runs on tensors (`apply`) and on any other number system an engine brings, for
 * example the truncated Taylor series ("jets") of `@aml/pinn`'s 'taylor' derivative engine,
 * which then gets input derivatives of any order without nested `tf.grad`. A network that
 * only provides `apply` still works everywhere: derivative engines fall back to nested
 * autodiff for it.
 *
 * @example
 *   // y = tanh(x W + b): one hidden layer, written once for every engine.
 *   const W = tf.variable(tf.randomNormal([2, 8])), b = tf.variable(tf.zeros([8]));
 *   const V = tf.variable(tf.randomNormal([8, 1]));
 *   const net = defineNetwork({ kind: 'tiny', inputs: 2, outputs: 1, params: { W, b, V },
 *     forward: (ops, x) => ops.matMul(ops.activation(ops.addBias(ops.matMul(x, W), b), 'tanh'), V) });
 *   const y = net.apply(tf.ones([5, 2])); // (5, 1)
 */
import type { ActivationName } from '../activations/activations';
import { getActivation } from '../activations/activations';
import { tf } from '../tf';
import { check, positiveInt } from '../validation/atoms';

/**
 * The operations a generic forward pass may use. T is the engine's value type: (N, w)
 * tensors for `tensorOps`, jets (value plus input derivatives) for Taylor-mode engines.
 * Weights (`W`, `b`, gates) are ordinary tensors: engines differentiate with respect to the
 * inputs only, and weight gradients come from one ordinary reverse pass.
 */
export interface NetOps<T> {
  /** a (N, i) times W (i, o) -> (N, o). */
  matMul(a: T, W: tf.Tensor2D): T;
  /** a (N, o) plus a bias (o) broadcast over rows. */
  addBias(a: T, b: tf.Tensor1D): T;
  /** Elementwise activation from `@aml/core`'s activation table. */
  activation(a: T, name: ActivationName): T;
  /** Elementwise cos and sin (embeddings). */
  cos(a: T): T;
  sin(a: T): T;
  /** Elementwise sum, difference and product of two values of the same shape. */
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  /** a times a scalar (a number or a rank-0 tensor, e.g. a trainable gate). */
  scale(a: T, s: number | tf.Scalar): T;
  /** a times a row vector s (w), broadcast over rows (e.g. per-column scales). */
  scaleColumns(a: T, s: tf.Tensor1D): T;
  /** Columns [from, from + size) of a. */
  sliceColumns(a: T, from: number, size: number): T;
  /** Columns of several values side by side. */
  concatColumns(parts: readonly T[]): T;
}

/** A network: trainable variables and a forward function. */
export interface Network {
  /** What it is, for notices and errors: 'mlp', 'fourier-mlp', 'my-net', ... */
  readonly kind: string;
  /** Number of input columns d. */
  readonly inputs: number;
  /** Number of output columns m. */
  readonly outputs: number;
  /** Trainable variables by stable name (optimizers, checkpoints, exports use these names). */
  readonly params: Readonly<Record<string, tf.Variable>>;
  /** x (N, d) -> (N, m), built from differentiable tfjs ops. */
  apply(x: tf.Tensor2D): tf.Tensor2D;
  /** The same forward pass over any `NetOps` algebra, when the network can write it so. */
  readonly forward?: <T>(ops: NetOps<T>, x: T) => T;
  /** Release the variables. */
  dispose(): void;
}

/** Element-wise tensor implementation of `NetOps`: what `apply` runs on. */
export const tensorOps: NetOps<tf.Tensor2D> = {
  matMul: (a, W) => tf.matMul(a, W),
  addBias: (a, b) => tf.add(a, b),
  activation: (a, name) => getActivation(name).apply(a) as tf.Tensor2D,
  cos: (a) => tf.cos(a),
  sin: (a) => tf.sin(a),
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  scale: (a, s) => tf.mul(a, s),
  scaleColumns: (a, s) => tf.mul(a, s),
  sliceColumns: (a, from, size) => tf.slice(a, [0, from], [-1, size]),
  concatColumns: (parts) => (parts.length === 1 ? parts[0] : tf.concat(parts as tf.Tensor2D[], 1)),
};

/** What `defineNetwork` needs: everything of a `Network` except `apply` and `dispose`. */
export interface NetworkDefinition {
  readonly kind: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly params: Readonly<Record<string, tf.Variable>>;
  readonly forward: <T>(ops: NetOps<T>, x: T) => T;
}

/** A `Network` from a generic forward pass: `apply` runs it on tensors, `dispose` frees params. */
export function defineNetwork(def: NetworkDefinition): Network {
  return {
    ...def,
    apply: (x) => def.forward(tensorOps, x),
    dispose: () => Object.values(def.params).forEach((v) => v.dispose()),
  };
}

/** The network's trainable variables in a stable order (by insertion into `params`). */
export function networkVariables(net: Network): tf.Variable[] {
  return Object.values(net.params).filter((v) => v.trainable);
}

/**
 * Check that an object satisfies the `Network` contract, naming what is missing.
 * @param where the config field or argument name to put in the message, e.g. 'network'.
 */
export function checkNetwork(net: unknown, where = 'network'): asserts net is Network {
  const n = net as Partial<Network> | null;
  const fix =
    'build one with defineNetwork({kind, inputs, outputs, params, forward}) or give an object with apply(x) and params';
  if (n === null || typeof n !== 'object')
    throw new Error(`${where}: expected a network object, got ${n === null ? 'null' : typeof n}; ${fix}`);
  if (typeof n.apply !== 'function') throw new Error(`${where}: has no apply(x) function; ${fix}`);
  if (!n.params || typeof n.params !== 'object')
    throw new Error(`${where}: has no params record of trainable variables; ${fix}`);
  for (const k of ['inputs', 'outputs'] as const) {
    check(positiveInt(), n[k], `${where}.${k}`);
  }
}
