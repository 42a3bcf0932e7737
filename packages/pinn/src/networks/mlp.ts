/**
 * The plain MLP as a `Network` (Glorot & Bengio 2010 initialisation: normal, std =
 * sqrt(2 / (fan_in + fan_out)), zero biases): hidden layers with one activation, linear
 * output. Its variables are named W0, b0, W1, b1, ... (checkpoints stay readable), it keeps
 * its `MlpParams` view so the fused WASM kernel can run it, and it draws the same numbers as
 * `createMlp`, so results from before networks were pluggable are reproduced exactly.
 *
 * @example
 *   const net = createMlpNetwork({ inputs: 2, hidden: [50, 50], outputs: 1, activation: 'tanh' }, new Rng(0));
 *   const u = net.apply(x); // (N, 2) -> (N, 1)
 */
import { defineNetwork, type ActivationName, type NetOps, type Network, type Rng, type tf } from '@aml/core';
import type { MlpParams, NetworkLike } from '../derivatives/engine';
import { createMlp, disposeMlp, type MlpConfig } from '../derivatives/mlp';

/** A plain MLP network: kind 'mlp', with the weights also as an `MlpParams` view. */
export interface MlpNetwork extends Network {
  readonly kind: 'mlp';
  /** The same variables as `params`, as the fused kernel and the block-taylor path take them. */
  readonly mlp: MlpParams;
}

/** The MLP forward pass over any algebra: h = act(h W_l + b_l), linear last layer. */
export function mlpForward<T>(mlp: MlpParams, ops: NetOps<T>, x: T): T {
  let h = x;
  const L = mlp.weights.length;
  mlp.weights.forEach((w, l) => {
    h = ops.addBias(ops.matMul(h, w as tf.Tensor2D), mlp.biases[l] as tf.Tensor1D);
    if (l < L - 1) h = ops.activation(h, mlp.activation);
  });
  return h;
}

/** Wrap existing MLP variables as a kind-'mlp' network (variables shared, not copied). */
export function mlpNetwork(mlp: MlpParams): MlpNetwork {
  const params: Record<string, MlpParams['weights'][number]> = {};
  mlp.weights.forEach((w, l) => {
    params[`W${l}`] = w;
    params[`b${l}`] = mlp.biases[l];
  });
  const net = defineNetwork({
    kind: 'mlp',
    inputs: mlp.weights[0].shape[0] as number,
    outputs: mlp.weights[mlp.weights.length - 1].shape[1] as number,
    params,
    forward: (ops, x) => mlpForward(mlp, ops, x),
  });
  return { ...net, kind: 'mlp', mlp, dispose: () => disposeMlp(mlp) };
}

/** A fresh plain MLP network; the same draws from rng as `createMlp`. */
export function createMlpNetwork(config: MlpConfig, rng: Rng): MlpNetwork {
  return mlpNetwork(createMlp(config, rng));
}

const wrapped = new WeakMap<MlpParams, MlpNetwork>();

/** True for a bare `MlpParams` (weights and biases, no apply). */
export function isMlpParams(net: NetworkLike): net is MlpParams {
  return !('apply' in net) && Array.isArray((net as MlpParams).weights);
}

/** Any `NetworkLike` as a `Network` (a bare `MlpParams` is wrapped once and cached). */
export function asNetwork(net: NetworkLike): Network {
  if (!isMlpParams(net)) return net;
  let n = wrapped.get(net);
  if (!n) {
    n = mlpNetwork(net);
    wrapped.set(net, n);
  }
  return n;
}

/** The `MlpParams` view of a plain MLP (a bare one, or a kind-'mlp' network), else null. */
export function mlpView(net: NetworkLike): MlpParams | null {
  if (isMlpParams(net)) return net;
  const m = (net as Partial<MlpNetwork>).mlp;
  return net.kind === 'mlp' && m && Array.isArray(m.weights) ? m : null;
}

/**
 * A network that is a plain MLP body behind an input embedding (exact periodic, then random
 * Fourier features [cos(p B), sin(p B)]) with dense layers that may be factorized: what the fused
 * kernel needs to run it. The fused engine computes the periodic embedding's value and input
 * derivatives with tfjs ops and runs the Fourier features (as a layer of sines) and the body in
 * the kernel; tfjs's own gradients carry the kernel's adjoints back into B and the factorized
 * weights (V, g).
 */
export interface MlpTrunk {
  /** The embedding before the Fourier features (the periodic one, or x itself), over any algebra: x (N, inputs) -> (N, e). */
  embed<T>(ops: NetOps<T>, x: T): T;
  /** The Fourier features' frequency matrix B (e, m/2), or null without them. */
  readonly fourier: tf.Variable | null;
  /** The body's widths [its input width (m with Fourier features, else e), hidden..., outputs]. */
  readonly sizes: readonly number[];
  /** Hidden-layer activation (the last layer is linear). */
  readonly activation: ActivationName;
  /**
   * The body's dense layers as tensors: W_l (n_l, n_{l+1}) materialized (V * g for a factorized
   * layer, the variable itself otherwise) and the bias variables. New tensors: call inside tf.tidy.
   */
  dense(): { weights: tf.Tensor2D[]; biases: tf.Tensor1D[] };
}

/** A network with an `MlpTrunk` view (kind 'mlp' with periodic / fourier / factorized). */
export interface TrunkNetwork extends Network {
  readonly trunk: MlpTrunk;
}

/** The `MlpTrunk` view of a network that has one, else null. */
export function trunkView(net: NetworkLike): MlpTrunk | null {
  if (isMlpParams(net)) return null;
  const t = (net as Partial<TrunkNetwork>).trunk;
  return t && typeof t.dense === 'function' && typeof t.embed === 'function' ? t : null;
}
