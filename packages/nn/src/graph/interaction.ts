/**
 * Interaction network (Battaglia et al. 2016), the course's GNN for the Lennard-Jones dimer:
 *
 *   h_i^0 = phi_E(v_i)                                  node encoder
 *   m_ij  = phi_M([h_i; h_j; e_ij])                      message on edge j -> i
 *   mbar_i = sum_{j -> i} m_ij                           sum aggregation
 *   h_i  <- h_i + phi_U([h_i; mbar_i])                   update (residual), L times
 *   y_G  = W_r sum_{i in G} h_i + b_r                    readout per graph (E = w^T sum_i h_i + b)
 * Edge features such as distances make it invariant to rotations and translations.
 */
import { tf, type Rng } from '@aml/core';
import { type Layer, collect, positiveInt, fmtShape } from '../layers/layer';
import { mlp } from '../layers/sequential';
import { dense } from '../layers/dense';
import type { LayerActivation } from '../layers/activation';
import { type GraphBatch, segmentSum } from './graph';

/** Configuration of the interaction network. */
export interface InteractionNetConfig {
  /** Node feature size d_v. */
  readonly nodeDim: number;
  /** Edge feature size d_e. */
  readonly edgeDim: number;
  /** Hidden node state size d_h. */
  readonly hidden: number;
  /** Message-passing rounds L (default 3); each has its own message and update MLPs. */
  readonly layers?: number;
  /** Outputs per graph (default 1, e.g. the energy). */
  readonly outputSize?: number;
  /** Activation of the MLPs (default 'silu': smooth, so forces from the energy are continuous). */
  readonly activation?: LayerActivation;
}

/** The model: `apply` maps a graph batch to (numGraphs, outputSize); `nodeStates` to (N, hidden). */
export interface InteractionNet extends Omit<Layer<GraphBatch>, 'apply'> {
  apply(g: GraphBatch): tf.Tensor2D;
  nodeStates(g: GraphBatch): tf.Tensor2D;
}

/** Build an interaction network. */
export function interactionNet(config: InteractionNetConfig, rng: Rng): InteractionNet {
  const name = 'interactionNet';
  const dv = positiveInt(name, 'nodeDim', config.nodeDim);
  const de = config.edgeDim;
  const H = positiveInt(name, 'hidden', config.hidden);
  const L = positiveInt(name, 'layers', config.layers ?? 3);
  const act = config.activation ?? 'silu';
  const enc = dense({ inputSize: dv, units: H, activation: act, name: 'in.encoder' }, rng);
  const msg = Array.from({ length: L }, (_, l) =>
    mlp({ sizes: [2 * H + de, H, H], activation: act, outputActivation: act, name: `in.message${l}` }, rng),
  );
  const upd = Array.from({ length: L }, (_, l) =>
    mlp({ sizes: [2 * H, H, H], activation: act, name: `in.update${l}` }, rng),
  );
  const readout = dense({ inputSize: H, units: config.outputSize ?? 1, name: 'in.readout' }, rng);
  const check = (g: GraphBatch) => {
    if (g.nodes.shape[1] !== dv)
      throw new Error(`${name}: expected node features (N, ${dv}), got ${fmtShape(g.nodes.shape)}`);
    const got = g.edges ? g.edges.shape[1] : 0;
    if (got !== de)
      throw new Error(`${name}: expected edge features (E, ${de}), got ${g.edges ? fmtShape(g.edges.shape) : 'none'}`);
  };
  const nodeStates = (g: GraphBatch): tf.Tensor2D =>
    tf.tidy(() => {
      check(g);
      let h = enc.apply(g.nodes) as tf.Tensor2D;
      for (let l = 0; l < L; l++) {
        // receivers are i, senders are j: (E, H) each
        const parts = [tf.gather(h, g.receivers), tf.gather(h, g.senders)];
        if (g.edges) parts.push(g.edges);
        const m = msg[l].apply(tf.concat(parts, 1)) as tf.Tensor2D; // (E, H)
        const mbar = segmentSum(m, g.receivers, g.numNodes); // (N, H)
        h = tf.add(h, upd[l].apply(tf.concat([h, mbar], 1))) as tf.Tensor2D;
      }
      return h;
    });
  return {
    name,
    ...collect([enc, ...msg, ...upd, readout]),
    nodeStates,
    apply: (g) => tf.tidy(() => readout.apply(segmentSum(nodeStates(g), g.nodeGraph, g.numGraphs)) as tf.Tensor2D),
  };
}
