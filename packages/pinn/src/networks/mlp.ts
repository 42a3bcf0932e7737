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
import { defineNetwork, type NetOps, type Network, type Rng, type tf } from '@aml/core';
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
