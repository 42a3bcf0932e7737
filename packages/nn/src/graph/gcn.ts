/**
 * Graph convolutional layer (Kipf & Welling 2017):
 *   H' = f( D^{-1/2} (A + I) D^{-1/2} H W + b ),   D = degree matrix of A + I,
 * written on the edge list: node i receives c_ij (H W)_j from each neighbour j and itself,
 * with c_ij = 1/sqrt(d_i d_j). Edges are directed as given; list both directions for an undirected graph.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, positiveInt, fmtShape } from '../layers/layer';
import { type LayerActivation, activationFn } from '../layers/activation';
import { initVariable, constVariable } from '../layers/init';
import { type GraphBatch, segmentSum } from './graph';

/** Configuration of a GCN layer. */
export interface GcnConfig {
  /** Input node features. */
  readonly inputSize: number;
  /** Output node features. */
  readonly units: number;
  /** Activation (default 'relu'). */
  readonly activation?: LayerActivation;
  /** Name for error messages. */
  readonly name?: string;
}

/** A GCN layer: (graph batch with node features (N, in)) -> (N, units). */
export interface Gcn extends Omit<Layer<GraphBatch>, 'apply'> {
  /** New node features for the batch's graph; `h` overrides the batch's node features (for stacking). */
  apply(g: GraphBatch, h?: tf.Tensor2D): tf.Tensor2D;
}

/** Build a GCN layer. */
export function gcn(config: GcnConfig, rng: Rng): Gcn {
  const name = `gcn '${config.name ?? 'gcn'}'`;
  const inp = positiveInt(name, 'inputSize', config.inputSize);
  const units = positiveInt(name, 'units', config.units);
  const act = activationFn(config.activation ?? 'relu', name);
  const W = initVariable('glorotUniform', [inp, units], rng, 1, name);
  const b = constVariable([units], 0);
  return {
    name,
    params: [W, b],
    kernels: [W],
    state: [],
    apply(g, hIn) {
      const h0 = hIn ?? g.nodes;
      if (h0.shape[1] !== inp || h0.shape[0] !== g.numNodes)
        throw new Error(`${name}: expected node features (${g.numNodes}, ${inp}), got ${fmtShape(h0.shape)}`);
      return tf.tidy(() => {
        const N = g.numNodes;
        const self = tf.range(0, N, 1, 'int32');
        const snd = tf.concat([g.senders, self]) as tf.Tensor1D; // edges plus self loops
        const rcv = tf.concat([g.receivers, self]) as tf.Tensor1D;
        const deg = segmentSum(tf.onesLike(rcv).asType('float32').expandDims(1) as tf.Tensor2D, rcv, N).reshape([N]); // d_i
        const inv = tf.rsqrt(deg);
        const coef = tf.mul(tf.gather(inv, rcv), tf.gather(inv, snd)).expandDims(1); // (E+N, 1)
        const hw = tf.matMul(h0, W); // (N, units)
        const agg = segmentSum(tf.mul(coef, tf.gather(hw, snd)) as tf.Tensor2D, rcv, N);
        return act(tf.add(agg, b)) as tf.Tensor2D;
      });
    },
  };
}
