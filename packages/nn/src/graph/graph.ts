/**
 * Graphs as node features plus an edge list, and batching of several small graphs into one
 * disjoint graph (node indices offset by the nodes before each graph), the standard trick
 * (Battaglia et al. 2018) that lets one pass process many molecules or lattices.
 */
import { tf } from '@aml/core';

/** One graph. Edge k goes from senders[k] to receivers[k] (messages flow sender -> receiver). */
export interface Graph {
  /** Node features, row-major (nodes, nodeDim). */
  readonly nodes: ArrayLike<number>;
  /** Number of nodes. */
  readonly numNodes: number;
  /** Sending node of each edge. */
  readonly senders: ArrayLike<number>;
  /** Receiving node of each edge. */
  readonly receivers: ArrayLike<number>;
  /** Edge features, row-major (edges, edgeDim); omit for none. */
  readonly edges?: ArrayLike<number>;
}

/** Several graphs as one disjoint graph, on tensors. */
export interface GraphBatch {
  /** (N_total, nodeDim) */
  readonly nodes: tf.Tensor2D;
  /** (E_total, edgeDim), or null without edge features. */
  readonly edges: tf.Tensor2D | null;
  /** (E_total) int32, offset into the batch's node numbering. */
  readonly senders: tf.Tensor1D;
  /** (E_total) int32. */
  readonly receivers: tf.Tensor1D;
  /** Graph of each node, (N_total) int32 (for per-graph readout). */
  readonly nodeGraph: tf.Tensor1D;
  readonly numNodes: number;
  readonly numGraphs: number;
}

/**
 * Check one graph's indices and sizes; the message names the graph, the edge and the fix.
 */
export function validateGraph(g: Graph, nodeDim: number, edgeDim: number, which = 'graph'): void {
  if (g.nodes.length !== g.numNodes * nodeDim) {
    throw new Error(
      `${which}: nodes has ${g.nodes.length} values, expected numNodes*nodeDim = ${g.numNodes}*${nodeDim}`,
    );
  }
  if (g.senders.length !== g.receivers.length) {
    throw new Error(
      `${which}: senders (${g.senders.length}) and receivers (${g.receivers.length}) must have the same length`,
    );
  }
  const E = g.senders.length;
  for (let k = 0; k < E; k++) {
    for (const [role, idx] of [
      ['sender', g.senders[k]],
      ['receiver', g.receivers[k]],
    ] as const) {
      if (!Number.isInteger(idx) || idx < 0 || idx >= g.numNodes) {
        throw new Error(
          `${which}: edge ${k} has ${role} ${idx}, out of range for ${g.numNodes} nodes (valid 0..${g.numNodes - 1})`,
        );
      }
    }
  }
  const have = g.edges ? g.edges.length : 0;
  if (have !== E * edgeDim)
    throw new Error(`${which}: edges has ${have} values, expected edges*edgeDim = ${E}*${edgeDim}`);
}

/**
 * Batch graphs: concatenate nodes and edges, offset each graph's indices by the number of nodes
 * before it, and record each node's graph.
 *
 * @example
 *   const b = batchGraphs([g1, g2], 1, 1); // b.numGraphs === 2
 */
export function batchGraphs(graphs: readonly Graph[], nodeDim: number, edgeDim: number): GraphBatch {
  if (graphs.length === 0) throw new Error('batchGraphs: need at least one graph');
  graphs.forEach((g, i) => validateGraph(g, nodeDim, edgeDim, `graph ${i}`));
  const N = graphs.reduce((s, g) => s + g.numNodes, 0);
  const E = graphs.reduce((s, g) => s + g.senders.length, 0);
  const nodes = new Float32Array(N * nodeDim);
  const edges = new Float32Array(E * edgeDim);
  const snd = new Int32Array(E),
    rcv = new Int32Array(E),
    ng = new Int32Array(N);
  let no = 0,
    eo = 0;
  graphs.forEach((g, gi) => {
    nodes.set(Array.from(g.nodes), no * nodeDim);
    if (g.edges) edges.set(Array.from(g.edges), eo * edgeDim);
    for (let k = 0; k < g.senders.length; k++) {
      snd[eo + k] = g.senders[k] + no;
      rcv[eo + k] = g.receivers[k] + no;
    }
    ng.fill(gi, no, no + g.numNodes);
    no += g.numNodes;
    eo += g.senders.length;
  });
  return {
    nodes: tf.tensor2d(nodes, [N, nodeDim]),
    edges: edgeDim > 0 ? tf.tensor2d(edges, [E, edgeDim]) : null,
    senders: tf.tensor1d(snd, 'int32'),
    receivers: tf.tensor1d(rcv, 'int32'),
    nodeGraph: tf.tensor1d(ng, 'int32'),
    numNodes: N,
    numGraphs: graphs.length,
  };
}

/** Dispose a batch's tensors. */
export function disposeGraphBatch(b: GraphBatch): void {
  for (const t of [b.nodes, b.edges, b.senders, b.receivers, b.nodeGraph]) t?.dispose();
}

/** Sum rows of `values` (E, d) into `segments` buckets by `ids` (E): (segments, d). */
export function segmentSum(values: tf.Tensor2D, ids: tf.Tensor1D, segments: number): tf.Tensor2D {
  return tf.unsortedSegmentSum(values, ids, segments) as tf.Tensor2D;
}
